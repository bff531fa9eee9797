"""What the articles of a story share, for its page: entities and key figures several outlets
give, the figures they dispute, and a timeline of the dates they mention. Each is read for all the
articles at once (``newsdesk.stories.linked``), so a story's page runs as many queries with 60
articles as with 2."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from newsdesk.entities.figures import quantity_of
from newsdesk.entities.models import date_label as event_date_label
from newsdesk.stories import linked
from newsdesk.stories.models import StoryMembership


def _number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        return format(value, "f") if value == value.to_integral() else str(value)
    return str(value)


def shared_facts(memberships: list[StoryMembership]) -> dict:
    """Entities and key figures several outlets share, figures they dispute, and a timeline of
    dates: three queries however many articles the story has."""
    originals = [m.article for m in memberships if not m.duplicate_of_id]
    outlet_total = len({article.outlet_id for article in originals})
    needed = min(2, outlet_total)
    entities: dict[int, dict] = {}
    units: dict[tuple[str, str, str], dict[str, dict]] = {}
    entities_by, figures_by = linked.entities_by_article(originals), linked.figures_by_article(originals)
    for article in originals:
        for entity in entities_by.get(article.pk, []):
            entry = entities.setdefault(entity["id"], {**entity, "outlets": set()})
            entry["outlets"].add(article.outlet_id)
        for figure in figures_by.get(article.pk, []):
            if not figure["unit"] or figure["value"] is None:
                continue
            # One row per quantity: the same unit, rate and counted noun (死者 N人 and 死者 M人, not
            # 約12万人 and 年間15万人).
            quantity = quantity_of(figure["text"], figure["unit"], figure["sentence"])
            values = units.setdefault(quantity, {})
            key = _number(figure["value"])
            entry = values.setdefault(key, {"value": key, "examples": [], "outlets": set()})
            entry["outlets"].add(article.outlet_id)
            if len(entry["examples"]) < 3:
                entry["examples"].append({**figure, "article": article})
    shared_entities = sorted(
        (e for e in entities.values() if len(e["outlets"]) >= needed),
        key=lambda e: (-len(e["outlets"]), e["name"]),
    )
    figures = []
    for (unit, rate, noun), values in units.items():
        outlets = set().union(*(v["outlets"] for v in values.values()))
        if len(outlets) < needed:
            continue
        rows = sorted(values.values(), key=lambda v: (-len(v["outlets"]), v["value"]))
        # Outlets disagree when one gives a value for this quantity that another outlet giving it
        # does not; a figure whose sentence does not say what it counts is never called disputed.
        disputed = bool(noun) and len(outlets) >= 2 and any(v["outlets"] != outlets for v in rows)
        for row in rows:
            row["outlet_count"] = len(row["outlets"])
        figures.append(
            {
                "unit": unit,
                "rate": rate,
                "about": noun,
                "values": rows,
                "disputed": disputed,
                "outlet_count": len(outlets),
            }
        )
    figures.sort(key=lambda f: (not f["disputed"], -f["outlet_count"], f["unit"]))
    return {"entities": shared_entities, "figures": figures, "timeline": timeline(memberships)}


def timeline(memberships: list[StoryMembership]) -> list[dict]:
    """The dates the originals mention, oldest first (a month before its days), each with the
    articles that mention it."""
    originals = [m.article for m in memberships if not m.duplicate_of_id]
    events: dict[tuple, dict] = {}
    events_by = linked.events_by_article(originals)
    for article in originals:
        for event in events_by.get(article.pk, []):
            key = (event["date"], event["precision"])
            entry = events.setdefault(key, {**event, "label": date_label(*key), "articles": []})
            if article not in entry["articles"]:
                entry["articles"].append(article)
    coarse_first = {"year": 0, "month": 1, "week": 2, "day": 3}
    return [events[key] for key in sorted(events, key=lambda k: (k[0], coarse_first.get(k[1], 4)))]


def date_label(date: dt.date, precision: str) -> str:
    """2023年9月13日, 2024年9月23日の週, 2024年6月, 2020年, 2024年度 (as the article page writes it)."""
    return event_date_label(date, precision)
