"""Production: every secret comes from the environment; there is no default."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env.str("DJANGO_SECRET_KEY")  # no default: refuse to start without one
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("change-me", "django-insecure")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be a random string of 50+ characters (see .env.example)."
    )
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES = with_replica(DATABASES)  # noqa: F405
REDIS_URL = env.str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
# Notices go out by SMTP (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, … in base.py, from the environment).
# 访问控制: no superuser signs in through the web (break-glass is `manage.py` on the host), no demo
# account exists or signs in, and the second factor cannot be switched off.
SUPERUSER_WEB_SIGN_IN = False
DEMO_ACCOUNTS_ALLOWED = False
if TWO_FACTOR_REQUIRED_FOR == "none":  # noqa: F405
    raise ImproperlyConfigured("TWO_FACTOR_REQUIRED_FOR=none is refused in production (staff or all).")
EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Honest only because nginx (deploy/nginx/nginx.conf) sets X-Forwarded-Proto itself, overwriting what a
# client sends, and gunicorn is reachable through nginx alone (docker-compose.yml publishes no other port).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The login lock counts per client address: behind nginx that is X-Real-IP (set by nginx), not the
# proxy's own address, which every client would share.
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=True)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
