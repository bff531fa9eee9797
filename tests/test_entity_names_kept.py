"""The entity matcher is made once per process (entities.service.known_names) and made again at
once after an entity or alias is added, renamed or removed (newsdesk.core.remembered).

Transactional tests: what is kept is only what was read outside a transaction."""

from __future__ import annotations

import pytest
from django.db import transaction

from newsdesk.entities.models import Alias, Entity, Kind
from newsdesk.entities.names import article_entities
from newsdesk.entities.service import known_names

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = ["ノルデン諸島の港湾局は新しい埠頭を来春に開くと発表した。"]  # a made-up place


def named() -> set[str]:
    matcher, kinds = known_names()
    entities = {entity.pk: entity.name for entity in Entity.objects.all()}
    return {entities[found.entity] for _, found in article_entities(TEXT, matcher, kinds) if found.entity}


def test_the_matcher_is_kept_until_a_name_changes(django_assert_num_queries):
    known_names()
    with django_assert_num_queries(0):
        known_names()
    place = Entity.objects.create(name="ノルデン諸島", kind=Kind.PLACE)
    assert named() == {"ノルデン諸島"}
    place.name = "ノルデン群島"
    place.save()
    Alias.objects.create(entity=place, name="ノルデン諸島")
    assert named() == {"ノルデン群島"}  # found by its alias now
    Alias.objects.all().delete()
    assert named() == set()


def test_a_name_rolled_back_is_never_known():
    known_names()
    with pytest.raises(RuntimeError), transaction.atomic():
        Entity.objects.create(name="ノルデン諸島", kind=Kind.PLACE)
        assert named() == {"ノルデン諸島"}  # the transaction reads its own rows
        raise RuntimeError
    assert named() == set()
