"""The shared cache on Redis, failing soft: a Redis that is down or hung is a cache miss, never an
error page. What the portal caches is rebuilt from PostgreSQL on a miss, and every key carries the
version of what it holds (the dashboards' figures stamp), so a write or delete lost while Redis was
away cannot leave a wrong entry behind."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

from .redis_guard import REDIS_ERRORS, redis_failed, redis_is_down


class FailSoftRedisCache(RedisCache):
    """Django's RedisCache; on a Redis error the call is logged and answers like an empty cache
    (get: the default, add: False, set: nothing). Counters (incr/decr) still raise: a count cannot
    be made up, and whoever keeps one must decide what an outage means for it."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._url = self._servers[0]

    def _soft(self, what: str, call: Callable[[], Any], fallback: Any) -> Any:
        if redis_is_down(self._url):
            return fallback
        try:
            return call()
        except REDIS_ERRORS as exc:
            redis_failed(self._url, f"cache {what}", exc)
            return fallback

    def get(self, key, default=None, version=None):
        return self._soft("get", partial(super().get, key, default, version), default)

    def get_many(self, keys, version=None):
        return self._soft("get_many", partial(super().get_many, keys, version), {})

    def has_key(self, key, version=None):
        return self._soft("has_key", partial(super().has_key, key, version), False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("add", partial(super().add, key, value, timeout, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._soft("set", partial(super().set, key, value, timeout, version), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("set_many", partial(super().set_many, data, timeout, version), list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("touch", partial(super().touch, key, timeout, version), False)

    def delete(self, key, version=None):
        return self._soft("delete", partial(super().delete, key, version), False)

    def delete_many(self, keys, version=None):
        self._soft("delete_many", partial(super().delete_many, keys, version), None)

    def clear(self):
        return self._soft("clear", super().clear, False)
