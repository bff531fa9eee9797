"""What the entities app found in an article: entities, key figures and dated events.

The entities app offers ``entity_ids``, ``entities_of``, ``figures_of`` and ``events_of``; they are
looked up where that app defines them, and when it is missing everything here answers empty, so
stories still form from the text alone.
"""

from __future__ import annotations

import functools
import importlib
import logging

logger = logging.getLogger(__name__)

MODULES = ["newsdesk.entities.service", "newsdesk.entities", "newsdesk.entities.queries"]


@functools.cache
def _function(name: str):
    for module_name in MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        if callable(function := getattr(module, name, None)):
            return function
    return None


def _call(name: str, article, default):
    function = _function(name)
    if function is None or article.pk is None:
        return default
    return function(article)


def entity_ids(article) -> set[int]:
    return {int(pk) for pk in _call("entity_ids", article, set()) or ()}


def entities_of(article) -> list[dict]:
    """[{id, name, type, url}] of the entities an article names."""
    out = []
    for entity in _call("entities_of", article, []) or ():
        if isinstance(entity, tuple | list):  # (entity, mentions)
            entity = entity[0]
        entity = getattr(entity, "entity", entity)  # a Mention row or the Entity itself
        kind = getattr(entity, "kind", "") or getattr(entity, "type", "")
        try:
            url = entity.get_absolute_url()
        except Exception:  # the entity pages may not be routed yet
            url = ""
        label = entity.get_kind_display() if hasattr(entity, "get_kind_display") else kind
        out.append({"id": entity.pk, "name": entity.name, "type": kind, "type_label": label, "url": url})
    return out


def figures_of(article) -> list[dict]:
    """[{text, value, unit, sentence}] of the key figures an article gives."""
    return [
        {
            "text": figure.text,
            "value": getattr(figure, "value", None),
            "unit": getattr(figure, "unit", "") or "",
            "sentence": getattr(figure, "sentence", "") or "",
        }
        for figure in _call("figures_of", article, []) or ()
    ]


def events_of(article) -> list[dict]:
    """[{date, precision, text, sentence}] of the dated events an article mentions."""
    return [
        {
            "date": event.date,
            "precision": getattr(event, "precision", "day") or "day",
            "text": getattr(event, "text", "") or "",
            "sentence": getattr(event, "sentence", "") or "",
        }
        for event in _call("events_of", article, []) or ()
        if getattr(event, "date", None)
    ]
