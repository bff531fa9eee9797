"""Entity tokens: one token in each of SQLite's full-text tables for each gazetteer entity a
document names.

A term that names an entity searches every name of it (``aliases.expand``): 金正恩 is an OR of six
spellings, one of them the phrase "kim jong un", whose nine trigrams are checked in each of tens of
thousands of candidates just to count the matches. With a token per entity and column the whole
OR is one token, counted from one position list, and intersected with the query's other terms
inside FTS5 in whichever table they use (北朝鮮 ミサイル: the trigram table; 米, which searches 米
beside アメリカ's names: the gram table). In the trigram table the tokens follow the column's text
after a line break, each three characters of the private use planes (one trigram), which
``search.text`` removes from every text and query, so no text makes one; in the gram table they
are words longer than any gram (``ent412``).

A token is exact, not a guess: a column carries an entity's token when it contains one of the
entity's searchable names (``aliases.searchable_names``) after folding, the very test the OR of
names makes, so a search finds the same articles either way. The names change when an editor edits
the gazetteer, and each process reads the gazetteer anew within ``aliases.CACHE_SECONDS``; so
``EntityToken`` records the names each entity's tokens were computed with, a search uses a token
only while its own names are the same (else the OR of names, as before), and ``refresh_stale``
recomputes the tokens of changed entities once every process reads the new names. ``record_all``
marks every token current after a full rebuild (``newsdesk reindex``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from newsdesk.search import aliases
from newsdesk.search.models import EntityToken
from newsdesk.search.text import letter_runs

# A process reads new names within CACHE_SECONDS; a minute more covers an index write under way.
REFRESH_GRACE = dt.timedelta(seconds=aliases.CACHE_SECONDS + 60)


MARKER = "\U00100000"  # the first character of every token
_DIGITS = 0xF0000  # the entity id in two base-65536 digits from here


def token(entity_id: int) -> str:
    return MARKER + chr(_DIGITS + (entity_id >> 16)) + chr(_DIGITS + (entity_id & 0xFFFF))


def gram_token(entity_id: int) -> str:
    """The entity's token in the gram table, whose grams are one or two characters long."""
    return f"ent{entity_id}"


def split_tokens(column: str) -> tuple[str, list[str]]:
    """A trigram table column: its text, and its tokens."""
    text, _, marks = column.partition("\n" + MARKER)
    return text, [MARKER + mark for mark in marks.split(" " + MARKER)] if marks else []


def join_tokens(text: str, marks: Iterable[str]) -> str:
    marks = list(marks)
    return text + "\n" + " ".join(marks) if marks else text


def _key_gram(name: str) -> str:
    """A gram every text containing ``name`` has (the first pair of letters of its longest run)."""
    run = max(letter_runs(name), key=len, default="")
    return run[:2]


@dataclass
class _Matcher:
    gazetteer: object  # the aliases state it was built from
    by_gram: dict[str, list[tuple[str, int]]]  # a key gram -> (name, entity) pairs
    unkeyed: list[tuple[str, int]]  # names without a letter: checked in every text
    hashes: dict[int, str]  # entity -> the hash of its searchable names


_matcher: _Matcher | None = None


def matcher() -> _Matcher:
    global _matcher
    state = aliases.gazetteer()
    if _matcher is None or _matcher.gazetteer is not state:
        by_gram: dict[str, list[tuple[str, int]]] = {}
        unkeyed: list[tuple[str, int]] = []
        hashes = {}
        for entity_id in state.names_of:
            names = aliases.searchable_names(entity_id)
            hashes[entity_id] = hashlib.sha1("\n".join(sorted(names)).encode()).hexdigest()[:16]
            for name in names:
                key = _key_gram(name)
                (by_gram.setdefault(key, []) if key else unkeyed).append((name, entity_id))
        _matcher = _Matcher(state, by_gram, unkeyed, hashes)
    return _matcher


def named(text: str, text_grams: set[str]) -> set[int]:
    """The entities one of whose searchable names ``text`` (folded) contains."""
    current = matcher()
    found: set[int] = set()
    keys = current.by_gram.keys() & text_grams
    for key in keys:
        for name, entity_id in current.by_gram[key]:
            if entity_id not in found and name in text:
                found.add(entity_id)
    for name, entity_id in current.unkeyed:
        if entity_id not in found and name in text:
            found.add(entity_id)
    return found


def usable(entity_ids: Iterable[int]) -> set[int]:
    """Those of the entities whose tokens were computed with the names this process searches."""
    ids = set(entity_ids)
    if not ids:
        return set()
    hashes = matcher().hashes
    recorded = EntityToken.objects.filter(entity_id__in=ids).values_list("entity_id", "names_hash")
    return {
        entity_id for entity_id, names_hash in recorded if names_hash and hashes.get(entity_id) == names_hash
    }


def record_all() -> None:
    """Every entity's tokens are current: the whole index was just built with the names this
    process reads (the builder reloads them first: ``aliases.reload``)."""
    hashes = matcher().hashes
    with transaction.atomic():
        EntityToken.objects.all().delete()
        EntityToken.objects.bulk_create(
            EntityToken(entity_id=entity_id, names_hash=names_hash)
            for entity_id, names_hash in hashes.items()
        )


def refresh_stale(backend, now: dt.datetime | None = None) -> list[int]:
    """Recomputes the tokens of entities whose names changed at least ``REFRESH_GRACE`` ago (when
    first seen changed here); returns their ids. New entities count as changed."""
    now = now or timezone.now()
    aliases.reload()
    hashes = matcher().hashes
    rows = {row.entity_id: row for row in EntityToken.objects.all()}
    EntityToken.objects.exclude(entity_id__in=list(hashes)).delete()  # entities deleted
    due = []
    for entity_id, names_hash in hashes.items():
        row = rows.get(entity_id) or EntityToken(entity_id=entity_id)
        if row.names_hash == names_hash:
            continue
        if row.pending_hash != names_hash:
            row.pending_hash, row.pending_since = names_hash, now
            row.save()
        if row.pending_since <= now - REFRESH_GRACE:
            due.append(row)
    for row in due:
        with transaction.atomic():
            backend.refresh_tokens(row.entity_id, aliases.searchable_names(row.entity_id))
            row.names_hash, row.pending_hash, row.pending_since = row.pending_hash, "", None
            row.save()
    return [row.entity_id for row in due]
