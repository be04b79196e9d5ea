"""Redis is the portal's fast path (the dashboards' cache, the recompute queue's marker and broker),
never its record: with Redis down or hung every page still answers from PostgreSQL and every save
stands. Every use of Redis in the web process goes through here: short socket timeouts, and after a
failure that Redis server is left alone for REDIS_RETRY_SECONDS, so a hung server costs one request a
fraction of a second, not every call a timeout."""

from __future__ import annotations

import logging
import time
from functools import lru_cache

import redis
from django.conf import settings

log = logging.getLogger(__name__)

# What a Redis that is down, hung or restarting raises (redis-py wraps socket errors, not always).
REDIS_ERRORS = (redis.RedisError, OSError)
# Per server URL (tests point some work at a closed port while the real server keeps serving).
_down_until: dict[str, float] = {}
_up_until: dict[str, float] = {}
# A server that answered is believed for this long: a page asks without a round trip each time.
UP_MEMO_SECONDS = 1.0


def redis_is_down(url: str) -> bool:
    return time.monotonic() < _down_until.get(url, 0.0)


def redis_failed(url: str, what: str, exc: BaseException) -> None:
    """Note a failure: nobody in this process calls that server again for REDIS_RETRY_SECONDS."""
    if not redis_is_down(url):
        log.warning("Redis unavailable (%s: %s); answering from PostgreSQL meanwhile", what, exc)
    _down_until[url] = time.monotonic() + settings.REDIS_RETRY_SECONDS
    _up_until.pop(url, None)


@lru_cache(maxsize=8)
def _client(url: str, timeout: float) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)


def redis_client() -> redis.Redis:
    """A client of REDIS_URL with our timeouts and no retries (one shared pool per process)."""
    return _client(settings.REDIS_URL, settings.REDIS_TIMEOUT_SECONDS)


def redis_available() -> bool:
    """Whether REDIS_URL answers (a PING at most once a second while it does). True without
    REDIS_URL: then the portal runs its tasks inline and needs no Redis."""
    url = settings.REDIS_URL
    if not url:
        return True
    if redis_is_down(url):
        return False
    if time.monotonic() < _up_until.get(url, 0.0):
        return True
    try:
        redis_client().ping()
    except REDIS_ERRORS as exc:
        redis_failed(url, "ping", exc)
        return False
    _up_until[url] = time.monotonic() + UP_MEMO_SECONDS
    return True
