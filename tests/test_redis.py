"""At scale the cache and the queue run on Redis (NEWSDESK_TEST_REDIS_URL; CI sets it)."""

import uuid

import pytest
from huey import RedisHuey

from newsdesk import conf
from newsdesk.settings import cache_config, huey_config

REDIS_URL = conf.get("NEWSDESK_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="NEWSDESK_TEST_REDIS_URL is not set")


def test_queue_round_trip_through_redis():
    config = huey_config(REDIS_URL)
    huey = RedisHuey(f"newsdesk-test-{uuid.uuid4().hex}", url=config["url"])

    @huey.task()
    def double(n):
        return n * 2

    try:
        result = double(21)
        assert len(huey) == 1
        huey.execute(huey.dequeue())
        assert result.get() == 42
    finally:
        huey.storage.flush_all()


def test_cache_through_redis():
    from django.core.cache.backends.redis import RedisCache

    config = cache_config(REDIS_URL)
    cache = RedisCache(config["LOCATION"], {"KEY_PREFIX": uuid.uuid4().hex})
    cache.set("answer", {"記事": 1}, 30)
    assert cache.get("answer") == {"記事": 1}
    cache.delete("answer")
