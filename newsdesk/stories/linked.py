"""What the entities stage found in an article, in the plain shapes the story pages and the
export use: entities, key figures and dated events. The ``*_by_article`` forms read many articles
in one query each (by article id), so a story page's queries do not grow with its articles."""

from __future__ import annotations

from newsdesk.articles.models import Article
from newsdesk.entities import service as entities


def entity_ids(article: Article) -> set[int]:
    return entities.entity_ids(article) if article.pk else set()


def entities_by_article(articles) -> dict[int, list[dict]]:
    """{article id: [{id, name, type, type_label, url}]} of the entities each article names."""
    return {
        pk: [
            {
                "id": row.entity.pk,
                "name": row.entity.name,
                "type": row.entity.kind,
                "type_label": row.entity.get_kind_display(),
                "url": row.entity.get_absolute_url(),
            }
            for row in rows
        ]
        for pk, rows in entities.mentions_by_article(articles).items()
    }


def figures_by_article(articles) -> dict[int, list[dict]]:
    """{article id: [{text, value, unit, sentence}]} of the key figures each article gives."""
    return {
        pk: [
            {"text": figure.text, "value": figure.value, "unit": figure.unit, "sentence": figure.sentence}
            for figure in figures
        ]
        for pk, figures in entities.figures_by_article(articles).items()
    }


def events_by_article(articles) -> dict[int, list[dict]]:
    """{article id: [{date, precision, text, sentence}]} of the dated events each article mentions."""
    return {
        pk: [
            {"date": event.date, "precision": event.precision, "text": event.text, "sentence": event.sentence}
            for event in events
        ]
        for pk, events in entities.events_by_article(articles).items()
    }


def entities_of(article: Article) -> list[dict]:
    return entities_by_article([article]).get(article.pk, [])


def figures_of(article: Article) -> list[dict]:
    return figures_by_article([article]).get(article.pk, [])
