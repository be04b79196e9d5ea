"""pytest: PostgreSQL and Redis started by `make test` (scripts/services.sh)."""

import uuid

from .base import *  # noqa: F403
from .base import REDIS_CACHE_OPTIONS, env

SECRET_KEY = "test-only-secret-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests run tasks eagerly unless a test is about the worker; those tests switch it off.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)

# Tests run against the real thing: PostgreSQL and Redis, started by `make test`.
DATABASES = {"default": env.db("DATABASE_URL")}
REDIS_URL = env.str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL
# Each test run gets keys of its own: a fresh test database starts its ids (which the dashboard's
# cache keys contain) from 1 again, and must never meet an earlier run's entries.
CACHES = {
    "default": {
        "BACKEND": "common.cache.FailSoftRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"qj-test-{uuid.uuid4().hex[:12]}",
        "TIMEOUT": 120,
        "OPTIONS": REDIS_CACHE_OPTIONS,
    }
}
AXES_VERBOSE = False
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # noqa: F405
# Most tests sign people in with force_login and are about something else: the second factor is off here
# and switched on by the tests of it (tests/accounts/test_two_factor.py, the door matrix's unverified
# run, the browser test); tests/accounts/test_two_factor.py holds base and production to "staff".
TWO_FACTOR_REQUIRED_FOR = "none"
# The door matrix tries every door as a superuser too (production refuses its sign-in: tested).
SUPERUSER_WEB_SIGN_IN = True
