"""What every search backend offers, and the document it indexes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.entities import service as entities
from newsdesk.search.text import Query, document_text

KEY_BITS = 20  # low bits of the search key: the article id modulo 2**20
RECENCY_DAYS = 30.0  # an article this many days older needs twice the relevance to rank level
TITLE_WEIGHT = 2.0  # a match of every term in the headline: relevance 1 + TITLE_WEIGHT, else 1


def key_floor(moment: dt.datetime) -> int:
    """The smallest search key of an article published at ``moment`` (to the second)."""
    return int(moment.timestamp()) << KEY_BITS


def key_ceiling(moment: dt.datetime) -> int:
    """The largest search key of an article published at ``moment`` (to the second)."""
    return key_floor(moment) + (1 << KEY_BITS) - 1


def key_seconds(key: int) -> int:
    return key >> KEY_BITS


@dataclass(frozen=True)
class Filters:
    outlet: int | None = None
    since: dt.date | None = None  # inclusive, in the site's time zone
    until: dt.date | None = None  # inclusive
    entity: int | None = None

    def bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """[start, end) as aware datetimes for the date range."""
        zone = timezone.get_current_timezone()

        def midnight(day):
            return dt.datetime.combine(day, dt.time(), tzinfo=zone)

        start = midnight(self.since) if self.since else None
        end = midnight(self.until + dt.timedelta(days=1)) if self.until else None
        return start, end


@dataclass(frozen=True)
class Hit:
    article_id: int
    score: float


@dataclass
class Results:
    count: int
    hits: list[Hit] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    article_id: int
    outlet_id: int
    published_at: dt.datetime
    title: str  # normalised
    body: str  # normalised
    entity_ids: frozenset[int] = frozenset()


def is_indexable(article: Article) -> bool:
    """Published articles are indexed (a future publication time is filtered at query time)."""
    return article.status == Article.Status.PUBLISHED and article.site_published_at is not None


def raw_title(article: Article) -> str:
    title = article.headline
    if article.original_title and article.original_title != title:
        title += "\n" + article.original_title
    return title


def raw_body(article: Article) -> str:
    lead = article.lead_ja or (article.lead if article.is_japanese else "")
    parts = [lead, *article.japanese_paragraphs, *(article.summary or [])]
    return "\n".join(part for part in parts if isinstance(part, str) and part)


def build_document(article: Article) -> Document:
    return Document(
        article_id=article.pk,
        outlet_id=article.outlet_id,
        published_at=article.site_published_at,
        title=document_text(raw_title(article)),
        body=document_text(raw_body(article)),
        entity_ids=frozenset(entities.entity_ids(article)),
    )


class SearchBackend:
    """index(article), delete(article_id), search(query, filters, page, per_page) -> Results."""

    document_table = "search_searchdocument"
    entity_table = "search_searchentity"

    def __init__(self, alias: str = "default"):
        self.alias = alias

    @property
    def connection(self):
        return connections[self.alias]

    def adapt(self, value: dt.datetime | None):
        return None if value is None else self.connection.ops.adapt_datetimefield_value(value)

    # Writing.
    def index(self, article: Article) -> bool:
        """Indexes a published article, removes any other; True when it is now in the index."""
        indexable = is_indexable(article)
        documents = [build_document(article)] if indexable else []
        with transaction.atomic(using=self.alias):
            self.delete(article.pk)
            self.add(documents)
        return indexable

    def delete(self, article_id: int) -> None:
        with self.connection.cursor() as cursor:
            self._delete_extra(cursor, article_id)
            cursor.execute(f"DELETE FROM {self.entity_table} WHERE document_id = %s", [article_id])
            cursor.execute(f"DELETE FROM {self.document_table} WHERE article_id = %s", [article_id])

    def add(self, documents: Iterable[Document]) -> None:
        """Inserts documents not in the index yet (the reindex command calls it in batches)."""
        documents = list(documents)
        if not documents:
            return
        now = self.adapt(timezone.now())
        with self.connection.cursor() as cursor:
            keys = self._keys(cursor, documents)
            self._insert_documents(cursor, documents, keys, now)
            cursor.executemany(
                f"INSERT INTO {self.entity_table} (document_id, entity_id) VALUES (%s, %s)",
                [(doc.article_id, entity) for doc in documents for entity in sorted(doc.entity_ids)],
            )
            self._add_extra(cursor, documents, keys)

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            self._clear_extra(cursor)
            cursor.execute(f"DELETE FROM {self.entity_table}")
            cursor.execute(f"DELETE FROM {self.document_table}")

    def _keys(self, cursor, documents: list[Document]) -> list[int]:
        """A unique search key per document: its publication second, then its id's low bits.

        Two articles published in the same second whose ids differ by a multiple of 2**20 would
        collide; the later one takes the next free key of that second.
        """
        wanted = [key_floor(doc.published_at) + doc.article_id % (1 << KEY_BITS) for doc in documents]
        taken: set[int] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            cursor.execute(
                f"SELECT search_key FROM {self.document_table} WHERE search_key IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            taken.update(row[0] for row in cursor.fetchall())
        keys = []
        for key in wanted:
            ceiling = key - key % (1 << KEY_BITS) + (1 << KEY_BITS) - 1
            while key in taken:
                key = key + 1 if key < ceiling else key - (1 << KEY_BITS) + 1
            taken.add(key)
            keys.append(key)
        return keys

    def _insert_documents(self, cursor, documents, keys, now) -> None:
        cursor.executemany(
            f"INSERT INTO {self.document_table} "
            "(article_id, outlet_id, published_at, search_key, title, body, indexed_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [
                (doc.article_id, doc.outlet_id, self.adapt(doc.published_at), key, doc.title, doc.body, now)
                for doc, key in zip(documents, keys, strict=True)
            ],
        )

    # Whether the index keeps a token per gazetteer entity a document names (search.tokens).
    entity_tokens = False

    def refresh_tokens(self, entity_id: int, names: list[str]) -> None:
        """Gives the entity's token to exactly the documents that contain one of ``names``."""
        raise NotImplementedError

    def _delete_extra(self, cursor, article_id: int) -> None:
        pass

    def _add_extra(self, cursor, documents: list[Document], keys: list[int]) -> None:
        pass

    def _clear_extra(self, cursor) -> None:
        pass

    # Reading.
    def search(
        self,
        query: Query,
        filters: Filters | None = None,
        page: int = 1,
        per_page: int = 20,
        order: str = "relevance",
    ) -> Results:
        """``order``: "relevance" (headline relevance divided by age) or "date" (newest first)."""
        raise NotImplementedError

    def filter_sql(self, filters: Filters | None, now: dt.datetime) -> tuple[list[str], list]:
        """WHERE conditions on the document table ``d`` shared by every backend."""
        filters = filters or Filters()
        where, params = ["d.published_at <= %s"], [self.adapt(now)]
        if filters.outlet is not None:
            where.append("d.outlet_id = %s")
            params.append(filters.outlet)
        start, end = filters.bounds()
        if start is not None:
            where.append("d.published_at >= %s")
            params.append(self.adapt(start))
        if end is not None:
            where.append("d.published_at < %s")
            params.append(self.adapt(end))
        if filters.entity is not None:
            where.append(
                f"d.article_id IN (SELECT document_id FROM {self.entity_table} WHERE entity_id = %s)"
            )
            params.append(filters.entity)
        return where, params

    def run_search(
        self,
        sql_from: str,
        where: list[str],
        params: list,
        score: str,
        score_params: list,
        page: int,
        per_page: int,
    ) -> Results:
        condition = " AND ".join(where)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {sql_from} WHERE {condition}", params)
            count = cursor.fetchone()[0]
            if not count or (page - 1) * per_page >= count:
                return Results(count=count)
            cursor.execute(
                f"SELECT d.article_id, {score} AS score FROM {sql_from} WHERE {condition} "
                "ORDER BY score DESC, d.published_at DESC, d.article_id DESC LIMIT %s OFFSET %s",
                [*score_params, *params, per_page, (page - 1) * per_page],
            )
            hits = [Hit(article_id, float(score or 0)) for article_id, score in cursor.fetchall()]
        return Results(count=count, hits=hits)
