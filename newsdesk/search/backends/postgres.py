"""PostgreSQL: pg_trgm's GIN index for terms of three characters or more, a grams array for less.

pg_trgm cannot use its index for a LIKE pattern shorter than three characters, so each document
also keeps its distinct unigrams and bigrams in a GIN-indexed ``text[]`` column: a short term is
one array containment. pg_trgm needs a database whose LC_CTYPE classifies Japanese as letters
(not ``C``): see ``newsdesk.search.checks``.
"""

from __future__ import annotations

from django.utils import timezone

from newsdesk.search.backends.base import RECENCY_DAYS, TITLE_WEIGHT, Filters, Results, SearchBackend
from newsdesk.search.text import Query, gram_of, grams, is_short, short_term_grams

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
                    sorted(grams(doc.title) | grams(doc.body)),
                )
                for doc, key in zip(documents, keys, strict=True)
            ],
        )

    def search(
        self,
        query: Query,
        filters: Filters | None = None,
        page: int = 1,
        per_page: int = 20,
        order: str = "relevance",
    ) -> Results:
        if not query:
            return Results(count=0)
        now = timezone.now()
        where, params = [], []
        for group in query.groups:
            options: list[str] = []
            option_params: list = []
            for term in group:
                if not is_short(term):
                    options.append(f"{TEXT} LIKE %s")
                    option_params.append(like_pattern(term))
                    continue
                tokens = short_term_grams(term)
                if not tokens:
                    continue
                option = "d.grams @> %s::text[]"
                option_params.append(tokens)
                if gram_of(term) is None:  # its letters matched: check the whole term
                    option += f" AND {TEXT} LIKE %s"
                    option_params.append(like_pattern(term))
                options.append(option)
            if not options:
                return Results(count=0)
            where.append("(" + " OR ".join(f"({option})" for option in options) + ")")
            params.extend(option_params)
        filter_where, filter_params = self.filter_sql(filters, now)
        # Relevance: 1 + TITLE_WEIGHT when every term (any of its alternatives) is in the headline,
        # else 1; divided by age, as on SQLite. By date: the age alone.
        in_title = " AND ".join(
            "(" + " OR ".join("strpos(d.title, %s) > 0" for _ in group) + ")" for group in query.groups
        )
        score_params: list = [term for group in query.groups for term in group]
        relevance = (
            "1.0" if order == "date" else f"(1.0 + CASE WHEN {in_title} THEN {TITLE_WEIGHT} ELSE 0 END)"
        )
        if order == "date":
            score_params = []
        score = (
            f"{relevance} / "
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
