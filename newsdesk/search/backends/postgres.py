"""PostgreSQL: pg_trgm's GIN index for terms of three characters or more, a grams array for less.

pg_trgm cannot use its index for a LIKE pattern shorter than three characters, so each document
also keeps its distinct unigrams and bigrams in a GIN-indexed ``text[]`` column: a short term is
one array containment. pg_trgm needs a database whose LC_CTYPE classifies Japanese as letters
(not ``C``): see ``newsdesk.search.checks``.
"""

from __future__ import annotations

from django.utils import timezone

from newsdesk.search.backends.base import RECENCY_DAYS, TITLE_WEIGHT, Filters, Results, SearchBackend
from newsdesk.search.text import Query, gram_of, short_term_grams

TEXT = "(d.title || E'\\n' || d.body)"  # the indexed expression, exactly as in the migration


def like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class PostgresBackend(SearchBackend):
    def _insert_documents(self, cursor, documents, keys, now):
        cursor.executemany(
            f"INSERT INTO {self.document_table} "
            "(article_id, outlet_id, published_at, search_key, title, body, indexed_at, grams) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (
                    doc.article_id,
                    doc.outlet_id,
                    doc.published_at,
                    key,
                    doc.title,
                    doc.body,
                    now,
                    sorted(set(doc.title_grams.split()) | set(doc.body_grams.split())),
                )
                for doc, key in zip(documents, keys, strict=True)
            ],
        )

    def search(
        self, query: Query, filters: Filters | None = None, page: int = 1, per_page: int = 20
    ) -> Results:
        if not query:
            return Results(count=0)
        now = timezone.now()
        where, params = [], []
        for term in query.long_terms:
            where.append(f"{TEXT} LIKE %s")
            params.append(like_pattern(term))
        gram_tokens = list(dict.fromkeys(g for term in query.short_terms for g in short_term_grams(term)))
        if gram_tokens:
            where.append("d.grams @> %s::text[]")
            params.append(gram_tokens)
        for term in query.short_terms:
            if gram_of(term) is None:
                where.append(f"{TEXT} LIKE %s")
                params.append(like_pattern(term))
        filter_where, filter_params = self.filter_sql(filters, now)
        # Relevance: 1 + TITLE_WEIGHT when every term is in the headline, else 1; divided by age,
        # as on SQLite.
        in_title = " AND ".join("strpos(d.title, %s) > 0" for _ in query.terms)
        score_params = list(query.terms)
        score = (
            f"(1.0 + CASE WHEN {in_title} THEN {TITLE_WEIGHT} ELSE 0 END) / "
            f"(1.0 + greatest(0.0, extract(epoch FROM (%s - d.published_at)) / 86400.0) / {RECENCY_DAYS})"
        )
        score_params.append(now)
        return self.run_search(
            f"{self.document_table} d",
            where + filter_where,
            params + filter_params,
            score,
            score_params,
            page,
            per_page,
        )
