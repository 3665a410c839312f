"""Followthrough settings: one module, driven by the environment.

Development defaults are safe to run on a laptop; with DEBUG off the process refuses to start
without a real SECRET_KEY. Every product-specific knob is a FOLLOWTHROUGH_* variable.
"""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FOLLOWTHROUGH_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me-in-production-0123456789"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY or (not DEBUG and SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("FOLLOWTHROUGH_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "followthrough.core",
    "followthrough.govuk",
    "followthrough.tracker",
    "followthrough.documents",
    "followthrough.insights",
    "followthrough.reports",
    "followthrough.public",
    "followthrough.frontdoor",
    "followthrough.licensing",
    "followthrough.api",
    "followthrough.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Deny by default: every view needs a signed-in user unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Staff who have not yet given their second factor may only reach the sign-in steps.
    "followthrough.core.middleware.SecondFactorMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "followthrough.govuk.context_processors.service",
                "followthrough.core.context_processors.navigation",
            ],
        },
    }
]
# Forms render with GOV.UK markup (label, hint, error message, input classes).
FORM_RENDERER = "followthrough.govuk.forms.GovukFormRenderer"

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'followthrough.sqlite3'}"),
        conn_max_age=int(os.environ.get("FOLLOWTHROUGH_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and a CLI command share the file safely.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests use a file too (not shared-cache memory, whose table locks ignore the busy
    # timeout), so concurrent-writer tests behave as production SQLite does.
    DATABASES["default"]["TEST"] = {
        "NAME": str(VAR_DIR / f"test-followthrough-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "followthrough.core.backends.SignInThrottle",  # django-axes: refuses locked-out sign-ins
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: after 5 failures for a username from one address, wait 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("FOLLOWTHROUGH_SIGN_IN_ATTEMPTS", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("FOLLOWTHROUGH_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("FOLLOWTHROUGH_PROXY_COUNT", "0")) or None
OTP_TOTP_ISSUER = os.environ.get("FOLLOWTHROUGH_SERVICE_NAME", "Followthrough")
LOGIN_URL = "core:login"
LOGIN_URL_PATH = "/sign-in/"
CSRF_FAILURE_VIEW = "followthrough.core.views.csrf_failure"
LOGIN_REDIRECT_URL = "/"  # the home view sends each role to its own start page
LOGOUT_REDIRECT_URL = "core:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("FOLLOWTHROUGH_STATIC_ROOT", VAR_DIR / "staticfiles"))
STORAGES = {
    # Uploaded evidence lives outside the web root and is only served by access-checked views.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(Path(os.environ.get("FOLLOWTHROUGH_MEDIA_ROOT", VAR_DIR / "media")))
        },
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve vendored assets in development without collectstatic
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Sessions and cookies
SESSION_COOKIE_AGE = int(os.environ.get("FOLLOWTHROUGH_SESSION_SECONDS", str(60 * 60)))
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout, not absolute
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE = not DEBUG and env_bool("FOLLOWTHROUGH_SECURE", True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("FOLLOWTHROUGH_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get(
    "FOLLOWTHROUGH_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("FOLLOWTHROUGH_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("FOLLOWTHROUGH_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("FOLLOWTHROUGH_FROM_EMAIL", "followthrough@example.gov.uk")

# Product settings
FOLLOWTHROUGH: dict[str, Any] = {
    "SERVICE_NAME": os.environ.get("FOLLOWTHROUGH_SERVICE_NAME", "Followthrough"),
    "COUNCIL_NAME": os.environ.get("FOLLOWTHROUGH_COUNCIL_NAME", "Example Council"),
    "IMPORT_MAX_BYTES": int(
        os.environ.get("FOLLOWTHROUGH_IMPORT_MAX_BYTES", str(30 * 1024 * 1024))
    ),
    "EVIDENCE_MAX_BYTES": int(
        os.environ.get("FOLLOWTHROUGH_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024))
    ),
    "AT_RISK_DAYS": int(os.environ.get("FOLLOWTHROUGH_AT_RISK_DAYS", "30")),
    # The start of links in emails (reminders, notifications).
    "SITE_URL": os.environ.get("FOLLOWTHROUGH_SITE_URL", "http://127.0.0.1:8000"),
    # Staff must add an authenticator app (TOTP). On by default in production; a development
    # demo can sign in with a password alone unless this is set.
    "REQUIRE_2FA": env_bool("FOLLOWTHROUGH_REQUIRE_2FA", not DEBUG),
}

FOLLOWTHROUGH.update(
    {
        # The council's front-door service number, shown on every public page about reporting.
        # The default is a reserved drama number: set the real one in production.
        "FRONT_DOOR_PHONE": os.environ.get("FOLLOWTHROUGH_FRONT_DOOR_PHONE", "01632 960 000"),
        "FRONT_DOOR_NAME": os.environ.get(
            "FOLLOWTHROUGH_FRONT_DOOR_NAME", "children's front door service"
        ),
        "FRONT_DOOR_HOURS": os.environ.get(
            "FOLLOWTHROUGH_FRONT_DOOR_HOURS",
            "Monday to Thursday 8.45am to 5.15pm, Friday 8.45am to 4.45pm",
        ),
        "FRONT_DOOR_OUT_OF_HOURS_PHONE": os.environ.get(
            "FOLLOWTHROUGH_FRONT_DOOR_OUT_OF_HOURS_PHONE", ""
        ),
        "FRONTDOOR_AMBER_HOURS": int(os.environ.get("FOLLOWTHROUGH_FRONTDOOR_AMBER_HOURS", "4")),
        "FRONTDOOR_SENDS_PER_HOUR": int(
            os.environ.get("FOLLOWTHROUGH_FRONTDOOR_SENDS_PER_HOUR", "20")
        ),
        "LICENSING_STATUS_CHECK_MONTHS": int(
            os.environ.get("FOLLOWTHROUGH_LICENSING_STATUS_CHECK_MONTHS", "6")
        ),
        "LICENSING_TRAINING_REQUIRED": env_bool("FOLLOWTHROUGH_LICENSING_TRAINING_REQUIRED", True),
        "LICENSING_DBS_MONTHS_BEFORE_GRANT": int(
            os.environ.get("FOLLOWTHROUGH_LICENSING_DBS_MONTHS_BEFORE_GRANT", "3")
        ),
        "LICENSING_REMINDER_DAYS": [
            int(d) for d in env_list("FOLLOWTHROUGH_LICENSING_REMINDER_DAYS", "60,30,7")
        ],
    }
)

# A strict Content-Security-Policy: our own scripts and styles only, nonces on script tags,
# no inline event handlers or style attributes anywhere (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Field-level encryption keys for the most sensitive data (front-door contacts): a comma-separated
# list of Fernet keys, newest first. Rotation: put the new key first, keep the old ones until
# `followthrough rotate_keys` has re-encrypted everything.
_DEV_FIELD_KEY = base64.urlsafe_b64encode(
    hashlib.sha256(b"followthrough-dev-field-key").digest()
).decode()
FOLLOWTHROUGH["FIELD_ENCRYPTION_KEYS"] = env_list(
    "FOLLOWTHROUGH_FIELD_KEYS", _DEV_FIELD_KEY if DEBUG else ""
)
if not FOLLOWTHROUGH["FIELD_ENCRYPTION_KEYS"]:
    raise ImproperlyConfigured("FOLLOWTHROUGH_FIELD_KEYS must be set when DEBUG is off.")
FOLLOWTHROUGH["INSIGHTS_DB"] = os.environ.get(
    "FOLLOWTHROUGH_INSIGHTS_DB", str(VAR_DIR / "insights.duckdb")
)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "followthrough.api.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Followthrough API",
    "DESCRIPTION": "Published reviews, recommendations, actions and updates; partner updates with a token.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("FOLLOWTHROUGH_LOG_LEVEL", "WARNING"),
    },
}
