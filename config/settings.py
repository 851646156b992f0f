"""MASIP settings: one module, every difference between environments read from
the environment (see config/env.py and docs/operations.md).

Unset, everything defaults to a safe local development set-up: DEBUG on, an
SQLite database under var/, and a development secret key. With DEBUG off the
secret key and allowed hosts must be supplied.
"""

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP

from config.db_pool import pool_options, prepared_statement_options
from config.env import (
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_secret,
    env_str,
    webauthn_relying_party_check,
)
from masip.crypto.keys import build_keyring

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MASIP_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env_secret(
    "DJANGO_SECRET_KEY",
    dev_default="insecure-development-key-never-used-when-debug-is-off",
    debug=DEBUG,
)
# The key for the audit trail's HMAC chain. Keep it apart from the database: an
# attacker who can write to the database but lacks the key cannot re-forge it.
MASIP_AUDIT_KEY = env_secret(
    "MASIP_AUDIT_KEY",
    dev_default="insecure-development-audit-key",
    debug=DEBUG,
)
# Field encryption at rest (ADR 0012): AES-256-GCM keys by id, and the id that
# seals new values. A development key is used only when DEBUG is on; with DEBUG
# off a missing or malformed key ring stops settings loading.
MASIP_FIELD_KEYRING = build_keyring(
    keys_text=env_str("MASIP_FIELD_KEYS"),
    key_file=env_str("MASIP_FIELD_KEY_FILE"),
    active=env_str("MASIP_FIELD_KEY_ACTIVE"),
    debug=DEBUG,
)
# The keyed blind index (HMAC-SHA256) for exact matches on sealed values.
MASIP_BLIND_INDEX_KEY = env_secret(
    "MASIP_BLIND_INDEX_KEY",
    dev_default="insecure-development-blind-index-key",
    debug=DEBUG,
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "masip.core",
    "masip.crypto",
    "masip.audit",
    "masip.access",
    "masip.accounts",
    "masip.people",
    "masip.cases",
    "masip.incidents",
    "masip.reporting",
    "masip.retention",
    "masip.alerts",
    "masip.isolation",
    "masip.disclosure",
    "masip.exports",
    "masip.api",
    "masip.evidence",
    "masip.risk",
    "masip.referrals",
    "masip.panels",
    "masip.orders",
    "masip.interventions",
    "masip.safety",
    "masip.helpline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "masip.accounts.sessions.SessionLimitsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "masip.accounts.mfa.MfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "masip.core.middleware.NoStoreMiddleware",
    "masip.access.middleware.AccessMiddleware",
    # After AccessMiddleware: sets the request's reach for row-level security.
    "masip.isolation.middleware.RowSecurityMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "masip" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "masip.access.context_processors.access",
                "masip.alerts.context_processors.alerts",
                "masip.accounts.notification_context.notifications",
            ],
            "builtins": ["masip.core.templatetags.govuk"],
        },
    },
]
FORM_RENDERER = "masip.core.forms.GovukFormRenderer"

DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'masip.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
# Connection pooling on PostgreSQL (docs/deployment.md, ADR 0032): psycopg's
# pool inside each web process, off unless MASIP_DB_POOL_MAX_SIZE is above 0.
# Django then hands connections back to the pool at the end of every request
# (CONN_MAX_AGE must be 0), and the pool empties every ``masip.*`` row-level
# security setting before a connection is lent again (config/db_pool.py).
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # No JIT compilation: the policies' subqueries make the planner's cost
    # estimates large enough to cross jit_above_cost on statements that read a
    # handful of rows, and compiling them took 0.3 to 0.6 s each at 500,000
    # cases (docs/benchmarks.md); short OLTP statements never repay it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Prepared statements (ADR 0036), off unless MASIP_DB_PREPARE_THRESHOLD is
    # set: statements are then bound on the server and psycopg prepares each
    # one a connection runs more than that many times. Planning is most of a
    # short statement's cost under row-level security, but at national scale
    # PostgreSQL's reused plans cost more than planning afresh.
    DATABASES["default"]["OPTIONS"].update(prepared_statement_options())
DB_POOL_MAX_SIZE = env_int("MASIP_DB_POOL_MAX_SIZE", 0)
if DB_POOL_MAX_SIZE > 0 and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = pool_options(
        min_size=env_int("MASIP_DB_POOL_MIN_SIZE", 1),
        max_size=DB_POOL_MAX_SIZE,
        timeout=env_int("MASIP_DB_POOL_TIMEOUT", 10),
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so two writers never
    # deadlock on the audit chain's "read the last hash, then append" step.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Row-level security (PostgreSQL; ADR 0013): the application connects as a role
# that owns no table (DATABASE_URL). `masip db_roles` runs over the owner's
# connection, the "owner" alias, when MASIP_MIGRATE_DATABASE_URL is set;
# migrations run with DATABASE_URL set to the owner instead (see
# masip/isolation/management/commands/migrate.py). Requests are not wrapped in
# transactions (ATOMIC_REQUESTS off): the reach is a session setting, written at
# the start of every request and emptied at its end, so reused connections
# carry none over.
MIGRATE_DATABASE_URL = env_str("MASIP_MIGRATE_DATABASE_URL")
if MIGRATE_DATABASE_URL:
    DATABASES["owner"] = {
        **dj_database_url.parse(MIGRATE_DATABASE_URL, conn_max_age=0),
        "TEST": {"MIRROR": "default"},
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Sign-in lockout: five failures lock the account name for ten minutes.
AXES_FAILURE_LIMIT = env_int("MASIP_SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("MASIP_SIGNIN_LOCKOUT_MINUTES", 10))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "masip.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "masip.access.actors.client_ip"
# Lockout is per account, as the sign-in policy says; locking by IP address as
# well would let one person lock out a whole office behind one address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Sessions: an idle timeout (renewed by use) and secure cookies.
SESSION_COOKIE_AGE = env_int("MASIP_IDLE_TIMEOUT_MINUTES", 15) * 60
# Renewed by use at most once a minute (masip.accounts.sessions.renew_if_due).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
MASIP_SESSION_MAX_HOURS = env_int("MASIP_SESSION_MAX_HOURS", 10)
# Step-up: the sensitive actions need a second factor proved this recently.
MASIP_STEP_UP_SECONDS = env_int("MASIP_STEP_UP_SECONDS", 300)
# How long a reveal of a case's victim location and contact details lasts.
MASIP_REVEAL_MINUTES = env_int("MASIP_REVEAL_MINUTES", 15)
SECURE = env_bool("MASIP_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
# The __Host- prefix makes browsers refuse these cookies unless they are
# secure, host-only and for the whole site; plain http (local) cannot use it.
SESSION_COOKIE_NAME = "__Host-masip-session" if SECURE else "masip-session"
CSRF_COOKIE_NAME = "__Host-masip-csrf" if SECURE else "masip-csrf"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "masip.core.views.csrf_failure"
SECURE_SSL_REDIRECT = env_bool("MASIP_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("MASIP_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Behind a TLS-terminating load balancer the application sees plain HTTP: the
# balancer must set X-Forwarded-Proto on every request, replacing any value a
# client sent, and the application port must be reachable from it alone
# (docs/deployment.md). Its health check asks for /healthz/ over plain HTTP,
# so that path is answered without the redirect to HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
# Load balancers whose X-Forwarded-For names the client (addresses or
# networks, comma-separated): the audit trail and sign-in throttling record
# the client's address rather than the balancer's (masip.access.actors).
MASIP_TRUSTED_PROXIES = env_networks("MASIP_TRUSTED_PROXIES")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (Django's built-in middleware): nothing inline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
    # Browsers report what the policy blocks; masip/core/csp.py counts it.
    "report-uri": ["/csp-report/"],
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# GOV.UK Frontend's compiled CSS asks for fonts and images under /assets/, so
# static files are served from there and both packages' assets sit at its root.
STATIC_URL = "/assets/"
STATIC_ROOT = VAR_DIR / "static"
if DEBUG:
    # Locally files come from the finders; WhiteNoise still expects the root.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "masip" / "static",
    NODE_MODULES / "govuk-frontend" / "dist" / "govuk" / "assets",
    NODE_MODULES / "@ministryofjustice" / "frontend" / "moj" / "assets",
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("moj", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj"),
]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "MASIP_STATICFILES_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# The evidence vault (ADR 0021, docs/operations.md): files sealed with
# AES-256-GCM under the field key ring, named by their SHA-256, in any Django
# storage. The filesystem under MASIP_EVIDENCE_ROOT by default; in production
# an S3-compatible bucket through django-storages, e.g.
# MASIP_EVIDENCE_STORAGE=storages.backends.s3.S3Storage and
# MASIP_EVIDENCE_STORAGE_OPTIONS='{"bucket_name": "masip-evidence"}'.
# Risk instruments (docs/risk.md): a deployment's own instrument files beside
# the built-in ones, and the folder holding the wording of licensed ones.
MASIP_INSTRUMENT_DIR = env_str("MASIP_INSTRUMENT_DIR", "") or None
MASIP_INSTRUMENT_WORDING_DIR = env_str("MASIP_INSTRUMENT_WORDING_DIR", "") or None
# Days until the next risk assessment, by the level the last one gave.
MASIP_RISK_REASSESS_DAYS = {"high": 28, "medium": 56, "standard": 91}
# Closing a case needs a risk assessment with a level this recent (days).
MASIP_CLOSURE_RISK_REVIEW_DAYS = env_int("MASIP_CLOSURE_RISK_REVIEW_DAYS", 28)
# Referrals (masip/referrals): hours from receipt to a triage decision, by
# urgency; days from acceptance to the case's first risk assessment; and how
# long the shares made when a referral is accepted last.
MASIP_TRIAGE_TARGET_HOURS = {
    "urgent": env_int("MASIP_TRIAGE_URGENT_HOURS", 24),
    "routine": env_int("MASIP_TRIAGE_ROUTINE_HOURS", 72),
}
MASIP_SCREENING_TARGET_DAYS = env_int("MASIP_SCREENING_TARGET_DAYS", 10)
MASIP_REFERRAL_SHARE_DAYS = env_int("MASIP_REFERRAL_SHARE_DAYS", 365)
# Orders and safety (issue 7): days a person subject to a Stalking Protection
# Order has to notify the police of their names and address after service,
# and of each later change (Stalking Protection Act 2019, s9: three); how far
# ahead the dashboard looks for orders expiring; how many days before an
# expected release the victim's advocate is alerted.
MASIP_SPO_NOTIFY_DAYS = env_int("MASIP_SPO_NOTIFY_DAYS", 3)
MASIP_ORDER_EXPIRY_WINDOW_DAYS = env_int("MASIP_ORDER_EXPIRY_WINDOW_DAYS", 60)
MASIP_RELEASE_ALERT_DAYS = env_int("MASIP_RELEASE_ALERT_DAYS", 14)
# The helpline (issue 8): how often the live-call page saves its draft, and
# the smallest count an exported statistic shows (smaller ones are suppressed).
MASIP_HELPLINE_AUTOSAVE_SECONDS = env_int("MASIP_HELPLINE_AUTOSAVE_SECONDS", 5)
MASIP_HELPLINE_SMALL_NUMBER = env_int("MASIP_HELPLINE_SMALL_NUMBER", 5)
MASIP_EVIDENCE_ROOT = Path(env_str("MASIP_EVIDENCE_ROOT", str(VAR_DIR / "evidence")))
MASIP_EVIDENCE_MAX_BYTES = env_int("MASIP_EVIDENCE_MAX_BYTES", 200 * 1024 * 1024)
_EVIDENCE_BACKEND = env_str(
    "MASIP_EVIDENCE_STORAGE", "django.core.files.storage.FileSystemStorage"
)
STORAGES["evidence"] = {
    "BACKEND": _EVIDENCE_BACKEND,
    "OPTIONS": json.loads(env_str("MASIP_EVIDENCE_STORAGE_OPTIONS") or "{}")
    or (
        {
            "location": str(MASIP_EVIDENCE_ROOT),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        }
        if _EVIDENCE_BACKEND.endswith("FileSystemStorage")
        else {}
    ),
}
# Uploads above this many bytes wait in a temporary file (not memory) until
# the vault has sealed them; the web server should refuse bodies much larger
# than MASIP_EVIDENCE_MAX_BYTES before Django sees them.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Background tasks run in a separate worker (`manage.py db_worker`) from a queue
# kept in the database (django-tasks-db, ADR 0011).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# E-mail (copies of in-app notices, sent by the worker): the console in
# development, SMTP otherwise. The SMTP options apply only to the SMTP backend
# (another backend refuses options it does not know).
MASIP_EMAIL_BACKEND = env_str(
    "MASIP_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_EMAIL_USE_TLS = env_bool("MASIP_EMAIL_USE_TLS", default=True)
MAILERS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": MASIP_EMAIL_BACKEND,
        "OPTIONS": {
            "host": env_str("MASIP_EMAIL_HOST", "localhost"),
            "port": env_int("MASIP_EMAIL_PORT", 587 if _EMAIL_USE_TLS else 25),
            "username": env_str("MASIP_EMAIL_USER"),
            "password": env_str("MASIP_EMAIL_PASSWORD"),
            "use_tls": _EMAIL_USE_TLS,
            "timeout": env_int("MASIP_EMAIL_TIMEOUT", 30),
        }
        if MASIP_EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("MASIP_FROM_EMAIL", "masip@localhost")
# Where MASIP is served, for the links in e-mails (no trailing path).
MASIP_BASE_URL = env_str("MASIP_BASE_URL", "http://localhost:8000")

# WebAuthn relying party (security keys, ADR 0018): the host name credentials
# are bound to and the exact origin browsers report. Required with DEBUG off;
# in development both follow the request's host (http://localhost is a
# secure context to browsers).
MASIP_WEBAUTHN_RP_ID = env_str("MASIP_WEBAUTHN_RP_ID")
MASIP_WEBAUTHN_ORIGIN = env_str("MASIP_WEBAUTHN_ORIGIN")
webauthn_relying_party_check(
    rp_id=MASIP_WEBAUTHN_RP_ID, origin=MASIP_WEBAUTHN_ORIGIN, debug=DEBUG
)

# How long a break-the-glass grant and a case share last by default.
MASIP_BREAK_GLASS_HOURS = env_int("MASIP_BREAK_GLASS_HOURS", 4)
MASIP_PAGE_SIZE = env_int("MASIP_PAGE_SIZE", 25)
# The most cases one export (CSV, spreadsheet or PDF) may hold.
MASIP_EXPORT_MAX_ROWS = env_int("MASIP_EXPORT_MAX_ROWS", 5000)

# Insider detection (masip/alerts, docs/decisions/0014-insider-detection.md).
# Cases opened outside the user's and their team's allocation: this many
# distinct cases within the window raise an alert.
MASIP_ALERT_UNALLOCATED_CASES = env_int("MASIP_ALERT_UNALLOCATED_CASES", 10)
MASIP_ALERT_UNALLOCATED_MINUTES = env_int("MASIP_ALERT_UNALLOCATED_MINUTES", 60)
# The roles whose work is allocated (others reach cases by purpose or audit).
MASIP_ALERT_ALLOCATED_ROLES = env_list(
    "MASIP_ALERT_ALLOCATED_ROLES", ["case_worker", "team_manager"]
)
# Exports: more than this many within the window raise an alert.
MASIP_ALERT_EXPORT_LIMIT = env_int("MASIP_ALERT_EXPORT_LIMIT", 5)
MASIP_ALERT_EXPORT_MINUTES = env_int("MASIP_ALERT_EXPORT_MINUTES", 60)
# Working hours in UK local time (HH:MM), wide enough for early and late
# shifts; weekends and England and Wales bank holidays are outside them, as
# are any extra dates (YYYY-MM-DD) listed here.
MASIP_ALERT_WORKDAY_START = env_str("MASIP_ALERT_WORKDAY_START", "07:00")
MASIP_ALERT_WORKDAY_END = env_str("MASIP_ALERT_WORKDAY_END", "19:00")
MASIP_ALERT_EXTRA_HOLIDAYS = env_list("MASIP_ALERT_EXTRA_HOLIDAYS")
# A shared family name held by at least this many people on record counts as
# common, and alerts only when the case is outside the user's allocation.
MASIP_ALERT_COMMON_SURNAME_PEOPLE = env_int("MASIP_ALERT_COMMON_SURNAME_PEOPLE", 20)
# The same rule firing again for the same user and case within this many hours
# adds to the open alert instead of raising another.
MASIP_ALERT_DEDUP_HOURS = env_int("MASIP_ALERT_DEDUP_HOURS", 24)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MASIP_LOG_LEVEL", "INFO")},
}
