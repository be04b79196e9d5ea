"""Settings shared by every environment. Everything that differs between machines is read
from the environment here, through one reader, with a typed default."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-local-only-key-do-not-use-in-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The domain apps. Their API routes (api.py ROUTES) and demo records (demo.py) are found by this list.
DOMAIN_APPS = ["employment", "social_insurance", "talent", "labor_relations"]

INSTALLED_APPS = [
    # django.contrib.admin, with a site that asks the portal role too (common.admin.PortalAdminSite).
    "common.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    # Login throttling (django-axes): locks a username at an address after repeated wrong passwords.
    "accounts.apps.LoginSecurityConfig",
    # API tokens for programs, issued by an administrator in the admin (people use the session).
    "rest_framework.authtoken",
    # The second factor (django-otp): TOTP devices and recovery codes; the pages are accounts' own.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Core: depends on no domain app. Order = dependency order.
    "common",
    "orgs",
    "accounts",
    # The security log (等保 安全审计): append-only, hash-chained; read by the audit administrator.
    "audit",
    "indicators",
    "completion",
    # What the domain registers share: record base, admin, import, API (feeds: indicators/feeds.py).
    "registers",
    # Domain apps: declare their indicators, keep their registers and feed indicators from them.
    *DOMAIN_APPS,
    # Township monthly reporting: templates, uploads, approval.
    "reporting",
    # Reminders (催报) and notices about the township reports: in the portal and by email.
    "notices",
    # The bureau's data entry in the admin: a month's figures on one sheet, quotas split to townships.
    "entry",
    # Leadership dashboards: cockpit, drill-downs, warnings, exports, the work report.
    "dashboard",
    # Where every figure came from (追溯) and where two figures of the same thing differ (核对).
    "provenance",
    # Pages and demo data stand on everything above.
    "portal",
    "demo",
    # Back-up and restore of the database and the uploaded files (operations; stands on everything).
    "backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session has passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    # Every file handed out (exports, downloads) is in the security log.
    "audit.middleware.ExportAuditMiddleware",
    # Fail closed: a signed-in account without a role reaches nothing but a page saying so.
    "accounts.middleware.RoleRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Ends a session SESSION_MAX_HOURS after its sign-in, active or not (after MessageMiddleware: it
    # tells the sign-in page why).
    "accounts.middleware.SessionMaxAgeMiddleware",
    # Signs a session out after SESSION_IDLE_MINUTES without the person doing anything.
    "accounts.middleware.IdleTimeoutMiddleware",
    # The second factor, where required: enrol, or verify this session, before anything else.
    "accounts.middleware.SecondFactorMiddleware",
    # A password someone else set, or one past PASSWORD_MAX_AGE_DAYS, is changed before anything else.
    "accounts.middleware.PasswordPolicyMiddleware",
    # The dashboards' reads on the streaming replica, if there is one (after everything above has read
    # the session and the account from the primary).
    "common.db_router.ReplicaReadsMiddleware",
    # Last, as django-axes asks: turns its lockout into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qianjiang_hrss.urls"
WSGI_APPLICATION = "qianjiang_hrss.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.portal_access",
                "notices.context_processors.unread_notices",
            ],
        },
    },
]

# Without DATABASE_URL the portal runs on a local SQLite file so a newcomer can start it
# with one command. Tests and production always set a PostgreSQL URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
# A kept connection is tested before each request reuses it, so a PostgreSQL restart costs the requests
# made while it is down (answered 503) and not every request after it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def with_replica(databases: dict) -> dict:
    """A PostgreSQL streaming replica for the dashboards' reads, when DATABASE_REPLICA_URL names one
    (common.db_router): kept like the primary's connections; in tests a mirror of the test database."""
    if env.str("DATABASE_REPLICA_URL", default=""):
        primary = databases["default"]
        databases["replica"] = {
            **env.db("DATABASE_REPLICA_URL"),
            "CONN_MAX_AGE": primary["CONN_MAX_AGE"],
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"MIRROR": "default"},
        }
    return databases


DATABASES = with_replica(DATABASES)
DATABASE_ROUTERS = ["common.db_router.ReplicaRouter"]
# The requests whose reads the replica serves: the leadership dashboards, pages and JSON.
REPLICA_READ_PATHS = ("/dashboard/", "/api/v1/dashboard/")

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out username before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's, refusing superusers where SUPERUSER_WEB_SIGN_IN is off and demo accounts where
    # DEMO_ACCOUNTS_ALLOWED is off, before any session is made.
    "accounts.backends.PortalModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"
# --- 身份鉴别 (GB/T 22239-2019 8.1.4.1): passwords ---
# Length and character classes (of 大写字母, 小写字母, 数字, 符号), no reuse of the last few, an expiry.
PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=10)
PASSWORD_MIN_CHARACTER_CLASSES = env.int("PASSWORD_MIN_CHARACTER_CLASSES", default=3)
PASSWORD_HISTORY_COUNT = env.int("PASSWORD_HISTORY_COUNT", default=5)
# Days a password is good for; then it must be changed at the next request (0: never expires).
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
# Django's four rules and the portal's two, with their messages in Chinese (accounts/validators.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "accounts.validators.CommonPasswordValidator"},
    {"NAME": "accounts.validators.NumericPasswordValidator"},
    {
        "NAME": "accounts.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CHARACTER_CLASSES},
    },
    {"NAME": "accounts.validators.PasswordHistoryValidator", "OPTIONS": {"count": PASSWORD_HISTORY_COUNT}},
]
# Accounts nobody signed in with for this many days are disabled by the daily housekeeping
# (accounts.tasks.disable_inactive_accounts; `manage.py disable_inactive_accounts`). 0: never.
ACCOUNT_INACTIVE_DAYS = env.int("ACCOUNT_INACTIVE_DAYS", default=90)

# --- 身份鉴别: the second factor (django-otp TOTP, accounts/two_factor.py) ---
# Who must pass it at every sign-in: "staff" = bureau staff, the three administrators and superusers;
# "all" = every role; "none" only outside production (tests switch it on where they test it).
TWO_FACTOR_REQUIRED_FOR = env.str("TWO_FACTOR_REQUIRED_FOR", default="staff")
if TWO_FACTOR_REQUIRED_FOR not in ("staff", "all", "none"):
    raise ImproperlyConfigured("TWO_FACTOR_REQUIRED_FOR must be staff, all or none.")
OTP_TOTP_ISSUER = "潜江人社数据门户"
# Wrong codes wait 1, 2, 4, 8… seconds (django-otp's exponential throttle); they also count towards
# the sign-in lock (AXES_FAILURE_LIMIT), like a wrong password.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# How many recovery codes an enrolment gives (each works once).
TWO_FACTOR_RECOVERY_CODES = 10

# --- 访问控制: the superuser and the demo accounts ---
# A superuser is the break-glass account of whoever runs `manage.py` on the host, never an everyday
# sign-in: production refuses it at every sign-in page (accounts.backends). The quick start allows it.
SUPERUSER_WEB_SIGN_IN = env.bool("SUPERUSER_WEB_SIGN_IN", default=False)
# Demo accounts (create_demo_users, public password) sign in, without the second factor, only where
# this is on: the quick start (local settings). Production forces it off.
DEMO_ACCOUNTS_ALLOWED = False

# Chinese whatever the browser says (issue 22 point 9): no LocaleMiddleware, one language. With it, an
# English browser turned the whole admin English while the portal stayed Chinese. The words Django's
# apps have no Chinese for (django-axes) are in locale/.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Front-end libraries come from the npm registry at set-up (`make assets`: npm ci, then
# scripts/vendor-assets.sh copies the files the pages load into vendor/), never from a CDN: the bureau's
# network is closed. Served under static/vendor/.
VENDOR_ASSETS = BASE_DIR / "vendor"
STATICFILES_DIRS = [BASE_DIR / "static"] + ([("vendor", VENDOR_ASSETS)] if VENDOR_ASSETS.is_dir() else [])
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Celery on Redis. Without REDIS_URL tasks run eagerly in the web process. ---
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True

# Redis is the fast path, never the record (common/redis_guard.py): every client of the web process
# gives up after this many seconds, and after a failure leaves that server alone for REDIS_RETRY_SECONDS,
# so a hung Redis costs a request a fraction of a second and the pages answer from PostgreSQL.
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=0.5)
REDIS_RETRY_SECONDS = env.float("REDIS_RETRY_SECONDS", default=5.0)
REDIS_CACHE_OPTIONS = {
    "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
    "socket_timeout": REDIS_TIMEOUT_SECONDS,
}
# A publish to a broker that hangs after accepting the connection would otherwise wait forever (kombu's
# default); above the worker's 1 s BRPOP poll, which it must not cut short.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_timeout": 2.0}

# --- Cache: shared by every web worker on Redis (the dashboards' panels); per process without Redis.
# Fail-soft (common/cache.py): with Redis down a lookup is a miss, not an error page. ---
CACHES = {
    "default": (
        {
            "BACKEND": "common.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "qj",
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- 安全审计 (audit/) ---
# Days the security log is kept before the daily housekeeping purges it; at least 180 (the
# Cybersecurity Law's six months; the database's audit_purge() refuses anything younger).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=180)
if AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be at least 180 (网络安全法第二十一条).")
# The key of the log's hash chain (audit/chain.py); empty: derived from SECRET_KEY. Never change it
# without verifying the log first: entries chained under the old key would no longer verify.
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY", default="")
# The daily housekeeping (Asia/Shanghai; qianjiang_hrss/celery.py): accounts unused for
# ACCOUNT_INACTIVE_DAYS disabled, expired sessions deleted, the security log and django-axes' logs past
# AUDIT_RETENTION_DAYS purged.
SECURITY_HOUSEKEEPING_TIME = env.str("SECURITY_HOUSEKEEPING_TIME", default="03:10")

# --- Backups (backups/, `manage.py backup_portal` / `restore_portal`) ---
# Where pg_dump and pg_restore are; empty = on PATH. They must be the server's major version or newer.
BACKUP_PG_BIN_DIR = env.str("BACKUP_PG_BIN_DIR", default="")

# --- Completion engine ---
# Every this many seconds beat drains the recompute requests (completion.RecomputeRequest) that the
# fast path has not served: Redis was down, the task was lost, the worker was killed mid-run.
COMPLETION_DRAIN_SECONDS = env.int("COMPLETION_DRAIN_SECONDS", default=60)
# A request older than this means the computing service is not working: pages say so.
COMPLETION_STALL_SECONDS = env.int("COMPLETION_STALL_SECONDS", default=150)
# Gap to schedule (percentage points) at or below which an indicator is "far behind" (red).
COMPLETION_FAR_BEHIND_POINTS = env.int("COMPLETION_FAR_BEHIND_POINTS", default=10)

# --- Sign-in and sessions ---
# A shared office PC must not stay signed in: the session ends when the browser closes, after this
# many minutes without the person doing anything (a page's own polling does not count), and this many
# hours after the sign-in whatever the activity (accounts.middleware.SessionMaxAgeMiddleware).
SESSION_IDLE_MINUTES = env.int("DJANGO_SESSION_IDLE_MINUTES", default=8 * 60)
SESSION_MAX_HOURS = env.int("DJANGO_SESSION_MAX_HOURS", default=12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The stored session's own expiry: Django moves it on at every save, so it bounds only a session that
# stops being used; the sign-in time is what holds the limit.
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# django-axes: after AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair
# is locked for AXES_COOLOFF_TIME hours (bureau staff can unlock sooner in the admin). The pair, not the
# username alone, so nobody can lock a colleague out from elsewhere; not the address alone, because a
# township office's staff share one.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "accounts.client.client_ip"
# Set by production settings behind nginx, which puts the client's address in X-Real-IP.
BEHIND_PROXY = False

# --- Request bodies ---
# No request body may exceed the largest upload plus room for the form around it: the WSGI guard
# (common/wsgi.py) refuses a longer one before Django reads a byte, and the upload handler stops a
# chunked one at the cap. nginx's client_max_body_size (deploy/nginx/) must say the same.
REPORT_MAX_UPLOAD_MB = env.int("REPORT_MAX_UPLOAD_MB", default=10)
REQUEST_MAX_BODY_BYTES = (REPORT_MAX_UPLOAD_MB + 1) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "common.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- REST API ---
# List endpoints answer API_PAGE_SIZE rows unless ?limit= asks otherwise, and never more than
# API_MAX_PAGE_SIZE in one answer (common.api.PortalPagination; the schema states both).
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=200)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=1000)
REST_FRAMEWORK = {
    # Sessions for people (with CSRF on every write); tokens that an administrator issues for programs.
    # No Basic auth: it takes password guesses past the login throttle and needs no CSRF token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # DRF's, refusing what the web refuses and counting a program's use as use (accounts/authentication.py).
        "accounts.authentication.PortalTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["common.permissions.HasPortalRole"],
    # JSON only. DRF's browsable pages draw filter forms whose choices list every row of a related table
    # (all competitions, all stations), whatever the reader's scope; people explore the API at /api/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "common.api.PortalPagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "潜江市人力资源和社会保障局 数据门户 API",
    "DESCRIPTION": (
        "组织机构、指标、省级下达指标、月度数据与完成率。金额与人数均为精确小数(字符串)。"
        f"列表接口分页:limit 每页条数(默认{API_PAGE_SIZE},最多{API_MAX_PAGE_SIZE}),offset 起始位置,"
        "next 为下一页的地址。"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The bureau's network is closed: Swagger UI and ReDoc are served from the sidecar package.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two choice sets share the field name "channel": a figure's door and how a complaint was received.
    "ENUM_NAME_OVERRIDES": {
        "FigureChannelEnum": "indicators.models.Channel",
        "ComplaintChannelEnum": "labor_relations.models.InspectionComplaint.Channel",
    },
}

# --- django-import-export: an import lands whole or not at all. ---
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Between the preview and the confirmation the file waits in the cache under a name the portal made, never
# in a folder under a name the confirmation form sends back (common/import_files.py); unconfirmed, it
# expires after this many minutes.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "common.import_files.PendingImportStorage"
IMPORT_PENDING_MINUTES = 120

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Outside production, WhiteNoise serves static files straight from the apps and static/ (no collectstatic).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# --- Township monthly reports ---
# A month's report is due on this day of the following month...
REPORT_DEADLINE_DAY = env.int("REPORT_DEADLINE_DAY", default=10)
# ...and the month locks this many days after the deadline (the bureau can open it for one township).
REPORT_LOCK_AFTER_DAYS = env.int("REPORT_LOCK_AFTER_DAYS", default=5)
# What an upload may leave behind (reporting/drafts.py): a preview never confirmed is deleted this
# many hours after it was uploaded (beat, hourly), and an account may upload this many files an hour
# through the web door (the next one is answered 429 and not read).
REPORT_DRAFT_RETENTION_HOURS = env.int("REPORT_DRAFT_RETENTION_HOURS", default=24)
REPORT_UPLOADS_PER_HOUR = env.int("REPORT_UPLOADS_PER_HOUR", default=30)

# --- Validation rules (indicators.rules; the rules themselves are data, kept per year by the bureau) ---
# The stored figure the built-in rule "人数不能超过全市常住人口" reads (the city's latest level), and what it
# uses before one is stored: the 2024 report counts 60.42万 e-cards as 70.58% of the residents, ~85.6万.
RESIDENT_POPULATION_INDICATOR = env.str(
    "RESIDENT_POPULATION_INDICATOR", default="social_insurance.resident_population"
)
RESIDENT_POPULATION_FALLBACK = env.int("RESIDENT_POPULATION_FALLBACK", default=856_000)

# --- Reminders (催报) and notices (notices/) ---
# The one place the reminder schedule is declared (Asia/Shanghai, TIME_ZONE). Beat runs the reminders once
# a day at `time`; on each day it sends, to every township with no confirmed report for the month due:
# 截止前催报 `days_before_deadline` days before REPORT_DEADLINE_DAY, 截止日催报 on the deadline day, and
# 逾期催报 every day after it until the township reports or the month locks (REPORT_LOCK_AFTER_DAYS).
REMINDER_SCHEDULE = {
    "time": env.str("REMINDER_TIME", default="09:00"),
    "days_before_deadline": env.list("REMINDER_DAYS_BEFORE_DEADLINE", cast=int, default=[3]),
    "on_deadline_day": True,
    "overdue_daily_until_lock": True,
}
# Channels every notice goes out on, in this order (notices/channels.py registers them; SMS or a
# government-messaging gateway is one more class there and its code here).
NOTICE_CHANNELS = env.list("NOTICE_CHANNELS", default=["portal", "email"])
# A failed email is tried again this many times, after BACKOFF, 2×, 4×… seconds (at most an hour),
# then recorded as failed.
NOTICE_EMAIL_MAX_RETRIES = env.int("NOTICE_EMAIL_MAX_RETRIES", default=4)
NOTICE_EMAIL_RETRY_BACKOFF_SECONDS = env.int("NOTICE_EMAIL_RETRY_BACKOFF_SECONDS", default=60)
# The portal's address, for the link in an email.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# --- Email (Django's email backend). The quick start prints mail on the console; production sends
# through SMTP with the settings below (production.py makes SMTP the default backend). ---
EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="潜江市人社数据门户 <noreply@localhost>")
