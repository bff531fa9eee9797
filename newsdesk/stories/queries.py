"""What the reader pages ask about stories: a story's articles, copies, related news (what its
articles share: facts.py)."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery

from newsdesk.articles.models import Article, published_q
from newsdesk.stories.facts import timeline
from newsdesk.stories.models import Story, Storyline, StoryMembership

# What no page reads of the articles it lists beside another (copies, a story's articles, related
# news): their whole texts, the largest columns, parsed from JSON for nothing.
UNSHOWN_FIELDS = ("paragraphs", "translation")
UNSHOWN = tuple(f"article__{name}" for name in UNSHOWN_FIELDS)


def stories_with_published():
    """Stories with at least one published article, newest first, with that count.

    Counted story by story (correlated subqueries), so a page of the list walks the newest stories
    and stops, where a join grouped by story counted every story's articles first."""
    members = StoryMembership.objects.filter(published_q("article__"), story=OuterRef("pk")).values("story")
    return (
        Story.objects.annotate(
            published_count=Subquery(members.annotate(n=Count("pk")).values("n")),
            outlet_count=Subquery(members.annotate(n=Count("article__outlet", distinct=True)).values("n")),
        )
        .filter(published_count__gte=1)
        .order_by("-last_seen", "-pk")
    )


def published_stories():
    """The stories listed as stories (list page, sitemap, feeds): two published articles or more."""
    return stories_with_published().filter(published_count__gte=2)


def listed_story_count() -> int:
    """How many stories ``published_stories`` lists, from one pass over the published articles'
    memberships (counting story by story costs five times as much)."""
    members = StoryMembership.objects.filter(published_q("article__")).values("story")
    return members.annotate(n=Count("pk")).filter(n__gte=2).count()


def published_storylines():
    """The storylines listed (list page, sitemap, feeds): two listed stories or more, each with
    published articles, newest activity first, with those counts."""
    members = StoryMembership.objects.filter(
        published_q("article__"), story__storyline=OuterRef("pk")
    ).values("story__storyline")
    return (
        Storyline.objects.annotate(
            shown_story_count=Subquery(members.annotate(n=Count("story", distinct=True)).values("n")),
            published_count=Subquery(members.annotate(n=Count("pk")).values("n")),
            outlet_count=Subquery(members.annotate(n=Count("article__outlet", distinct=True)).values("n")),
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
        StoryMembership.objects.filter(published_q("article__"), story__in=stories)
        .select_related("article__outlet")
        .defer(*UNSHOWN)
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
        "timeline": timeline(every),
    }


def stories_naming(entity, walk: bool = False):
    """Stories with a published article naming ``entity``, latest first (its page). ``walk``: found
    by walking the latest stories, each checked, for an entity in a good share of the articles."""
    if walk:
        members = StoryMembership.objects.filter(
            published_q("article__"), story=OuterRef("pk"), article__entity_mentions__entity=entity
        )
        return Story.objects.filter(Exists(members)).order_by("-last_seen")
    # One filter(): the published article and the one naming the entity are the same membership's.
    naming = Story.objects.filter(
        published_q("memberships__article__"), memberships__article__entity_mentions__entity=entity
    )
    return naming.distinct().order_by("-last_seen")


def collapse_copies(queryset):
    """A listing without the copies of a published article: each wire story shows once.

    Checked article by article (NOT EXISTS), so a page walks the newest and stops; the explicit
    ``duplicate_of`` not null tells PostgreSQL's planner how few articles are copies (it took
    nearly all for copies, and sorted the whole archive for a page)."""
    copies = StoryMembership.objects.filter(
        published_q("duplicate_of__"), article=OuterRef("pk"), duplicate_of__isnull=False
    )
    return queryset.filter(~Exists(copies))


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
        .filter(published_q("article__"))
        .select_related("article__outlet")
        .defer(*UNSHOWN)
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
        story.memberships.filter(published_q("article__"))
        .select_related("article__outlet")
        .defer(*UNSHOWN)
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
                published_q("article__"), story_id__in=membership.related_story_ids
            )
            .values("story_id")
            .annotate(first=Min("article_id"))
        )
        picks = {row["story_id"]: row["first"] for row in latest}
        by_pk = Article.objects.select_related("outlet").defer(*UNSHOWN_FIELDS).in_bulk(picks.values())
        related = [by_pk[picks[pk]] for pk in membership.related_story_ids if picks.get(pk) in by_pk]
    return {
        "story": story,
        "others": others,
        "also_at": also_at(article),
        "related": related,
        "story_size": len(others) + 1,
    }
