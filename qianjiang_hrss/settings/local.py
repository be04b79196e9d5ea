"""Developer machine: DEBUG on, SQLite and eager Celery unless DATABASE_URL / REDIS_URL say otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# The quick start: the demo accounts (`make run`) sign in without the second factor, and a superuser may
# sign in; production forces both off.
DEMO_ACCOUNTS_ALLOWED = True
SUPERUSER_WEB_SIGN_IN = env.bool("SUPERUSER_WEB_SIGN_IN", default=True)
