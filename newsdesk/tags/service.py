"""Tagging articles, and what the reader pages ask about tags.

Writing:

* ``tag_article(article)``: the "tags" pipeline stage. Matches every tag's keywords on the
  article's text and its linked entities on the article's entity mentions (so it runs after the
  "entities" stage), then adds and deletes the article's ``auto`` links to agree. Editors' links
  (``editor`` and ``removed``) are never touched: see ``ArticleTag``.
* ``retag(articles, tags)``: the same for many articles, only for the given tags (after an editor
  changed a tag's keywords or entities).

Reading: ``tags_of(article)``, ``articles_with(tag)``, ``tags_in_use()``.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q

from newsdesk.articles.models import Article
from newsdesk.entities.service import entity_ids
from newsdesk.stories.queries import collapse_copies
from newsdesk.tags.matching import Matcher, split_keywords
from newsdesk.tags.models import ArticleTag, Tag

AUTO = ArticleTag.Source.AUTO
SHOWN = [source for source in ArticleTag.Source.values if source != ArticleTag.Source.REMOVED]


def matcher_for(tags) -> Matcher:
    """The matcher of ``tags`` (a queryset), in two queries."""
    keywords = {pk: split_keywords(text) for pk, text in tags.values_list("pk", "keywords")}
    entities: dict[int, set[int]] = {}
    links = Tag.entities.through.objects.filter(tag__in=tags).values_list("tag_id", "entity_id")
    for tag_id, entity_id in links:
        entities.setdefault(tag_id, set()).add(entity_id)
    return Matcher(keywords, entities)


def article_text(article: Article) -> str:
    """Headlines, leads, summary and body, Japanese and original: an English keyword finds an
    English article before (and after) it is translated."""
    parts = [article.title, article.original_title, article.lead_ja, article.lead]
    for paragraphs in (article.summary, article.paragraphs, article.translation):
        parts += [text for text in paragraphs or [] if isinstance(text, str)]
    return "\n".join(part for part in parts if part)


def tag_article(article: Article, matcher: Matcher | None = None) -> None:
    """Makes the article's ``auto`` links agree with its text, for every tag (or ``matcher``'s)."""
    matcher = matcher or matcher_for(Tag.objects.all())
    mentioned = entity_ids(article) if matcher.uses_entities else set()
    wanted = matcher.match(article_text(article), mentioned)
    links = ArticleTag.objects.filter(article=article)
    with transaction.atomic():
        links.filter(source=AUTO, tag_id__in=matcher.tag_ids - wanted).delete()
        # A link already there, of any source, stays as it is: an editor's removal stays a removal.
        # Conflicts are ignored too, for an editor's link saved since the read.
        present = set(links.values_list("tag_id", flat=True))
        ArticleTag.objects.bulk_create(
            [ArticleTag(article=article, tag_id=tag_id, source=AUTO) for tag_id in sorted(wanted - present)],
            ignore_conflicts=True,
        )


def retag(articles, tags) -> int:
    """Tags ``articles`` (a queryset) again for ``tags`` only; returns how many were looked at."""
    matcher = matcher_for(tags)
    if not matcher.tag_ids:  # the tag was deleted since
        return 0
    count = 0
    for article in articles.iterator(chunk_size=200):
        tag_article(article, matcher)
        count += 1
    return count


# Reading


def tags_of(article: Article) -> list[Tag]:
    return list(Tag.objects.filter(article_links__in=ArticleTag.objects.shown().filter(article=article)))


def articles_with(tag: Tag, walk: bool = False):
    """The published articles showing ``tag``, newest first, copies of one wire story once.
    ``walk``: found by walking the newest articles, each checked, which costs less than reading
    and sorting every article of a tag on a good share of them."""
    articles = collapse_copies(Article.objects.published().select_related("outlet"))
    shown = ArticleTag.objects.shown().filter(tag=tag)
    if walk:
        articles = articles.filter(Exists(shown.filter(article=OuterRef("pk"))))
    else:  # a join: the tag's links first (``tag_links__in`` listed them before each query)
        articles = articles.filter(tag_links__tag=tag, tag_links__source__in=SHOWN)
    return articles.order_by("-site_published_at", "-created_at")


def tags_in_use():
    """Tags with at least one published article (counted as their pages list them), most first."""
    listed = collapse_copies(Article.objects.published())
    return (
        Tag.objects.annotate(
            article_count=Count(
                "article_links",
                filter=Q(article_links__article__in=listed)
                & ~Q(article_links__source=ArticleTag.Source.REMOVED),
            )
        )
        .filter(article_count__gt=0)
        .order_by("-article_count", "name")
    )
