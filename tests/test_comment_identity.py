"""Posters are known by keyed hashes of their address: daily IDs, source hashes, tripcodes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory

from newsdesk.comments.identity import client_address, daily_id, parse_name, source_hash

DAY = dt.date(2026, 11, 22)


def with_proxies(settings, proxies):
    settings.NEWSDESK = {**settings.NEWSDESK, "TRUSTED_PROXIES": proxies}


def request(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_same_poster_article_and_day_keep_their_id():
    first = daily_id("203.0.113.77", 1, DAY)
    assert first == daily_id("203.0.113.77", 1, DAY)
    assert len(first) == 8 and first.replace("-", "").replace("_", "").isalnum()


def test_another_day_article_or_poster_gets_another_id():
    first = daily_id("203.0.113.77", 1, DAY)
    assert daily_id("203.0.113.77", 1, DAY + dt.timedelta(days=1)) != first
    assert daily_id("203.0.113.77", 2, DAY) != first
    assert daily_id("203.0.113.78", 1, DAY) != first


def test_the_day_is_the_day_in_japan():
    # 23:30 UTC on the 21st is 08:30 on the 22nd in Tokyo; 14:59 and 15:01 UTC straddle midnight JST.
    late_utc = dt.datetime(2026, 11, 21, 23, 30, tzinfo=dt.UTC)
    assert daily_id("203.0.113.77", 1, late_utc) == daily_id("203.0.113.77", 1, DAY)
    before = dt.datetime(2026, 11, 22, 14, 59, tzinfo=dt.UTC)
    after = dt.datetime(2026, 11, 22, 15, 1, tzinfo=dt.UTC)
    assert daily_id("203.0.113.77", 1, before) != daily_id("203.0.113.77", 1, after)


def test_ids_and_hashes_depend_on_the_secret_key(settings):
    before = (daily_id("203.0.113.77", 1, DAY), source_hash("203.0.113.77"), parse_name("名#鍵")[1])
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    after = (daily_id("203.0.113.77", 1, DAY), source_hash("203.0.113.77"), parse_name("名#鍵")[1])
    assert all(a != b for a, b in zip(before, after, strict=True))


def test_source_hash_is_keyed_hex_and_an_ipv6_host_cannot_rotate_within_its_64():
    value = source_hash("203.0.113.77")
    assert len(value) == 64 and int(value, 16) >= 0
    assert "203.0.113.77" not in value
    assert source_hash("2001:db8:1:2::77") == source_hash("2001:db8:1:2:ffff:1:2:3")
    assert source_hash("2001:db8:1:2::77") != source_hash("2001:db8:1:3::77")
    assert source_hash("::ffff:203.0.113.77") == value
    assert daily_id("2001:db8:1:2::77", 1, DAY) == daily_id("2001:db8:1:2::1", 1, DAY)


def test_tripcode_is_stable_keyed_and_never_shows_the_secret():
    name, trip = parse_name("山田#ひみつ")
    assert name == "山田"
    assert trip.startswith("◆") and len(trip) == 9
    assert parse_name("別人#ひみつ")[1] == trip  # the trip depends on the secret only
    assert parse_name("山田#ちがう")[1] != trip
    assert "ひみつ" not in name + trip
    assert parse_name("山田＃ひみつ") == (name, trip)  # full-width # too


def test_names_without_trip_and_fake_trip_marks():
    assert parse_name("") == ("", "")
    assert parse_name(None) == ("", "")
    assert parse_name("  山田  ") == ("山田", "")
    assert parse_name("山田#") == ("山田", "")
    assert parse_name("偽者◆abcdefgh") == ("偽者◇abcdefgh", "")
    assert parse_name("改行\nあり\u202e") == ("改行 あり", "")


def test_remote_addr_is_the_client_when_no_proxy_is_trusted(settings):
    with_proxies(settings, [])
    assert client_address(request("203.0.113.77", "198.51.100.1")) == "203.0.113.77"


def test_forwarded_for_is_ignored_from_an_untrusted_peer(settings):
    with_proxies(settings, ["10.0.0.0/8"])
    assert client_address(request("203.0.113.77", "198.51.100.1")) == "203.0.113.77"


def test_trusted_proxy_takes_the_right_most_untrusted_forwarded_address(settings):
    with_proxies(settings, ["10.0.0.0/8", "192.0.2.5"])
    # The left part is written by the client and can lie; the hops our proxies added can't.
    forwarded = "1.1.1.1, 198.51.100.9, 10.1.2.3"
    assert client_address(request("192.0.2.5", forwarded)) == "198.51.100.9"
    assert client_address(request("10.9.9.9", "198.51.100.9:4711")) == "198.51.100.9"
    assert client_address(request("10.9.9.9", "[2001:db8::77]:443")) == "2001:db8::77"
    assert client_address(request("10.9.9.9", "")) == "10.9.9.9"
    assert client_address(request("10.9.9.9", "not-an-address, 10.0.0.2")) == "10.0.0.2"


def test_ipv6_proxy_networks(settings):
    with_proxies(settings, ["2001:db8:ffff::/48"])
    assert client_address(request("2001:db8:ffff::1", "2001:db8::77")) == "2001:db8::77"
    assert client_address(request("2001:db8:eeee::1", "2001:db8::77")) == "2001:db8:eeee::1"


@pytest.mark.parametrize("remote", ["", "unix:socket"])
def test_odd_remote_addr_does_not_fail(settings, remote):
    with_proxies(settings, ["10.0.0.0/8"])
    assert client_address(request(remote)) == remote
