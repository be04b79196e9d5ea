"""The shared cache fails soft: a stopped Redis is a miss, never an error, and it is used again once it
is back. Against a real redis-server of the test's own (tests/processes.py)."""

from __future__ import annotations

import time

import pytest
import redis
from django.core.cache import cache

from common.redis_guard import redis_available
from tests.processes import redis_at


@pytest.fixture
def quick_retry(settings):
    settings.REDIS_RETRY_SECONDS = 0.3


def test_with_redis_stopped_lookups_miss_and_writes_do_nothing(spare_redis, quick_retry):
    with redis_at(spare_redis.url):
        cache.set("k", b"v")
        assert cache.get("k") == b"v"
        spare_redis.stop()
        assert cache.get("k") is None and cache.get("k", "default") == "default"
        assert cache.get_many(["k"]) == {} and not cache.has_key("k")
        assert cache.add("n", 1) is False and cache.get_or_set("g", 5) == 5
        cache.set("k", b"w")
        cache.delete("k")
        assert cache.set_many({"a": 1}) == ["a"]
        assert not redis_available()


def test_a_counter_is_never_made_up(spare_redis, quick_retry):
    with redis_at(spare_redis.url):
        cache.set("count", 1)
        spare_redis.stop()
        with pytest.raises(redis.ConnectionError):
            cache.incr("count")


def test_the_cache_is_used_again_once_redis_is_back(spare_redis, quick_retry):
    with redis_at(spare_redis.url):
        spare_redis.stop()
        assert cache.get("k") is None
        spare_redis.start()  # the same port, empty
        cache.set("k", b"v")  # within REDIS_RETRY_SECONDS of the failure: not even tried
        assert cache.get("k") is None
        time.sleep(0.4)
        cache.set("k", b"v")
        assert cache.get("k") == b"v" and redis_available()
