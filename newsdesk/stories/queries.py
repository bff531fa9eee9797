"""What the reader pages ask about stories: a story's articles, copies, shared facts, related news."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from decimal import Decimal

from django.db.models import Count, Min, Q

from newsdesk.articles.models import Article
from newsdesk.entities.figures import quantity_of
from newsdesk.entities.models import date_label as event_date_label
from newsdesk.stories import linked
from newsdesk.stories.models import Story, Storyline, StoryMembership


def stories_with_published():
    """Stories with at least one published article, newest first, with that count."""
    published = Article.objects.published()
    return (
        Story.objects.filter(memberships__article__in=published)
        .annotate(
            published_count=Count("memberships", distinct=True),
            outlet_count=Count("memberships__article__outlet", distinct=True),
        )
        .order_by("-last_seen", "-pk")
    )


def published_stories():
    """The stories listed as stories (list page, sitemap, feeds): two published articles or more."""
    return stories_with_published().filter(published_count__gte=2)


def published_storylines():
    """The storylines listed (list page, sitemap, feeds): two listed stories or more, each with
    published articles, newest activity first, with those counts."""
    published = Article.objects.published()
    return (
        Storyline.objects.filter(stories__memberships__article__in=published)
        .annotate(
            shown_story_count=Count("stories", distinct=True),
            published_count=Count("stories__memberships", distinct=True),
            outlet_count=Count("stories__memberships__article__outlet", distinct=True),
        )
        .filter(shown_story_count__gte=2)
        .order_by("-last_seen", "-pk")
    )


def storyline_articles(line) -> list[Article]:
    """A storyline's published articles, each wire story once, newest first (its feed)."""
    articles = Article.objects.published().filter(story_membership__story__storyline=line)
    return list(collapse_copies(articles).select_related("outlet").order_by("-site_published_at", "-pk"))


def storyline_page(line) -> dict:
    """A storyline's stories (oldest first, each with its published articles), outlets and timeline."""
    stories = list(stories_with_published().filter(storyline=line).order_by("first_seen", "pk"))
    memberships = (
        StoryMembership.objects.filter(story__in=stories, article__in=Article.objects.published())
        .select_related("article__outlet")
        .order_by("article__published_at", "article__site_published_at", "article_id")
    )
    by_story: dict[int, list[StoryMembership]] = {}
    for membership in memberships:
        by_story.setdefault(membership.story_id, []).append(membership)
    entries = [{"story": story, "columns": outlet_columns(by_story.get(story.pk, []))} for story in stories]
    every = [m for story in stories for m in by_story.get(story.pk, [])]
    outlets = list(OrderedDict((m.article.outlet_id, m.article.outlet) for m in every).values())
    return {
        "entries": entries,
        "outlets": outlets,
        "article_count": len(every),
        "timeline": shared_facts(every)["timeline"],
    }


def collapse_copies(queryset):
    """A listing without the copies of a published article: each wire story shows once."""
    return queryset.exclude(story_membership__duplicate_of__in=Article.objects.published())


def attach_also_at(articles) -> list:
    """Sets ``article.also_at`` (the published copies at other outlets) on each article, in 2 queries."""
    articles = list(articles)
    if not articles:
        return articles
    roots = dict(
        StoryMembership.objects.filter(article__in=articles).values_list("article_id", "duplicate_of_id")
    )
    root_of = {article.pk: roots.get(article.pk) or article.pk for article in articles}
    groups: dict[int, list[Article]] = {}
    copies = (
        StoryMembership.objects.filter(
            Q(duplicate_of_id__in=set(root_of.values())) | Q(article_id__in=set(root_of.values()))
        )
        .filter(article__in=Article.objects.published())
        .select_related("article__outlet")
        .order_by("article__published_at", "article_id")
    )
    for membership in copies:
        groups.setdefault(membership.duplicate_of_id or membership.article_id, []).append(membership.article)
    for article in articles:
        group = groups.get(root_of[article.pk], [])
        article.also_at = [other for other in group if other.pk != article.pk]
    return articles


def also_at(article: Article) -> list[Article]:
    if not hasattr(article, "also_at"):
        attach_also_at([article])
    return article.also_at


def _bullets(article: Article, count: int = 2) -> list[str]:
    return [b for b in article.summary or [] if isinstance(b, str) and b.strip()][:count]


def _moment(article: Article) -> dt.datetime:
    return article.published_at or article.site_published_at or article.created_at


def story_articles(story: Story) -> list[StoryMembership]:
    memberships = (
        story.memberships.filter(article__in=Article.objects.published())
        .select_related("article__outlet")
        .order_by("article__published_at", "article__site_published_at", "article_id")
    )
    return list(memberships)


def outlet_columns(memberships: list[StoryMembership]) -> list[dict]:
    """One column per outlet (in the order they first reported), its articles oldest to newest.

    A copy of another outlet's article is shown under the original as 同じ記事の掲載先.
    """
    copies: dict[int, list[Article]] = {}
    for membership in memberships:
        if membership.duplicate_of_id:
            copies.setdefault(membership.duplicate_of_id, []).append(membership.article)
    shown = {m.article_id for m in memberships if not m.duplicate_of_id}
    columns: OrderedDict[int, dict] = OrderedDict()
    for membership in memberships:
        article = membership.article
        if membership.duplicate_of_id and membership.duplicate_of_id in shown:
            continue  # listed under its original
        column = columns.setdefault(article.outlet_id, {"outlet": article.outlet, "articles": []})
        column["articles"].append(
            {
                "article": article,
                "bullets": _bullets(article),
                "moment": _moment(article),
                "also_at": copies.get(article.pk, []),
            }
        )
    return list(columns.values())


def _number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        return format(value, "f") if value == value.to_integral() else str(value)
    return str(value)


def shared_facts(memberships: list[StoryMembership]) -> dict:
    """Entities and key figures several outlets share, figures they dispute, and a timeline of dates."""
    originals = [m.article for m in memberships if not m.duplicate_of_id]
    outlet_total = len({article.outlet_id for article in originals})
    needed = min(2, outlet_total)
    entities: dict[int, dict] = {}
    units: dict[tuple[str, str, str], dict[str, dict]] = {}
    events: dict[tuple, dict] = {}
    for article in originals:
        for entity in linked.entities_of(article):
            entry = entities.setdefault(entity["id"], {**entity, "outlets": set()})
            entry["outlets"].add(article.outlet_id)
        for figure in linked.figures_of(article):
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
        for event in linked.events_of(article):
            key = (event["date"], event["precision"])
            entry = events.setdefault(key, {**event, "label": date_label(*key), "articles": []})
            if article not in entry["articles"]:
                entry["articles"].append(article)
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
    coarse_first = {"year": 0, "month": 1, "week": 2, "day": 3}
    timeline = [events[key] for key in sorted(events, key=lambda k: (k[0], coarse_first.get(k[1], 4)))]
    return {"entities": shared_entities, "figures": figures, "timeline": timeline}


def date_label(date: dt.date, precision: str) -> str:
    """2023年9月13日, 2024年9月23日の週, 2024年6月, 2020年, 2024年度 (as the article page writes it)."""
    return event_date_label(date, precision)


def article_panel(article: Article) -> dict:
    """Other outlets on the article's story, its copies elsewhere, and articles of related stories."""
    membership = StoryMembership.objects.filter(article=article).select_related("story").first()
    if membership is None:
        return {"story": None, "others": [], "also_at": also_at(article), "related": []}
    story = membership.story
    copies = {a.pk for a in also_at(article)}
    others = [
        m.article
        for m in story_articles(story)
        if m.article_id != article.pk and m.article_id not in copies and not m.duplicate_of_id
    ]
    related = []
    if membership.related_story_ids:
        latest = (
            StoryMembership.objects.filter(
                story_id__in=membership.related_story_ids, article__in=Article.objects.published()
            )
            .values("story_id")
            .annotate(first=Min("article_id"))
        )
        picks = {row["story_id"]: row["first"] for row in latest}
        by_pk = Article.objects.select_related("outlet").in_bulk(picks.values())
        related = [by_pk[picks[pk]] for pk in membership.related_story_ids if picks.get(pk) in by_pk]
    return {
        "story": story,
        "others": others,
        "also_at": also_at(article),
        "related": related,
        "story_size": len(others) + 1,
    }
