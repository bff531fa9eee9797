"""SQLite: FTS5 with the trigram tokenizer, and a unigram/bigram FTS5 table for short queries.

Trigram FTS5 cannot match a query shorter than three characters, so ``search_grams`` holds each
document's distinct letters and pairs of letters (米, 北朝) as tokens: a short term is one token.

Both tables use the document's search key as rowid (publication second, then id bits), so FTS5
walks matches newest first and a date range is a rowid range. Ranking is relevance (every term in
the headline, or not) divided by age; with two relevance levels the best ``n`` are among the
newest ``n`` matches plus the newest ``n`` headline matches, so a query never scores every match:
its cost follows the page asked for, not how common the word is. Counting stays inside FTS5
unless an outlet or entity filter needs the document table.
"""

from __future__ import annotations

from django.utils import timezone

from newsdesk.search.backends.base import (
    RECENCY_DAYS,
    TITLE_WEIGHT,
    Filters,
    Hit,
    Results,
    SearchBackend,
    key_ceiling,
    key_floor,
    key_seconds,
)
from newsdesk.search.text import Query, gram_of, short_term_grams


def phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def expression(terms: list[str], column: str | None = None) -> str:
    prefix = f"{column} : " if column else ""
    return " AND ".join(prefix + phrase(term) for term in terms)


class SqliteBackend(SearchBackend):
    def _delete_extra(self, cursor, article_id):
        cursor.execute(f"SELECT search_key FROM {self.document_table} WHERE article_id = %s", [article_id])
        row = cursor.fetchone()
        if row:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [row[0]])
            cursor.execute("DELETE FROM search_grams WHERE rowid = %s", [row[0]])

    def _add_extra(self, cursor, documents, keys):
        # Rows left behind by deletes that bypassed the signals (raw SQL, a flush) must not block.
        for table in ("search_fts", "search_grams"):
            cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [(key,) for key in keys])
        cursor.executemany(
            "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)",
            [(key, doc.title, doc.body) for doc, key in zip(documents, keys, strict=True)],
        )
        cursor.executemany(
            "INSERT INTO search_grams (rowid, title, body) VALUES (%s, %s, %s)",
            [(key, doc.title_grams, doc.body_grams) for doc, key in zip(documents, keys, strict=True)],
        )

    def _clear_extra(self, cursor):
        cursor.execute("DELETE FROM search_fts")
        cursor.execute("DELETE FROM search_grams")

    def _sql(self, query: Query, filters: Filters, now, title_only: bool) -> tuple[str, list[str], list]:
        """FROM clause, WHERE conditions and their parameters for the matches of ``query``."""
        column = "title" if title_only else None
        long_terms, short_terms = query.long_terms, query.short_terms
        gram_tokens = list(dict.fromkeys(g for term in short_terms for g in short_term_grams(term)))
        where, params = [], []
        if long_terms:
            table = "search_fts"
            where.append("search_fts MATCH %s")
            params.append(expression(long_terms, column))
            if gram_tokens:  # the unary + keeps SQLite from probing FTS5 once per rowid
                where.append("+p.rowid IN (SELECT rowid FROM search_grams WHERE search_grams MATCH %s)")
                params.append(expression(gram_tokens, column))
        else:
            table = "search_grams"
            where.append("search_grams MATCH %s")
            params.append(expression(gram_tokens, column))
        start, end = filters.bounds()
        high = key_ceiling(now) if end is None else min(key_ceiling(now), key_floor(end) - 1)
        where.append("p.rowid <= %s")
        params.append(high)
        if start is not None:
            where.append("p.rowid >= %s")
            params.append(key_floor(start))
        joined = []
        for term in short_terms:
            if gram_of(term) is None:  # a term with a non-letter: its letters matched, check the whole
                joined.append("instr(d.title || char(10) || d.body, %s) > 0")
                params.append(term)
        if filters.outlet is not None:
            joined.append("d.outlet_id = %s")
            params.append(filters.outlet)
        if filters.entity is not None:
            joined.append(
                f"d.article_id IN (SELECT document_id FROM {self.entity_table} WHERE entity_id = %s)"
            )
            params.append(filters.entity)
        sql_from = f"{table} p"
        if joined:  # CROSS JOIN: FTS5 stays the outer loop, walking matches newest first
            sql_from += f" CROSS JOIN {self.document_table} d ON d.search_key = p.rowid"
        return sql_from, where + joined, params

    def search(
        self, query: Query, filters: Filters | None = None, page: int = 1, per_page: int = 20
    ) -> Results:
        if not query or not (query.long_terms or any(short_term_grams(t) for t in query.short_terms)):
            return Results(count=0)
        filters = filters or Filters()
        now = timezone.now()
        sql_from, where, params = self._sql(query, filters, now, title_only=False)
        wanted = page * per_page
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {sql_from} WHERE {' AND '.join(where)}", params)
            count = cursor.fetchone()[0]
            if not count or (page - 1) * per_page >= count:
                return Results(count=count)
            cursor.execute(
                f"SELECT p.rowid FROM {sql_from} WHERE {' AND '.join(where)} ORDER BY p.rowid DESC LIMIT %s",
                [*params, wanted],
            )
            newest = [row[0] for row in cursor.fetchall()]
            title_from, title_where, title_params = self._sql(query, filters, now, title_only=True)
            cursor.execute(
                f"SELECT p.rowid FROM {title_from} WHERE {' AND '.join(title_where)} "
                "ORDER BY p.rowid DESC LIMIT %s",
                [*title_params, wanted],
            )
            headline = {row[0] for row in cursor.fetchall()}
            now_seconds = now.timestamp()

            def score(key: int) -> float:
                age_days = max(0.0, now_seconds - key_seconds(key)) / 86400
                return (1 + TITLE_WEIGHT * (key in headline)) / (1 + age_days / RECENCY_DAYS)

            ranked = sorted(set(newest) | headline, key=lambda key: (score(key), key), reverse=True)
            keys = ranked[(page - 1) * per_page : wanted]
            cursor.execute(
                f"SELECT search_key, article_id FROM {self.document_table} "
                f"WHERE search_key IN ({', '.join(['%s'] * len(keys))})",
                keys,
            )
            article_ids = dict(cursor.fetchall())
        return Results(
            count=count, hits=[Hit(article_ids[key], score(key)) for key in keys if key in article_ids]
        )
