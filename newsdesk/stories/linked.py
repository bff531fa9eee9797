"""What the entities stage found in an article, in the plain shapes the story pages and the
export use: entities, key figures and dated events."""

from __future__ import annotations

from newsdesk.articles.models import Article
from newsdesk.entities import service as entities


def entity_ids(article: Article) -> set[int]:
    return entities.entity_ids(article) if article.pk else set()


def entities_of(article: Article) -> list[dict]:
    """[{id, name, type, type_label, url}] of the entities an article names."""
    return [
        {
            "id": entity.pk,
            "name": entity.name,
            "type": entity.kind,
            "type_label": entity.get_kind_display(),
            "url": entity.get_absolute_url(),
        }
        for entity, _ in entities.entities_of(article)
    ]


def figures_of(article: Article) -> list[dict]:
    """[{text, value, unit, sentence}] of the key figures an article gives."""
    return [
        {"text": figure.text, "value": figure.value, "unit": figure.unit, "sentence": figure.sentence}
        for figure in entities.figures_of(article)
    ]


def events_of(article: Article) -> list[dict]:
    """[{date, precision, text, sentence}] of the dated events an article mentions."""
    return [
        {"date": event.date, "precision": event.precision, "text": event.text, "sentence": event.sentence}
        for event in entities.events_of(article)
    ]
