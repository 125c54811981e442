"""OpsDesk settings: every deployment-specific value comes from the environment (see .env.example)."""

import datetime as dt
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is read when present (production sets real environment variables instead).
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A development key only when DEBUG. Without one SECRET_KEY stays empty: tools that sign nothing
# (makemigrations, collectstatic) still run, but the web server refuses to start (opsdesk/wsgi.py)
# and `check --deploy` fails (opsdesk/checks.py).
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me" if DEBUG else "")
# Django refuses to read an empty SECRET_KEY at all, so the checks look at this instead.
SECRET_KEY_IS_SET = bool(SECRET_KEY)
MISSING_SECRET_KEY = "Set SECRET_KEY (or DEBUG=true for a development key)."

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "opsdesk",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_rq",
    "axes",
    "stores",
    "reports",
    "kpi",
    "tasks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every response but static files (CONTENT_SECURITY_POLICY below).
    "opsdesk.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "opsdesk.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs login unless its view is explicitly marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Cache-Control: private, no-store on every response to a logged-in user (they carry numbers).
    "opsdesk.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page (AXES_* below).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "opsdesk.urls"
WSGI_APPLICATION = "opsdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background jobs (RQ) -------------------------------------------------------------------
# Every job is first a row in the database (opsdesk.models.BackgroundJob, docs/jobs.md),
# delivered once its transaction commits. Without REDIS_URL it then runs in-process, so the demo
# and a laptop need no Redis. With it, jobs go to the named queues and rqworker processes them.
REDIS_URL = env.str("REDIS_URL", default="")


def _redis_url_with_timeouts(url: str) -> str:
    """Redis as an accelerator: a Redis that is down or unreachable answers within a second or
    two instead of holding a page (redis-py waits for ever by default)."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}socket_connect_timeout=2&socket_timeout=5"


RQ_QUEUE_NAMES = ("default", "nightly")
RQ_QUEUES = {
    name: {"URL": _redis_url_with_timeouts(REDIS_URL or "redis://127.0.0.1:6379/0"), "DEFAULT_TIMEOUT": 900}
    for name in RQ_QUEUE_NAMES
}
# The outbox delivers on commit itself (opsdesk.queue.jobs_deliver), so django-rq enqueues at
# once and a Redis error reaches the code that can keep the job waiting.
RQ = {"COMMIT_MODE": "auto", "WORKER_CLASS": "opsdesk.worker.Worker"}
RQ_SHOW_ADMIN_LINK = True
# A running job touches its row this often; one untouched for JOB_ABANDONED_AFTER seconds has
# lost its worker and is retried or failed by the sweeper. No job runs longer than
# JOB_TIME_LIMIT (RQ stops it at DEFAULT_TIMEOUT above; this catches what RQ cannot).
JOB_HEARTBEAT_SECONDS = env.int("JOB_HEARTBEAT_SECONDS", default=10)
JOB_ABANDONED_AFTER = env.int("JOB_ABANDONED_AFTER", default=60)
JOB_TIME_LIMIT = env.int("JOB_TIME_LIMIT", default=960)

# Shared cache (import progress bars): Redis when there is one, else this process's memory.
# A Redis error is logged and taken as a miss (django-redis' IGNORE_EXCEPTIONS): a progress bar
# may stand still, a page never fails.
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": _redis_url_with_timeouts(REDIS_URL),
        "OPTIONS": {"IGNORE_EXCEPTIONS": True},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Sessions: Django's own, in the database (one indexed read per request). Not in the cache: a
# logout must end a session in every web process, and a page must not fail when Redis does.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Imports of daily metrics -------------------------------------------------------------
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
# Files larger than this are imported by a background job with a progress bar.
IMPORT_INLINE_MAX_BYTES = env.int("IMPORT_INLINE_MAX_BYTES", default=512 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Auth ---------------------------------------------------------------------------------
# django-axes first: it refuses a locked-out username or address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A new person's (or a reset's) one-time set-password link lasts 3 days (docs/team.md).
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Login throttling (django-axes), on /login/ and /admin/login/ alike: 5 failed logins lock that
# username, and 5 from one address lock that address (whatever usernames it tried), for 15 minutes
# after the last failure. Unlocked earlier in the admin (Axes → access attempts: delete the row) or
# with `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS`.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"  # status 429
# No "AXES: BEGIN" line at every start of every management command; failures are still logged.
AXES_VERBOSE = False
# The client's address. In production OpsDesk is reached only through the reverse proxy (see
# SECURE_PROXY_SSL_HEADER below), so REMOTE_ADDR is the proxy's for everyone: the proxy must put
# the address it received the request from in X-Forwarded-For (nginx: `proxy_set_header
# X-Forwarded-For $remote_addr;`, or $proxy_add_x_forwarded_for). Only the right-most entry is
# believed, the one our proxy wrote: whatever a client sent in that header itself stands to its
# left and is ignored (django-ipware: no further proxy counted, chain not required to be exact).
# Without the header (runserver, the healthcheck) it is REMOTE_ADDR.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
AXES_IPWARE_PROXY_COUNT = 0
IPWARE_STRICT = False

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "opsdesk.staticfinders.PlotlyJsFinder",
]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Email ----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OpsDesk <opsdesk@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that never answers must not hold a worker until the job's own timeout.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# --- Alerts (reports/alerts.py) ---------------------------------------------------------------
# Each store may override any of these on its alert thresholds page (/alerts/thresholds/<slug>/, the
# ops lead's, linked from the store's edit page; reports/thresholds.py); None switches a rule off.
ALERT_THRESHOLDS = {
    "dsr_floor": "4.8",  # any of the three DSR below it
    "conversion_drop": "0.20",  # conversion this much below its 4-week same-weekday level
    "refund_rate_limit": "0.15",
    "roi_floor": "1.5",
    "ad_spend_cap": None,  # ¥ per day; a store's own budget, so off unless set per store
    "pacing_gap": "0.05",  # completion this far behind time progress (once targets exist)
}
# Yesterday's numbers count as missing from this local time on.
ALERT_DATA_DUE = "10:00"

# --- Checklists --------------------------------------------------------------------------------
# Days after its day that a checklist and its 日报 can still be changed (1: today and yesterday).
TASKS_EDIT_GRACE_DAYS = env.int("TASKS_EDIT_GRACE_DAYS", default=1)

# KPI scorecards (docs/kpis.md): the grade bands of a total score (points, 100 = every item on
# target), highest first, with their colours; and the day of the next month on which a month's
# scores close by themselves (0: only the ops lead closes a month).
KPI_GRADES = [
    {"from": 110, "grade": "A", "colour": "#1a7f37"},
    {"from": 100, "grade": "B", "colour": "#2da44e"},
    {"from": 90, "grade": "C", "colour": "#bf8700"},
    {"from": 0, "grade": "D", "colour": "#cf222e"},
]
KPI_MONTH_CLOSE_DAY = env.int("KPI_MONTH_CLOSE_DAY", default=5)

# --- Security (production values unless DEBUG) ------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# django-csp: scripts, styles and everything else only from our own static files (charts
# included: static/js/charts.js draws them, vendor/plotly.min.js is ours too); no inline script
# or style attribute in any page. The sparklines are inline SVG; data: images are allowed.
# plotly.js adds two <style> elements of its own, allowed by their hashes and nothing else: an
# empty one that it then fills through the CSSOM (its chart rules), and the map library's rules
# (plotly.js 4.1.1; another release may change this text and its hash, which
# tests/reports/test_charts_csp_browser.py then reports as a violation).
PLOTLY_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # "", the empty <style>
    "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='",  # .maplibregl-map{…} (83 kB)
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, *PLOTLY_STYLE_HASHES],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
