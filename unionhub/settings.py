"""The one settings module, driven by environment variables (see README.md, "Environment").

With nothing set it runs on an SQLite file beside manage.py with Celery tasks executed eagerly in-process;
PostgreSQL, Redis and a Celery broker come from ``DATABASE_URL``, ``REDIS_URL`` and ``CELERY_BROKER_URL``.
"""

import re
from pathlib import Path

from unionhub.env import (
    ConfigError,
    database_config,
    env_bool,
    env_int,
    env_int_list,
    env_list,
    env_mapping,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY and env_str("SECRET_KEY_FILE"):
    # The key in a file readable by the service's user only (make stack's STACK_DIR/secret_key, a server's
    # /etc/unionhub/secret_key): never in a process's environment listing or an environment file.
    try:
        SECRET_KEY = Path(env_str("SECRET_KEY_FILE")).read_text().strip()
    except OSError as exc:
        raise ConfigError("SECRET_KEY_FILE", f"cannot read {env_str('SECRET_KEY_FILE')}: {exc.strerror}") from None
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigError(
            "SECRET_KEY",
            "required when DEBUG is off (set SECRET_KEY or SECRET_KEY_FILE; beside `make stack` manage.py reads "
            "them from .stack/env - no stack has been started here, or STACK_DIR names another)",
        )
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production-0123456789abcdef"
elif len(SECRET_KEY) < 50:
    raise ConfigError("SECRET_KEY", "must be at least 50 characters")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "unionhub.adminconfig.UnionAdminConfig",  # django.contrib.admin with the menu by task
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Index expressions with operator classes (the trigram name search); harmless on SQLite.
    "django.contrib.postgres",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "django_celery_beat",
    "unionhub",
    "stations",
    "membership",
    "casework",
    "hardship",
    "outreach",
    "employment",
    "dashboard",
    "api",
    "ninja",  # django-ninja: only for its bundled Swagger UI / ReDoc static files (no CDN)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "unionhub.middleware.RejectNulMiddleware",
    # Which database a request reads from, and the read-your-writes cookie (unionhub.db.router).
    "unionhub.db.middleware.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lock-out raised during login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "unionhub.urls"
WSGI_APPLICATION = "unionhub.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {"default": database_config("DATABASE_URL", str(BASE_DIR / "db.sqlite3"))}
# Reads on a replica (unionhub.db.router, README "Reads on a replica"): with DATABASE_REPLICA_URL (a PostgreSQL
# streaming replica of DATABASE_URL) list, report, export and API reads go to it, unless the request or the
# browser wrote within DATABASE_REPLICA_STICKY_SECONDS (read-your-writes), inside a transaction, or while the
# replica is more than DATABASE_REPLICA_MAX_LAG_SECONDS behind (measured at most every
# DATABASE_REPLICA_LAG_CHECK_SECONDS per process); writes, Celery tasks and migrations use the primary only.
# A replica of an SQLite file means nothing: without a PostgreSQL DATABASE_URL (make run, a command run with
# an SQLite file) DATABASE_REPLICA_URL is not used.
DATABASE_REPLICA_URL = env_url("DATABASE_REPLICA_URL", schemes={"postgres", "postgresql"})
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASE_REPLICA_URL = None
DATABASE_REPLICA_ALIAS = "replica" if DATABASE_REPLICA_URL else None
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int("DATABASE_REPLICA_MAX_LAG_SECONDS", 5, minimum=1)
DATABASE_REPLICA_LAG_CHECK_SECONDS = env_int("DATABASE_REPLICA_LAG_CHECK_SECONDS", 2, minimum=1)
DATABASE_REPLICA_STICKY_SECONDS = env_int("DATABASE_REPLICA_STICKY_SECONDS", 10, minimum=1)
if DATABASE_REPLICA_STICKY_SECONDS < DATABASE_REPLICA_MAX_LAG_SECONDS + DATABASE_REPLICA_LAG_CHECK_SECONDS:
    raise ConfigError(
        "DATABASE_REPLICA_STICKY_SECONDS",
        "must be at least DATABASE_REPLICA_MAX_LAG_SECONDS + DATABASE_REPLICA_LAG_CHECK_SECONDS "
        f"({DATABASE_REPLICA_MAX_LAG_SECONDS + DATABASE_REPLICA_LAG_CHECK_SECONDS}), or a writer could miss "
        "its own write",
    )
if DATABASE_REPLICA_URL:
    DATABASES[DATABASE_REPLICA_ALIAS] = database_config("DATABASE_REPLICA_URL", "")
    # A replica that does not answer is given up on quickly (its reads go to the primary meanwhile).
    DATABASES[DATABASE_REPLICA_ALIAS].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    # The test run reads through the primary's test database unless a test brings the real replica
    # (tests marked `replica`, tests/unionhub/replica.py).
    DATABASES[DATABASE_REPLICA_ALIAS]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["unionhub.db.router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", schemes={"redis", "rediss"})
if REDIS_URL:
    # django-redis, failing open: while Redis is down the cache misses and the rate limits of the public
    # forms are not enforced (a worker can still apply to join; login throttling is in the database and
    # holds); every failure is logged. Short socket timeouts keep pages from hanging on a dead Redis.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True},
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "unionhub"}}

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username+IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Permissions in one query instead of two (it authenticates no one), then Django's, which checks passwords.
    "unionhub.backends.PermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: lock a username *from one address* after repeated failures, so that an attacker
# cannot lock a colleague out from elsewhere and one NAT'd office cannot lock everyone out.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_CLIENT_IP_CALLABLE = "unionhub.http.axes_client_ip"  # the one client-address rule (TRUSTED_PROXY_COUNT)
# X-Forwarded-For is trusted only when the deployment says how many proxies stand in front.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "unionhub.storage.SafeFileSystemStorage"},  # no partial file after a failed write
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Production hardening; all on unless DEBUG. TLS is terminated by the front proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Secure cookies need TLS; `make stack` on plain loopback HTTP turns them off (SECURE_COOKIES=false).
SECURE_COOKIES = env_bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
# Sessions are read from the cache (Redis in production) and written through to the database: one query less
# on every admin page, and a restarted Redis loses no one's login.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
X_FRAME_OPTIONS = "DENY"

# Celery. With no broker, tasks run eagerly in-process so `make run` needs nothing but Python.
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", schemes={"redis", "rediss", "memory"})
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Background jobs (unionhub.services.jobs): a running job with no sign of life for JOB_STALE_SECONDS is failed
# by the sweep (its worker vanished); a queued job not started after JOB_RESEND_SECONDS is sent again.
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 15 * 60, minimum=5)
JOB_RESEND_SECONDS = env_int("JOB_RESEND_SECONDS", 5 * 60, minimum=5)
# A job whose database connection was lost waits this long for the database to answer again, then records
# its outcome (queued again once, or failed with the reason) on a fresh connection.
JOB_DATABASE_WAIT_SECONDS = env_int("JOB_DATABASE_WAIT_SECONDS", 10 * 60, minimum=1)
# Backups (manage.py backup, make backup, and the nightly beat job): where, and how many to keep.
BACKUP_DIR = Path(env_str("BACKUP_DIR") or BASE_DIR / "backups")
BACKUP_KEEP = env_int("BACKUP_KEEP", 14, minimum=1)
# Where jobs run: "celery" (a worker process; the default with a broker) or "thread" (a background thread of
# the web process: the embedded default, so `make run` needs no broker and uploads still return at once).
JOB_RUNNER = env_str("JOB_RUNNER") or ("celery" if CELERY_BROKER_URL else "thread")
if JOB_RUNNER not in {"celery", "thread"}:
    raise ConfigError("JOB_RUNNER", f"expected celery or thread, got {JOB_RUNNER!r}")

# Simple history records who made each change; the request middleware above supplies the user.
SIMPLE_HISTORY_REVERT_DISABLED = True

IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Domain settings.
UNIONHUB_SITE_TITLE = env_str("UNIONHUB_SITE_TITLE") or "工会服务站管理系统"
STATION_INACTIVE_MONTHS = env_int("STATION_INACTIVE_MONTHS", 3, minimum=1)
# Activity photos from the station manager's phone: the largest file accepted, how many per entry, and the
# longest side they are scaled down to (re-encoded as JPEG without EXIF).
STATION_PHOTO_MAX_BYTES = env_int("STATION_PHOTO_MAX_BYTES", 10 * 1024 * 1024, minimum=64 * 1024)
STATION_PHOTO_MAX_COUNT = env_int("STATION_PHOTO_MAX_COUNT", 6, minimum=1)
STATION_PHOTO_MAX_SIDE = env_int("STATION_PHOTO_MAX_SIDE", 1600, minimum=200)
# Star ratings: flag a star level expiring within this many days; re-evaluate a station this many months after
# its last approved evaluation; workers' ratings over a window, meaningful from a minimum count, low below an
# average (of 5). Public rating form: submissions per address and hour.
STAR_EXPIRY_WARNING_DAYS = env_int("STAR_EXPIRY_WARNING_DAYS", 90, minimum=1)
STAR_REEVALUATION_MONTHS = env_int("STAR_REEVALUATION_MONTHS", 12, minimum=1)
SATISFACTION_WINDOW_MONTHS = env_int("SATISFACTION_WINDOW_MONTHS", 12, minimum=1)
SATISFACTION_MIN_RATINGS = env_int("SATISFACTION_MIN_RATINGS", 5, minimum=1)
SATISFACTION_LOW_AVERAGE = 3
STATION_RATING_RATE = "10/h"
# Map tiles for the dashboard and the public finder. Amap-style tiles are GCJ-02, so markers are shifted to
# match; with no tiles reachable the pages still show markers and the list.
MAP_TILE_URL = (
    env_str("MAP_TILE_URL")
    or "https://webrd01.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"
)
MAP_TILE_CRS = env_str("MAP_TILE_CRS") or "gcj02"


def _tile_source(url: str) -> str:
    """The origin of the tile URL for the CSP's img-src, its first host label a wildcard (webrd01..04, {s})."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "a"))
    labels = (parts.hostname or "").split(".")
    host = ".".join(["*", *labels[1:]]) if len(labels) > 2 else ".".join(labels)
    return f"{parts.scheme}://{host}" if host else ""


# Content-Security-Policy (django-csp): scripts only from our own static files (vendored libraries included),
# no inline script anywhere (data goes to pages as json_script blocks, which never run); styles may be inline
# (the admin's and Leaflet's style attributes); images from us, data: URIs and the map tiles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *filter(None, [_tile_source(MAP_TILE_URL)])],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if MAP_TILE_CRS not in {"wgs84", "gcj02", "bd09"}:
    raise ConfigError("MAP_TILE_CRS", f"expected wgs84, gcj02 or bd09, got {MAP_TILE_CRS!r}")
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL") or "http://127.0.0.1:8000"

# Membership (online applications). Decisions are promised within this many minutes; the worker is told of a
# decision through the messages core (MESSAGE_* below). Public join and status forms are rate-limited through
# the cache ("count/period", period s, m, h or d with an optional multiple: "30/10m"). Bulk decisions of more
# than MEMBERSHIP_BULK_SYNC_LIMIT applications run as a Celery job.
MEMBERSHIP_DECISION_PROMISE_MINUTES = env_int("MEMBERSHIP_DECISION_PROMISE_MINUTES", 30, minimum=1)
MEMBERSHIP_PRIVACY_NOTICE_VERSION = "2026-01"
MEMBERSHIP_JOIN_RATE_PER_IP = env_str("MEMBERSHIP_JOIN_RATE_PER_IP") or "30/10m"
MEMBERSHIP_JOIN_RATE_PER_ID = env_str("MEMBERSHIP_JOIN_RATE_PER_ID") or "3/h"
MEMBERSHIP_STATUS_RATE_PER_IP = env_str("MEMBERSHIP_STATUS_RATE_PER_IP") or "30/10m"
MEMBERSHIP_BULK_SYNC_LIMIT = env_int("MEMBERSHIP_BULK_SYNC_LIMIT", 100, minimum=1)

# Casework (workers' requests and mediation). Time limits in working days when neither the county's nor the
# national time-limit table has a row for the category (the tables are edited in the admin); each union level
# a request is escalated to gets CASEWORK_ESCALATION_DAYS working days of its own (the first escalation the
# first entry; the last entry serves every higher level); a limit is "due soon" from the working day during
# which CASEWORK_DUE_SOON_PERCENT of it is used up. The worker may ask to reopen a resolved request for
# CASEWORK_REOPEN_DAYS calendar days; the mediation period (劳动争议调解仲裁法 第十四条) is
# CASEWORK_MEDIATION_PERIOD_DAYS calendar days. The public filing form takes at most CASEWORK_MAX_ATTACHMENTS
# files of CASEWORK_MAX_ATTACHMENT_BYTES each; it and the status page are rate-limited per address.
CASEWORK_ACKNOWLEDGE_DAYS = env_int("CASEWORK_ACKNOWLEDGE_DAYS", 1, minimum=1)
CASEWORK_RESOLVE_DAYS = env_int("CASEWORK_RESOLVE_DAYS", 7, minimum=1)
CASEWORK_ESCALATION_DAYS = env_int_list("CASEWORK_ESCALATION_DAYS", [3, 3, 5], minimum=1)
CASEWORK_DUE_SOON_PERCENT = env_int("CASEWORK_DUE_SOON_PERCENT", 80, minimum=1)
if CASEWORK_DUE_SOON_PERCENT > 100:
    raise ConfigError("CASEWORK_DUE_SOON_PERCENT", f"must be at most 100, got {CASEWORK_DUE_SOON_PERCENT}")
CASEWORK_REOPEN_DAYS = env_int("CASEWORK_REOPEN_DAYS", 15, minimum=0)
CASEWORK_MEDIATION_PERIOD_DAYS = env_int("CASEWORK_MEDIATION_PERIOD_DAYS", 15, minimum=1)
CASEWORK_MAX_ATTACHMENTS = env_int("CASEWORK_MAX_ATTACHMENTS", 3, minimum=0)
CASEWORK_MAX_ATTACHMENT_BYTES = env_int("CASEWORK_MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024, minimum=1024)
CASEWORK_FILE_RATE_PER_IP = env_str("CASEWORK_FILE_RATE_PER_IP") or "10/h"
CASEWORK_STATUS_RATE_PER_IP = env_str("CASEWORK_STATUS_RATE_PER_IP") or "30/10m"

_RATES = ("MEMBERSHIP_JOIN_RATE_PER_IP", "MEMBERSHIP_JOIN_RATE_PER_ID", "MEMBERSHIP_STATUS_RATE_PER_IP")
for _name in (*_RATES, "CASEWORK_FILE_RATE_PER_IP", "CASEWORK_STATUS_RATE_PER_IP"):
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", globals()[_name]):
        raise ConfigError(_name, f"expected count/period such as 30/10m, got {globals()[_name]!r}")

# Messages (unionhub.services.messages): what people are told - a membership decision, a request's steps -
# recorded per recipient and channel and delivered as background tasks. MESSAGE_BACKENDS: the channels,
# console (the log, numbers masked), email and sms. A worker's mobile number is reached by e-mail only through
# MESSAGE_EMAIL_TO, an e-mail-to-SMS gateway address with {mobile} (silent while empty). The SMS gateway
# (unionhub.messaging.backends) is an HTTP POST to MESSAGE_SMS_URL, signed with the app key and secret, with
# the signature (签名) and, per message template, the provider's template code
# ("membership.application_approved=SMS_123,..."); success is HTTP 200 with MESSAGE_SMS_CODE_FIELD equal to
# MESSAGE_SMS_SUCCESS_CODE. A failed attempt is retried after MESSAGE_RETRY_SECONDS, doubling (at most an
# hour), up to MESSAGE_MAX_ATTEMPTS attempts; one number gets at most MESSAGE_SMS_RATE_PER_HOUR SMS an hour
# (more wait their turn).
MESSAGE_BACKENDS = env_list("MESSAGE_BACKENDS", ["console", "email"])
if not MESSAGE_BACKENDS or set(MESSAGE_BACKENDS) - {"console", "email", "sms"}:
    raise ConfigError("MESSAGE_BACKENDS", f"expected some of console, email, sms, got {MESSAGE_BACKENDS!r}")
MESSAGE_EMAIL_TO = env_str("MESSAGE_EMAIL_TO") or ""
if MESSAGE_EMAIL_TO and "{mobile}" not in MESSAGE_EMAIL_TO:
    raise ConfigError("MESSAGE_EMAIL_TO", f"expected an address with {{mobile}}, got {MESSAGE_EMAIL_TO!r}")
MESSAGE_MAX_ATTEMPTS = env_int("MESSAGE_MAX_ATTEMPTS", 5, minimum=1)
MESSAGE_RETRY_SECONDS = env_int("MESSAGE_RETRY_SECONDS", 60, minimum=1)
MESSAGE_SMS_RATE_PER_HOUR = env_int("MESSAGE_SMS_RATE_PER_HOUR", 5, minimum=1)
MESSAGE_SMS_URL = env_url("MESSAGE_SMS_URL", schemes={"http", "https"}) or ""
MESSAGE_SMS_SIGN_NAME = env_str("MESSAGE_SMS_SIGN_NAME") or ""
MESSAGE_SMS_APP_KEY = env_str("MESSAGE_SMS_APP_KEY") or ""
MESSAGE_SMS_APP_SECRET = env_str("MESSAGE_SMS_APP_SECRET") or ""
MESSAGE_SMS_TEMPLATE_CODES = env_mapping("MESSAGE_SMS_TEMPLATE_CODES")
MESSAGE_SMS_CODE_FIELD = env_str("MESSAGE_SMS_CODE_FIELD") or "code"
MESSAGE_SMS_SUCCESS_CODE = env_str("MESSAGE_SMS_SUCCESS_CODE") or "OK"
MESSAGE_SMS_TIMEOUT_SECONDS = env_int("MESSAGE_SMS_TIMEOUT_SECONDS", 10, minimum=1)
if "sms" in MESSAGE_BACKENDS:
    for _name in ("MESSAGE_SMS_URL", "MESSAGE_SMS_SIGN_NAME", "MESSAGE_SMS_APP_KEY", "MESSAGE_SMS_APP_SECRET"):
        if not globals()[_name]:
            raise ConfigError(_name, "required when MESSAGE_BACKENDS includes sms")
# The notification settings these replace: a deployment still setting them would silently lose its e-mails.
for _old, _new in (
    ("MEMBERSHIP_NOTIFICATION_BACKENDS", "MESSAGE_BACKENDS"),
    ("MEMBERSHIP_NOTIFICATION_EMAIL_TO", "MESSAGE_EMAIL_TO"),
    ("CASEWORK_NOTIFICATION_BACKENDS", "MESSAGE_BACKENDS"),
    ("CASEWORK_NOTIFICATION_EMAIL_TO", "MESSAGE_EMAIL_TO"),
):
    if env_str(_old) is not None:
        raise ConfigError(_old, f"no longer read: set {_new} instead (see README, Environment)")
# Member roster import: every check and import is a background job (JOB_RUNNER) with a progress page; no
# file may exceed ROSTER_MAX_UPLOAD_BYTES (at most unionhub.spreadsheets.MAX_UPLOAD_BYTES, 50 MB).
ROSTER_MAX_UPLOAD_BYTES = env_int("ROSTER_MAX_UPLOAD_BYTES", 50 * 1024 * 1024, minimum=1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every handler masks resident ID and mobile numbers (unionhub.personal.logs); a new handler must list the filter.
    "filters": {"mask_personal_numbers": {"()": "unionhub.personal.logs.MaskPersonalNumbers"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s", "datefmt": "%Y-%m-%d %H:%M:%S %z"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_personal_numbers"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# The JSON API (api/, README "API"): staff tokens last API_TOKEN_DAYS by default; a worker's mini-program session
# API_WORKER_SESSION_DAYS. WeChat's code2session (WECHAT_API_BASE_URL + /sns/jscode2session) with the mini
# program's app id and secret; a login is refused while they are unset. One-time codes binding a mobile number
# live API_MOBILE_CODE_MINUTES, API_MOBILE_CODE_RATE per number; logins API_LOGIN_RATE_PER_IP per address.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 365, minimum=1)
API_WORKER_SESSION_DAYS = env_int("API_WORKER_SESSION_DAYS", 30, minimum=1)
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50, minimum=1)
API_MOBILE_CODE_MINUTES = env_int("API_MOBILE_CODE_MINUTES", 10, minimum=1)
API_MOBILE_CODE_RATE = env_str("API_MOBILE_CODE_RATE") or "5/h"
API_LOGIN_RATE_PER_IP = env_str("API_LOGIN_RATE_PER_IP") or "30/10m"
WECHAT_APP_ID = env_str("WECHAT_APP_ID") or ""
WECHAT_APP_SECRET = env_str("WECHAT_APP_SECRET") or ""
WECHAT_API_BASE_URL = env_url("WECHAT_API_BASE_URL", schemes={"http", "https"}) or "https://api.weixin.qq.com"
WECHAT_TIMEOUT_SECONDS = env_int("WECHAT_TIMEOUT_SECONDS", 5, minimum=1)
for _name in ("API_MOBILE_CODE_RATE", "API_LOGIN_RATE_PER_IP"):
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", globals()[_name]):
        raise ConfigError(_name, f"expected count/period such as 30/10m, got {globals()[_name]!r}")
