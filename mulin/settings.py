"""Settings for Mulin, read from the environment.

Development needs nothing set: SQLite in WAL mode under ``var/`` and a secret key
generated on first run into ``var/secret_key`` (git-ignored). Production sets
``MULIN_ENV=production`` plus ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL``
and, usually, ``REDIS_URL``; see README.md.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MULIN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = os.environ.get("MULIN_ENV", "development") == "production"
DEBUG = not PRODUCTION and os.environ.get("DEBUG", "1") == "1"


def _development_secret(name: str = "secret_key", make=lambda: secrets.token_urlsafe(50)) -> str:
    """A per-checkout secret, made once and kept out of git."""
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def _data_key() -> str:
    import base64

    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]
    ALLOWED_HOSTS = [h.strip() for h in os.environ["ALLOWED_HOSTS"].split(",") if h.strip()]
    # Identity-card numbers and health notes are encrypted with these (see registry/crypto.py).
    DATA_KEYS = os.environ["MULIN_DATA_KEYS"]
else:
    SECRET_KEY = os.environ.get("SECRET_KEY") or _development_secret()
    DATA_KEYS = os.environ.get("MULIN_DATA_KEYS") or _development_secret("data_keys", _data_key)
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI from the pip package, not a CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp_webauthn",  # passkeys as a second factor (accounts/passkeys.py)
    "axes",
    "django_tasks",
    "django_tasks_db",
    # Mulin's own apps: one per domain word.
    "audit",
    "areas",
    "accounts",
    "registry",
    "notifications",
    "notices",
    "activities",
    "deliberation",
    "conventions",
    "demands",
    "visits",
    "eldercare",
    "partners",
    "volunteers",
    "spaces",
    "servicedays",
    "aids",
    "meals",
    "funds",
    "projects",
    "recognition",
    "demo",
]

# Apps whose models are Mulin's own: the audit log and the permission matrix cover these.
MULIN_APPS = [
    "audit",
    "areas",
    "accounts",
    "registry",
    "notifications",
    "notices",
    "activities",
    "deliberation",
    "conventions",
    "demands",
    "visits",
    "eldercare",
    "partners",
    "volunteers",
    "spaces",
    "servicedays",
    "aids",
    "meals",
    "funds",
    "projects",
    "recognition",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "common.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.LanguageMiddleware",
    "common.http.RefuseUnreadableRequests",
    "accounts.middleware.ActiveRoleMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
    "accounts.middleware.RequirePasswordChangeMiddleware",
    "audit.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mulin.urls"
WSGI_APPLICATION = "mulin.wsgi.application"

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
                "accounts.context_processors.shell",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "mulin.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}", conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60"))
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock
        # at BEGIN so two writers queue instead of failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mulin",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Outbound messages: SMS through a pluggable backend (notifications/backends.py), e-mail through
# Django's. Both print to the console by default: no real gateway is reachable in development.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "notifications.backends.ConsoleSMSBackend")
MULIN_SMS_SIGNATURE = os.environ.get("MULIN_SMS_SIGNATURE", "睦邻")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mulin@localhost")
# Where links in SMS, e-mails and poster QR codes point (no request to take the host from).
MULIN_BASE_URL = os.environ.get("MULIN_BASE_URL", "http://127.0.0.1:8000")

# The largest image or document a notice takes.
NOTICE_MAX_FILE_MB = int(os.environ.get("NOTICE_MAX_FILE_MB", "10"))

TASKS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A larger deployment runs the tasks on Redis with RQ: TASKS_BACKEND=django_tasks_rq.RQBackend
# and REDIS_URL; workers are `manage.py rqworker default --job-class django_tasks_rq.Job
# --with-scheduler` (the scheduler runs the periodic jobs' deferred next runs).
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS["default"]["QUEUES"] = ["default"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}

# --- Accounts and security ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
TWO_FACTOR_URL = "/accounts/two-factor/"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Failed logins: five wrong passwords for one phone number from one address lock that number
# there for 15 minutes. By number and address together: by number alone anyone could lock any
# worker out by typing wrong passwords; by address alone a committee office, which shares one
# among its staff and the residents it helps, would be locked out at once. The number alone,
# across addresses, is slowed by a growing delay instead (accounts/lockout.py). Who manages a
# committee's accounts lifts a lock on the people page; site administrators in the admin.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "phone"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "1" if PRODUCTION else "0")) or None

OTP_TOTP_ISSUER = "Mulin 睦邻"
# Passkeys (WebAuthn, django-otp-webauthn): bound to the host the request came to (checked
# against ALLOWED_HOSTS), so development, the tests' live server and production need nothing
# set; MULIN_BASE_URL's origin is allowed too (when HTTPS: browsers refuse passkeys over plain
# HTTP anywhere but localhost). The password stays the first factor.
OTP_WEBAUTHN_RP_ID_CALLABLE = "accounts.passkeys.relying_party_id"
OTP_WEBAUTHN_RP_NAME = "Mulin 睦邻"
OTP_WEBAUTHN_HELPER_CLASS = "accounts.passkeys.PasskeyHelper"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [
    MULIN_BASE_URL.rstrip("/") if MULIN_BASE_URL.startswith("https://") else "http://localhost:8000"
]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# --- Activities ---------------------------------------------------------------------------------
# Check-in at the door (a scanned pass, the list, a walk-in) opens this long before an activity
# starts and closes this long after it ends; only then does a check-in count as a beneficiary
# (受益人次). A paper sign-in sheet typed in later goes through its own audited path.
MULIN_CHECKIN_OPENS_BEFORE = timedelta(minutes=int(os.environ.get("MULIN_CHECKIN_OPENS_MINUTES", "30")))
MULIN_CHECKIN_CLOSES_AFTER = timedelta(minutes=int(os.environ.get("MULIN_CHECKIN_CLOSES_MINUTES", "60")))

# --- Volunteers ---------------------------------------------------------------------------------
# Stars a volunteer earns by the confirmed hours of one year (一星 at the first figure, 五星 at
# the last), shown on their page and in the yearly recognition list (表彰).
MULIN_VOLUNTEER_STAR_HOURS = tuple(
    int(h) for h in os.environ.get("MULIN_VOLUNTEER_STAR_HOURS", "20,50,100,200,300").split(",")
)
# A shift's claimers are reminded (in the app and by SMS) this long before it starts.
MULIN_SHIFT_REMIND_BEFORE = timedelta(hours=int(os.environ.get("MULIN_SHIFT_REMIND_HOURS", "24")))

# --- Care aids ---------------------------------------------------------------------------------
# A borrower is reminded this many days before an aid is due back (and once when it is overdue).
MULIN_AID_REMIND_DAYS = int(os.environ.get("MULIN_AID_REMIND_DAYS", "3"))

# --- Registry ----------------------------------------------------------------------------------
# How long a moved-out (or deceased) resident's record keeps its identity before it is
# anonymised; the household history stays, without the person.
REGISTRY_RETENTION_DAYS = int(os.environ.get("REGISTRY_RETENTION_DAYS", str(3 * 365)))
# Census uploads wait here between the dry run and the apply.
REGISTRY_UPLOAD_DIR = VAR_DIR / "census"
REGISTRY_MAX_UPLOAD_MB = int(os.environ.get("REGISTRY_MAX_UPLOAD_MB", "50"))
# A checked census upload not applied within this many hours is discarded with its file (the
# sheet holds identity numbers in the clear).
REGISTRY_UPLOAD_HOURS = int(os.environ.get("REGISTRY_UPLOAD_HOURS", "24"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (common/security.py; the same setting Django 6.0 reads). Strict: no
# inline script or style anywhere (tests/test_security_headers.py reads every template), htmx
# told not to inject its indicator <style> (base.html's htmx-config), QR codes inline <svg> or
# data: images.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# No page needs the camera, microphone or location; passkeys (WebAuthn) are this site's own.
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "publickey-credentials-get": ["self"],
    "publickey-credentials-create": ["self"],
}
# Behind HTTPS (production): redirect to it, cookies only over it, and HSTS for a year.
if PRODUCTION:
    SECURE_CSP["upgrade-insecure-requests"] = []
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Language, time, static ---------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = not PRODUCTION
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from npm at set-up (`npm ci`); nothing third-party is committed.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
