"""Settings for benchmarks/bench_dashboard.py's gunicorn: the test settings (DATABASE_URL, REDIS_URL),
made like production where it matters for speed: DEBUG off, persistent database connections, the cache
on Redis; plus the benchmark's minimal view (benchmarks/urls.py)."""

import os
import time

from qianjiang_hrss.settings.test import *  # noqa: F403
from qianjiang_hrss.settings.test import DATABASES, REDIS_CACHE_OPTIONS, REDIS_URL

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "benchmarks.urls"
DATABASES["default"]["CONN_MAX_AGE"] = 60
CACHES = {
    "default": {
        "BACKEND": "common.cache.FailSoftRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": REDIS_CACHE_OPTIONS,
        # A fresh database per run restarts the ids the cache keys contain: fresh keys too.
        "KEY_PREFIX": f"qj-bench-{os.getpid()}-{time.time_ns()}",
    }
}
LOGGING_CONFIG = None
