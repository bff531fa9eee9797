"""Outlet lookups are remembered per process (sources.remembered) and never answer from before a
committed change: an alias added, an outlet merged or updated, a transaction rolled back.

Transactional tests: what is remembered is only what was read outside a transaction."""

from __future__ import annotations

import pytest
from django.db import transaction

from newsdesk.sources import recognize, remembered
from newsdesk.sources.merge import merge
from newsdesk.sources.models import Outlet, OutletAlias

pytestmark = pytest.mark.django_db(transaction=True)


def outlet_of(url: str) -> Outlet:
    return recognize.outlet_for(urls=[url])


def test_the_second_lookup_of_a_domain_asks_the_database_nothing(django_assert_num_queries):
    bbc = outlet_of("https://www.bbc.com/news/world-asia-1")  # made: the rows are read again next
    assert outlet_of("https://www.bbc.com/news/world-asia-2") == bbc
    with django_assert_num_queries(0):
        assert outlet_of("https://www.bbc.com/news/world-asia-3") == bbc
    unknown = outlet_of("https://news.example.org/a")  # made here: "nothing found" is not kept
    assert outlet_of("https://news.example.org/b") == unknown
    with django_assert_num_queries(0):
        assert outlet_of("https://news.example.org/c") == unknown


def test_a_site_named_by_its_domain_is_not_saved_again_on_each_page(django_assert_num_queries):
    def page_of_site(path: str) -> Outlet:
        return recognize.outlet_for(urls=[f"https://quiet-wire.example/{path}"], names=["quiet-wire.example"])

    outlet = page_of_site("a")
    page_of_site("b")
    with django_assert_num_queries(0):  # no save, so the remembered rows stay
        assert page_of_site("c") == outlet


def test_an_alias_added_is_seen_at_once():
    unknown = outlet_of("https://news.example.org/a")
    assert outlet_of("https://news.example.org/b") == unknown
    other = Outlet.objects.create(name="別の媒体", domain="other.example.net")
    OutletAlias.objects.create(kind=OutletAlias.Kind.DOMAIN, value="news.example.org", outlet=other)
    assert outlet_of("https://news.example.org/c") == other


def test_a_merge_is_seen_at_once():
    first = outlet_of("https://first.example.org/a")
    second = outlet_of("https://second.example.org/a")
    assert outlet_of("https://second.example.org/b") == second
    merge(first, [second])
    assert outlet_of("https://second.example.org/c") == first


def test_a_write_without_signals_is_seen_once_announced():
    outlet = outlet_of("https://news.example.org/a")
    outlet_of("https://news.example.org/b")
    Outlet.objects.filter(pk=outlet.pk).update(name="改名した媒体")
    assert outlet_of("https://news.example.org/c").name != "改名した媒体"  # the copy kept
    remembered.changed()
    assert outlet_of("https://news.example.org/d").name == "改名した媒体"


def test_a_row_rolled_back_is_not_remembered():
    with pytest.raises(RuntimeError), transaction.atomic():
        made = outlet_of("https://gone.example.org/a")
        assert outlet_of("https://gone.example.org/b") == made  # read inside: not kept
        raise RuntimeError
    assert not Outlet.objects.filter(pk=made.pk).exists()
    again = outlet_of("https://gone.example.org/c")
    assert Outlet.objects.filter(pk=again.pk).exists()  # (SQLite may give it the same id again)


def test_a_caller_changing_its_copy_changes_nothing_kept():
    outlet = outlet_of("https://news.example.org/a")
    outlet_of("https://news.example.org/b").name = "書き換えた"
    assert outlet_of("https://news.example.org/c").name == outlet.name


def test_nothing_is_kept_with_a_per_process_cache(settings, django_assert_max_num_queries):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    outlet_of("https://news.example.org/a")
    outlet_of("https://news.example.org/b")
    with pytest.raises(pytest.fail.Exception), django_assert_max_num_queries(0):
        outlet_of("https://news.example.org/c")
