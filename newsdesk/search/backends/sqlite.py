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

from newsdesk.search import aliases, tokens
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
from newsdesk.search.text import Query, gram_of, grams, is_short, short_term_grams


def phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def expression(terms: list[str], column: str | None = None) -> str:
    prefix = f"{column} : " if column else ""
    return " AND ".join(prefix + phrase(term) for term in terms)


def either(terms: list[str], column: str | None = None) -> str:
    """FTS5 for any one of ``terms`` (trigram table), or "" for none."""
    if not terms:
        return ""
    prefix = f"{column} : " if column else ""
    if len(terms) == 1:
        return prefix + phrase(terms[0])
    return prefix + "(" + " OR ".join(phrase(term) for term in terms) + ")"


def either_grams(terms: list[str], column: str | None = None, marks: list[str] | None = None) -> str:
    """FTS5 for any one of the short ``terms`` (gram table), each its gram or all its letters, or
    of the entity tokens ``marks``."""
    options = [phrase(mark) for mark in marks or []]
    for term in terms:
        tokens = short_term_grams(term)
        if tokens:
            options.append(" AND ".join(phrase(token) for token in tokens))
    if not options:
        return ""
    prefix = f"{column} : " if column else ""
    if len(options) == 1:
        return prefix + "(" + options[0] + ")"
    return prefix + "(" + " OR ".join(f"({option})" for option in options) + ")"


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
        trigram_rows, gram_rows = [], []
        for doc, key in zip(documents, keys, strict=True):
            trigram_row, gram_row = [key], [key]
            for text in (doc.title, doc.body):
                text_grams = grams(text)
                entities = sorted(tokens.named(text, text_grams))
                trigram_row.append(tokens.join_tokens(text, map(tokens.token, entities)))
                gram_row.append(" ".join([*sorted(text_grams), *map(tokens.gram_token, entities)]))
            trigram_rows.append(trigram_row)
            gram_rows.append(gram_row)
        cursor.executemany("INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)", trigram_rows)
        cursor.executemany("INSERT INTO search_grams (rowid, title, body) VALUES (%s, %s, %s)", gram_rows)

    def _clear_extra(self, cursor):
        cursor.execute("DELETE FROM search_fts")
        cursor.execute("DELETE FROM search_grams")

    entity_tokens = True

    def refresh_tokens(self, entity_id: int, names: list[str]) -> None:
        mark = tokens.token(entity_id)
        with self.connection.cursor() as cursor:
            wanted: dict[str, set[int]] = {}
            changed: set[int] = set()
            for column in ("title", "body"):
                wanted[column] = set()
                for table, expr in (
                    ("search_fts", either([name for name in names if not is_short(name)], column)),
                    ("search_grams", either_grams([name for name in names if is_short(name)], column)),
                ):
                    if expr:
                        cursor.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [expr])
                        wanted[column].update(row[0] for row in cursor.fetchall())
                cursor.execute(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [f"{column} : {phrase(mark)}"]
                )
                changed |= wanted[column] ^ {row[0] for row in cursor.fetchall()}
            gram_mark = tokens.gram_token(entity_id)
            for key in sorted(changed):
                cursor.execute("SELECT title, body FROM search_fts WHERE rowid = %s", [key])
                trigram_columns = []
                for column, stored in zip(("title", "body"), cursor.fetchone(), strict=True):
                    text, marks = tokens.split_tokens(stored)
                    kept = [other for other in marks if other != mark] + [mark] * (key in wanted[column])
                    trigram_columns.append(tokens.join_tokens(text, kept))
                cursor.execute("SELECT title, body FROM search_grams WHERE rowid = %s", [key])
                gram_columns = []
                for column, stored in zip(("title", "body"), cursor.fetchone(), strict=True):
                    words = [word for word in stored.split() if word != gram_mark]
                    gram_columns.append(" ".join(words + [gram_mark] * (key in wanted[column])))
                for table, columns in (("search_fts", trigram_columns), ("search_grams", gram_columns)):
                    cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [key])
                    cursor.execute(
                        f"INSERT INTO {table} (rowid, title, body) VALUES (%s, %s, %s)", [key, *columns]
                    )

    def _group_expressions(self, query: Query, index: int, fresh: set[int], column) -> tuple[str, str, bool]:
        """FTS5 for one term's alternatives: (trigram table, gram table, whether either one alone
        finds them all); either may be ""; both set and not alone: they must be ORed."""
        group = query.groups[index]
        entities = query.entities[index] if query.entities else ()
        if not (entities and fresh.issuperset(entities)):
            return (
                either([term for term in group if not is_short(term)], column),
                either_grams([term for term in group if is_short(term)], column),
                False,
            )
        # The entities' tokens (in both tables) stand for all their names; the term itself, when
        # the names leave it out (米 for アメリカ), is searched beside them in its own table.
        term = group[0]
        entities = sorted(entities)
        if aliases.addable(term):
            marks = [tokens.token(entity) for entity in entities]
            return (
                either(marks, column),
                either_grams([], column, [tokens.gram_token(e) for e in entities]),
                True,
            )
        if is_short(term):
            return "", either_grams([term], column, [tokens.gram_token(entity) for entity in entities]), False
        return either([term, *(tokens.token(entity) for entity in entities)], column), "", False

    def _plans(
        self, query: Query, filters: Filters, now, title_only: bool, fresh: set[int]
    ) -> list[tuple[str, list[str], list]]:
        """One (FROM, WHERE, params) per driving FTS5 table: usually one; two when every term has
        alternatives of both lengths (米 or アメリカ), each walking its own table newest first.
        ``fresh``: the entities whose tokens may stand for their names."""
        column = "title" if title_only else None
        long_only, short_only, mixed, either_table = [], [], [], []
        for index in range(len(query.groups)):
            long_expr, short_expr, alone = self._group_expressions(query, index, fresh, column)
            if alone:
                either_table.append((long_expr, short_expr))
            elif long_expr and short_expr:
                mixed.append((long_expr, short_expr))
            elif long_expr:
                long_only.append(long_expr)
            elif short_expr:
                short_only.append(short_expr)
        # A term whose tokens serve in either table joins the table the other terms use, so
        # that FTS5 intersects them itself.
        if short_only and not long_only:
            short_only += [short_expr for _, short_expr in either_table]
        else:
            long_only += [long_expr for long_expr, _ in either_table]
        conditions: list[tuple[str, list]] = []

        def inside(table: str) -> str:
            # The unary + keeps SQLite from probing FTS5 once per rowid.
            return f"+p.rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH %s)"

        if long_only:
            drivers = [("search_fts", " AND ".join(long_only))]
            if short_only:
                conditions.append((inside("search_grams"), [" AND ".join(short_only)]))
        elif short_only:
            drivers = [("search_grams", " AND ".join(short_only))]
        else:
            first, mixed = mixed[0], mixed[1:]
            drivers = [("search_fts", first[0]), ("search_grams", first[1])]
        for long_expr, short_expr in mixed:
            conditions.append(
                (f"({inside('search_fts')} OR {inside('search_grams')})", [long_expr, short_expr])
            )
        start, end = filters.bounds()
        high = key_ceiling(now) if end is None else min(key_ceiling(now), key_floor(end) - 1)
        joined: list[str] = []
        joined_params: list = []
        for group in query.groups:
            term = group[0]
            if len(group) == 1 and is_short(term) and gram_of(term) is None:
                # A term with a non-letter: its letters matched, check the whole.
                joined.append("instr(d.title || char(10) || d.body, %s) > 0")
                joined_params.append(term)
        if filters.outlet is not None:
            joined.append("d.outlet_id = %s")
            joined_params.append(filters.outlet)
        if filters.entity is not None:
            joined.append(
                f"d.article_id IN (SELECT document_id FROM {self.entity_table} WHERE entity_id = %s)"
            )
            joined_params.append(filters.entity)
        plans = []
        for table, expr in drivers:
            where: list[str] = [f"{table} MATCH %s"]
            params: list = [expr]
            for condition, condition_params in conditions:
                where.append(condition)
                params.extend(condition_params)
            where.append("p.rowid <= %s")
            params.append(high)
            if start is not None:
                where.append("p.rowid >= %s")
                params.append(key_floor(start))
            sql_from = f"{table} p"
            if joined:  # CROSS JOIN: FTS5 stays the outer loop, walking matches newest first
                sql_from += f" CROSS JOIN {self.document_table} d ON d.search_key = p.rowid"
            plans.append((sql_from, where + joined, params + joined_params))
        return plans

    def _newest(self, cursor, plans, limit: int) -> list[int]:
        keys: set[int] = set()
        for sql_from, where, params in plans:
            cursor.execute(
                f"SELECT p.rowid FROM {sql_from} WHERE {' AND '.join(where)} ORDER BY p.rowid DESC LIMIT %s",
                [*params, limit],
            )
            keys.update(row[0] for row in cursor.fetchall())
        return sorted(keys, reverse=True)[:limit]

    def _count(self, cursor, plans) -> int:
        count = 0
        for number, (sql_from, where, params) in enumerate(plans):
            if number:  # a second driving table: leave out what the first one counted
                where = [*where, "p.rowid NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"]
                params = [*params, plans[0][2][0]]
            cursor.execute(f"SELECT count(*) FROM {sql_from} WHERE {' AND '.join(where)}", params)
            count += cursor.fetchone()[0]
        return count

    def search(
        self,
        query: Query,
        filters: Filters | None = None,
        page: int = 1,
        per_page: int = 20,
        order: str = "relevance",
    ) -> Results:
        if not query or not all(
            any(not is_short(term) or short_term_grams(term) for term in group) for group in query.groups
        ):
            return Results(count=0)
        filters = filters or Filters()
        now = timezone.now()
        fresh = tokens.usable(entity for entities in query.entities for entity in entities)
        plans = self._plans(query, filters, now, title_only=False, fresh=fresh)
        wanted = page * per_page
        with self.connection.cursor() as cursor:
            count = self._count(cursor, plans)
            if not count or (page - 1) * per_page >= count:
                return Results(count=count)
            newest = self._newest(cursor, plans, wanted)
            headline = set(
                self._newest(cursor, self._plans(query, filters, now, title_only=True, fresh=fresh), wanted)
            )
            now_seconds = now.timestamp()

            def score(key: int) -> float:
                age_days = max(0.0, now_seconds - key_seconds(key)) / 86400
                return (1 + TITLE_WEIGHT * (key in headline)) / (1 + age_days / RECENCY_DAYS)

            if order == "date":
                ranked = newest
            else:
                ranked = sorted(set(newest) | headline, key=lambda key: (score(key), key), reverse=True)
            keys = ranked[(page - 1) * per_page : wanted]
            if not keys:
                return Results(count=count)
            cursor.execute(
                f"SELECT search_key, article_id FROM {self.document_table} "
                f"WHERE search_key IN ({', '.join(['%s'] * len(keys))})",
                keys,
            )
            article_ids = dict(cursor.fetchall())
        return Results(
            count=count, hits=[Hit(article_ids[key], score(key)) for key in keys if key in article_ids]
        )
