"""Alias expansion: a query term that names a gazetteer entity also finds its other names.

ラザルス, Lazarus and ラザロ・グループ find each other; so do 米, 米国 and アメリカ. The term as typed is
always searched; what expansion adds is guarded, because search matches substrings:

- no added alternative of one character (米 would match 玄米 and 米価), and no added ASCII
  alternative under four letters (US is inside "focus", USA inside "Busan", CIA inside "social");
  the reader who types one gets it, as before;
- an alternative that contains another one is dropped (ラザルス finds ラザルス・グループ already).

One-kanji abbreviations of countries (米, 英, 露...) are headline usage, not gazetteer aliases:
as aliases the entity matcher would tag every article on 玄米 as アメリカ. They are kept here and
only expand a query that is exactly that character.

The gazetteer is read once per process and again after ``CACHE_SECONDS``, or at once when an
entity or alias is saved or deleted in this process. A transaction that changed it reads its own
names and keeps none of them (it may be rolled back: search.tokens would index names that never
were); the process reads it anew once it commits.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from newsdesk.entities.models import Alias, Entity
from newsdesk.japanese.normalize import search_form
from newsdesk.search.text import Query, gram_of, is_short

CACHE_SECONDS = 300
MAX_ALTERNATIVES = 12
# Headline abbreviations (one kanji) and the gazetteer entity they stand for.
SHORT_FORMS = {
    "米": "アメリカ",
    "英": "イギリス",
    "露": "ロシア",
    "仏": "フランス",
    "独": "ドイツ",
    "豪": "オーストラリア",
    "韓": "韓国",
}


@dataclass
class _Gazetteer:
    loaded_at: float
    entities_of: dict[str, set[int]]  # a folded name -> the entities it names
    names_of: dict[int, list[str]]  # an entity -> its folded names, the main one first


_state: _Gazetteer | None = None


def _forms(name: str) -> list[str]:
    form = search_form(name.strip())
    forms = [form] if form else []
    if "・" in form:
        forms.append(form.replace("・", ""))
    return forms


def _load() -> _Gazetteer:
    entities_of: dict[str, set[int]] = {}
    names_of: dict[int, list[str]] = {}
    rows = [*Entity.objects.values_list("pk", "name"), *Alias.objects.values_list("entity_id", "name")]
    for entity_id, name in rows:
        for form in _forms(name):
            entities_of.setdefault(form, set()).add(entity_id)
            names = names_of.setdefault(entity_id, [])
            if form not in names:
                names.append(form)
    by_name = {names[0]: entity_id for entity_id, names in names_of.items() if names}
    for short, name in SHORT_FORMS.items():
        target = by_name.get(search_form(name))
        if target is not None:
            entities_of.setdefault(search_form(short), set()).add(target)
    return _Gazetteer(time.monotonic(), entities_of, names_of)


# On a database connection whose transaction changed the gazetteer: (its outermost block, the
# blocks open when it last read the names, those names or None).
_OWN = "_newsdesk_gazetteer_own"


def gazetteer() -> _Gazetteer:
    global _state
    own = getattr(connection, _OWN, None)
    if own is not None and connection.in_atomic_block and own[0] is connection.atomic_blocks[0]:
        # Names this transaction wrote may yet be rolled back: they are for it alone, and read
        # again once a block has ended (a savepoint rolled back takes its names with it).
        blocks = tuple(connection.atomic_blocks)
        if own[2] is None or own[1] != blocks:
            own = (own[0], blocks, _load())
            setattr(connection, _OWN, own)
        return own[2]
    if _state is None or time.monotonic() - _state.loaded_at > CACHE_SECONDS:
        _state = _load()
    return _state


def addable(name: str) -> bool:
    """Whether an alias may be added to a term: long enough not to match inside other words."""
    if len(name) < 2:
        return False
    if name.isascii() and len(name) < 4:
        return False
    # A short alternative with a non-letter would need a re-check (see text.gram_of): not worth it.
    return not (is_short(name) and gram_of(name) is None)


def _named(term: str) -> list[int]:
    return sorted(gazetteer().entities_of.get(term, ()))


def alternatives(term: str) -> tuple[str, ...]:
    """The term, then the other names of every entity it names, guarded as above."""
    state = gazetteer()
    found = [
        name
        for entity_id in _named(term)
        for name in state.names_of.get(entity_id, [])
        if name != term and addable(name)
    ]
    kept = [term]
    for name in sorted(dict.fromkeys(found), key=len):
        if not any(other in name for other in kept):
            kept.append(name)
    return tuple(kept[:MAX_ALTERNATIVES])


def expand(query: Query) -> Query:
    """The same query with each term's alternatives, and the entities each term names (for
    ``search.tokens``: none where the alternatives were cut at ``MAX_ALTERNATIVES``, since a token
    stands for every name)."""
    if not query:
        return query
    groups = tuple(alternatives(term) for term in query.terms)
    entities = tuple(
        tuple(_named(term)) if len(group) < MAX_ALTERNATIVES else ()
        for term, group in zip(query.terms, groups, strict=True)
    )
    return Query(query.terms, groups, entities)


def searchable_names(entity_id: int) -> list[str]:
    """Every name of the entity a search term may be widened to (see ``addable``)."""
    return [name for name in gazetteer().names_of.get(entity_id, []) if addable(name)]


def reload() -> _Gazetteer:
    """The gazetteer read again now (a command that indexes everything must not use an old one)."""
    global _state
    _state = _load()
    return _state


@receiver([post_save, post_delete], sender=Entity, dispatch_uid="search.aliases.entity")
@receiver([post_save, post_delete], sender=Alias, dispatch_uid="search.aliases.alias")
def _gazetteer_changed(**kwargs):
    forget()
    if connection.in_atomic_block:
        setattr(connection, _OWN, (connection.atomic_blocks[0], (), None))
        transaction.on_commit(forget)


def forget() -> None:
    """The gazetteer is read again on next use."""
    global _state
    _state = None
