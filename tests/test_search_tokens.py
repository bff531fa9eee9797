"""Entity tokens in SQLite's trigram table: one token stands for every name of a gazetteer entity, a
search finds exactly what the OR of names finds, and an edited gazetteer falls back to the names
until the tokens are recomputed."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from newsdesk.entities.models import Alias, Entity, Kind
from newsdesk.search import aliases, tokens
from newsdesk.search.backends import Filters, get_backend
from newsdesk.search.models import EntityToken
from newsdesk.search.tasks import refresh_entity_tokens
from newsdesk.search.text import parse_query

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="entity tokens live in SQLite's trigram table"),
]


@pytest.fixture
def make(article_factory):
    def build(text, **fields):
        return article_factory(translation=[text], summary=[], **fields)

    return build


def ids(raw: str) -> set[int]:
    results = get_backend().search(aliases.expand(parse_query(raw)), Filters(), 1, 50)
    assert results.count == len(results.hits)
    return {hit.article_id for hit in results.hits}


def carrying(entity: Entity, column: str = "body") -> set[int]:
    """The articles whose rows carry the entity's token in ``column``; the same in both tables."""
    found = []
    for table, mark in (
        ("search_fts", tokens.token(entity.pk)),
        ("search_grams", tokens.gram_token(entity.pk)),
    ):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.article_id FROM {table} f JOIN search_searchdocument d ON d.search_key = f.rowid "
                f"WHERE {table} MATCH %s",
                [f'{column} : "{mark}"'],
            )
            found.append({row[0] for row in cursor.fetchall()})
    assert found[0] == found[1]
    return found[0]


QUERIES = [
    "米",
    "アメリカ",
    "米国",
    "united states",
    "ラザルス",
    "lazarus",
    "ラザロ",
    "米 ロシア",
    "露",
    "韓国 米",
]


@pytest.fixture
def corpus(make):
    texts = [
        "アメリカの大統領が来日した。",
        "米国務長官が会見した。",
        "米中首脳が会談した。",
        "The United States announced tariffs.",
        "玄米の値段が上がった。",
        "ラザロ・グループが暗号資産を盗んだ。",
        "当局はLazarusの関与を指摘した。",
        "ラザニアの作り方。",
        "ロシアと韓国、アメリカが協議。",
        "露店の話。",
    ]
    return [make(text) for text in texts]


def test_a_document_carries_the_token_of_each_entity_it_names(corpus):
    america = Entity.objects.get(name="アメリカ")
    lazarus = Entity.objects.get(name="ラザロ・グループ")
    assert carrying(america) == {corpus[0].pk, corpus[1].pk, corpus[3].pk, corpus[8].pk}
    assert carrying(lazarus) == {corpus[5].pk, corpus[6].pk}
    assert corpus[4].pk not in carrying(america)  # 玄米: 米 alone is no name of アメリカ


def test_tokens_find_what_the_names_find(corpus):
    by_names = {raw: ids(raw) for raw in QUERIES}  # nothing recorded yet: the OR of names
    assert not tokens.usable([Entity.objects.get(name="アメリカ").pk])
    tokens.record_all()
    assert tokens.usable([Entity.objects.get(name="アメリカ").pk])
    assert {raw: ids(raw) for raw in QUERIES} == by_names
    # 米 as typed is searched as well (玄米 too), beside every name of アメリカ.
    assert by_names["米"] == {corpus[i].pk for i in (0, 1, 2, 3, 4, 8)}


def test_the_search_reads_the_token(corpus):
    """With tokens current, a row's token decides: one taken away by hand is not found."""
    tokens.record_all()
    america = Entity.objects.get(name="アメリカ")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_key FROM search_searchdocument WHERE article_id = %s", [corpus[0].pk])
        key = cursor.fetchone()[0]
        cursor.execute("SELECT title, body FROM search_fts WHERE rowid = %s", [key])
        title, body = cursor.fetchone()
        cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [key])
        cursor.execute(
            "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)",
            [key, title, body.replace(tokens.token(america.pk), "")],
        )
    assert corpus[0].pk not in ids("アメリカ")
    assert corpus[0].pk in ids("米")  # 米 searches the gram table, whose row still has it
    get_backend().refresh_tokens(america.pk, aliases.searchable_names(america.pk))
    assert corpus[0].pk in ids("アメリカ")


def test_an_edited_entity_falls_back_to_its_names_until_refreshed(make):
    article = make("ヒドゥンコブラの新たな手口。")
    tokens.record_all()
    entity = Entity.objects.get(name="ラザロ・グループ")
    alias = Alias.objects.create(entity=entity, name="ヒドゥンコブラ")
    # The article was indexed before the alias: no token, but the names still find it.
    assert article.pk not in carrying(entity)
    assert not tokens.usable([entity.pk])
    assert ids("ラザルス") == {article.pk}

    backend = get_backend()
    assert tokens.refresh_stale(backend) == []  # seen changed now: other processes may not know yet
    row = EntityToken.objects.get(entity_id=entity.pk)
    assert row.pending_hash and row.pending_since
    later = row.pending_since + tokens.REFRESH_GRACE
    assert tokens.refresh_stale(backend, now=later) == [entity.pk]
    assert article.pk in carrying(entity)
    assert tokens.usable([entity.pk])
    assert ids("ラザルス") == {article.pk}

    alias.delete()
    assert ids("ラザルス") == set()  # fallback: the names no longer include it
    tokens.refresh_stale(backend)
    assert tokens.refresh_stale(backend, now=later + tokens.REFRESH_GRACE * 2) == [entity.pk]
    assert article.pk not in carrying(entity)
    assert ids("ラザルス") == set()


def test_new_and_deleted_entities(make):
    tokens.record_all()
    entity = Entity.objects.create(name="青葉ケミカル", kind=Kind.ORGANISATION)
    article = make("青葉ケミカルが新工場を発表。")
    assert article.pk in carrying(entity)  # indexed after the entity was added
    assert ids("青葉ケミカル") == {article.pk}
    refresh_entity_tokens.call_local()
    assert EntityToken.objects.get(entity_id=entity.pk).pending_since is not None
    entity.delete()
    refresh_entity_tokens.call_local()
    assert not EntityToken.objects.filter(entity_id=entity.pk).exists()


def test_reindex_records_current_tokens(corpus):
    call_command("reindex", stdout=io.StringIO(), stderr=io.StringIO())
    america = Entity.objects.get(name="アメリカ")
    assert tokens.usable([america.pk]) == {america.pk}
    assert EntityToken.objects.count() == Entity.objects.count()
    assert carrying(america) == {corpus[0].pk, corpus[1].pk, corpus[3].pk, corpus[8].pk}
    assert carrying(america, "title") == set()


def test_text_cannot_pose_as_a_token(make):
    """The private use characters tokens are made of are taken out of texts and queries."""
    america = Entity.objects.get(name="アメリカ")
    forged = make(f"偽の記号{tokens.token(america.pk)}入り。")
    tokens.record_all()
    assert forged.pk not in carrying(america)
    assert ids("アメリカ") == set()
    assert ids(tokens.token(america.pk) + "偽の") == ids("偽の") == {forged.pk}  # searched as 偽の


def test_tokens_split_and_join():
    marks = [tokens.token(1), tokens.token(70_000)]
    column = tokens.join_tokens("本文\n二行目", marks)
    assert tokens.split_tokens(column) == ("本文\n二行目", marks)
    assert tokens.split_tokens("本文") == ("本文", [])
    assert tokens.join_tokens("本文", []) == "本文"


def test_a_rolled_back_alias_leaves_no_name_and_no_token(make):
    entity = Entity.objects.get(name="ラザロ・グループ")
    with pytest.raises(RuntimeError), transaction.atomic():
        Alias.objects.create(entity=entity, name="ヒドゥンコブラ")
        assert "ヒドゥンコブラ" in aliases.alternatives("ラザルス")  # the transaction reads its own names
        raise RuntimeError
    assert "ヒドゥンコブラ" not in aliases.alternatives("ラザルス")
    article = make("ヒドゥンコブラの新たな手口。")
    assert article.pk not in carrying(entity)
