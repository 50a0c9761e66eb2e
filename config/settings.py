"""Ertrag settings: one module, driven by the environment.

With nothing set the app runs embedded: SQLite under ``var/``, a local-memory
cache and Celery on kombu's filesystem transport under ``var/`` (a real worker
and beat still run, no server to install). ``DATABASE_URL`` switches to
PostgreSQL, ``REDIS_URL`` to Redis for broker, results and cache. Debug is off
unless ``DJANGO_DEBUG=true`` (``make run`` and the tests set it); without it the
settings refuse to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``. Every variable
is documented in ``.env.example``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, *, default: bool) -> bool:
    """A boolean variable; anything but a clear yes or no stops start-up (no silent False)."""
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw in _TRUE | _FALSE:
        return raw in _TRUE
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE)}, not {raw!r}.")


# ----------------------------------------------------------------------------- core
# Off unless asked for: a server started without configuration must not show tracebacks
# or run on a key anyone can read. ``make run`` and the tests turn it on themselves.
DEBUG: bool = env_bool("DJANGO_DEBUG", default=False)
#: Where development keeps the secret key it generated on its first start.
DEV_SECRET_KEY_FILE = VAR_DIR / "secret_key"


def dev_secret_key(path: Path) -> str:
    """Development's key: generated once per checkout and kept under ``var/``.

    Never a constant in the source: anyone could sign sessions, password-reset links and
    digest unsubscribe links of an installation that runs on it. Written with ``O_EXCL``
    so two processes starting at once (web and worker) end up with the same key.
    """
    import os
    import secrets

    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text().strip()
        if len(key) >= 50:
            return key
        raise ImproperlyConfigured(f"{path} holds no usable secret key; delete it.") from None
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


if DEBUG:
    SECRET_KEY: str = env.str("SECRET_KEY", default="") or dev_secret_key(DEV_SECRET_KEY_FILE)
    ALLOWED_HOSTS: list[str] = env.list(
        "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"]
    )
else:
    # Production mode: no default may hide a missing secret or host list.
    SECRET_KEY = env.str("SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to at least 50 random characters when DJANGO_DEBUG=false "
            "(the default; DJANGO_DEBUG=true for development, as make run sets it)."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_DEBUG=false.")

CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "csp",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "accounts",
    "config.apps.ProjectConfig",
    "income",
    "imports",
    "scenarios",
    "reports",
    "portability",
    "alerts",
    "households",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-allauth's log-in stages (second factor, e-mail verification) need it.
    "allauth.account.middleware.AccountMiddleware",
    # The list of signed-in browsers (allauth.usersessions); it records at log-in only.
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # The API's texts in the profile's language, or ?lang= (config/api/language.py).
    "config.api.language.ApiLanguageMiddleware",
    # The profile's theme and date style (income/preferences.py); needs request.user.
    "income.preferences.PreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Authenticated pages and downloads stay out of shared and browser caches.
    "config.headers.PrivacyHeadersMiddleware",
    # Per-address limits on log-in, sign-up, reset mails and password checks
    # (config/ratelimit.py); after the locale, so the 429 page speaks the reader's language.
    "config.ratelimit.AddressLimitMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

# Axes first: a locked-out username and address is refused before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                "accounts.context_processors.signup",
            ],
        },
    },
]

# ----------------------------------------------------------------------------- database
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ertrag.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
IS_SQLITE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
if IS_SQLITE:
    # WAL lets the web process read while the worker writes; the timeout absorbs short locks.
    # IMMEDIATE: a transaction takes the write lock when it begins, so a writer waits its
    # turn (the timeout) instead of failing with "database is locked" when its read lock
    # cannot be upgraded, which SQLite refuses at once without waiting (Django 5.1+).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

# ----------------------------------------------------------------------------- cache and broker
REDIS_URL: str = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Fail-soft: an unreachable Redis is an empty cache (PRODUCT.md §7, config/cache.py),
    # and a dead one costs a request at most these timeouts, once per outage pause.
    CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ertrag",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
else:
    # Files, not process memory: the web process reads what the worker wrote (progress).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(BASE_DIR / env.str("CACHE_DIR", default="var/cache")),
        }
    }

# ----------------------------------------------------------------------------- auth
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# Sign-up, log-in, reset and e-mail verification: django-allauth (accounts/).
#: False closes sign-up in the browser and the API; existing users still log in.
SIGNUP_OPEN = env_bool("SIGNUP_OPEN", default=True)
_EMAIL_VERIFICATION_CHOICES = ("none", "optional", "mandatory")
ACCOUNT_EMAIL_VERIFICATION: str = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
if ACCOUNT_EMAIL_VERIFICATION not in _EMAIL_VERIFICATION_CHOICES:
    raise ImproperlyConfigured(
        f"ACCOUNT_EMAIL_VERIFICATION must be one of {list(_EMAIL_VERIFICATION_CHOICES)}, "
        f"not {ACCOUNT_EMAIL_VERIFICATION!r}."
    )
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "accounts.forms.login.LoginForm",
    # One account per address and per name, races included, without telling who has one.
    "signup": "accounts.forms.account_signup.SignupForm",
}
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.signup.SignupProfileForm"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# A sign-up ends on "check your mail", a taken address too (accounts/views.py); the link
# in the mail logs the new account in, in the browser it signed up in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Sign-up never tells whether an address has an account: a taken address makes no second
# account (a unique index, accounts/migrations/0003), answers as a new one does and mails
# its owner instead (accounts/forms/account_signup.py, accounts/api/views.py).
ACCOUNT_PREVENT_ENUMERATION = "strict"
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Mail the owner when the password or an address changes (and, with MFA, a factor).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Ertrag: "
# Log-ins are limited once, by django-axes (below), not by allauth a second time: allauth
# takes a cache lock per attempt and refuses (429) when the cache is unreachable, and
# log-in must keep working through a Redis outage (PRODUCT.md §7). allauth's other
# per-address limits (sign-up, reset mails, password change) stay on.
# Re-authentication (asked before adding a passkey or an authenticator app) likewise: its
# lock would refuse it with Redis away; the per-address "password" counter limits it.
ACCOUNT_RATE_LIMITS = {"login": None, "login_failed": None, "reauthenticate": None}
# A reset asked for an unknown address sends nothing (and answers the same).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False

# Second factor (allauth.mfa): an authenticator app with recovery codes, and passkeys
# (WebAuthn), which also log in without a password. Wrong codes count as failed log-ins
# for django-axes, like wrong passwords (accounts/forms/mfa.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
# Browsers offer WebAuthn on https and on localhost; http elsewhere only while developing.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = "Ertrag"
# The code the phone showed a moment ago still counts (RFC 6238 5.2: one step back for
# the time it takes to type and send it); allauth's default of 0 refuses a code typed as
# the phone turns to the next one. A code still counts once only.
MFA_TOTP_TOLERANCE = 1
MFA_FORMS = {"authenticate": "accounts.forms.mfa.AuthenticateForm"}
# Single sign-on through an OpenID Connect provider (Authelia, Keycloak, authentik, ...),
# on when OIDC_SERVER_URL and the client's id and secret are set. The provider's users
# get an account here on their first log-in (while SIGNUP_OPEN); one who already has an
# account connects the provider from the settings. The callback to register with the
# provider: SITE_URL + /accounts/oidc/<OIDC_PROVIDER_ID>/login/callback/.
OIDC_SERVER_URL: str = env.str("OIDC_SERVER_URL", default="").rstrip("/")
OIDC_CLIENT_ID: str = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET: str = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_PROVIDER_ID: str = env.str("OIDC_PROVIDER_ID", default="sso")
OIDC_PROVIDER_NAME: str = env.str("OIDC_PROVIDER_NAME", default="Single sign-on")
if OIDC_SERVER_URL and not (OIDC_CLIENT_ID and OIDC_CLIENT_SECRET):
    raise ImproperlyConfigured("OIDC_SERVER_URL needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.")
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS: dict[str, Any] = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": OIDC_PROVIDER_ID,
                "name": OIDC_PROVIDER_NAME,
                "client_id": OIDC_CLIENT_ID,
                "secret": OIDC_CLIENT_SECRET,
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ]
        if OIDC_SERVER_URL
        else [],
    }
}
# The provider vouches for the address; a local account is never taken over by it.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False

# Signed-in browsers, listed in the settings with the address and browser they logged in
# from. Recorded at log-in only: tracking every request would cost each page queries.
USERSESSIONS_TRACK_ACTIVITY = False
#: Seconds an API client has to send the second factor after the password (accounts/api/views.py).
MFA_API_CHALLENGE_SECONDS = 300

# ----------------------------------------------------------------------------- i18n
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
# The second holds German for django-allauth's own texts in the house's "du" (allauth
# ships the formal "Sie"); LOCALE_PATHS win over an app's catalogue, the first path over
# the second, and makemessages writes only into the first.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_allauth"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
# English dates day first (5 Dec 2026), not Django's American 12/05/2026: config/formats/.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Berlin")
USE_TZ = True
LANGUAGE_COOKIE_NAME = "ertrag_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

# ----------------------------------------------------------------------------- static files
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "config.staticfinders.NodeModulesFinder",
]
NODE_MODULES_DIR = BASE_DIR / "node_modules"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# ----------------------------------------------------------------------------- e-mail
EMAIL_BACKEND: str = env.str(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Seconds a mail server may take: without it a hung server holds a request (mail sent
# inline when the broker is away) or a worker forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Ertrag <noreply@localhost>")
# Scheme and host of the site as users reach it: links in e-mails (a mail has no request).
SITE_URL: str = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")) or not SITE_URL.split("://", 1)[1]:
    raise ImproperlyConfigured(
        f"SITE_URL must start with http:// or https:// and name the host, not {SITE_URL!r}."
    )

# ----------------------------------------------------------------------------- REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.api.authentication.TokenOrBearerAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.ClampedLimitOffsetPagination",
    "PAGE_SIZE": 25,
    # Unknown sort keys and non-boolean booleans are a 400, as the schema says (issue 20).
    "DEFAULT_FILTER_BACKENDS": [
        "config.api.filtering.StrictFilterBackend",
        "config.api.filtering.StrictOrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "config.api.parsers.DecimalJSONParser",
        "rest_framework.parsers.FormParser",
        "config.api.parsers.BoundedMultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's throttles with the address from config.lockout.client_ip, the rule axes and
    # the per-address limits use: a client-sent X-Forwarded-For never counts.
    "DEFAULT_THROTTLE_CLASSES": [
        "config.ratelimit.AnonAddressThrottle",
        "config.ratelimit.UserAddressThrottle",
        "config.ratelimit.ScopedAddressThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="120/min"),
        "user": env.str("THROTTLE_USER", default="600/min"),
        "auth": env.str("THROTTLE_AUTH", default="10/min"),
    },
    "EXCEPTION_HANDLER": "config.api.exceptions.exception_handler",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "config.api.language.ProfileLanguageNegotiation",
    "DEFAULT_SCHEMA_CLASS": "config.api.schema.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Set below from BEHIND_PROXY: 0 reads REMOTE_ADDR, 1 the entry the proxy added.
    "NUM_PROXIES": 0,
}
API_MAX_PAGE_SIZE = 100
# ----------------------------------------------------------------------------- ECB rates
# The ECB's euro reference rates, fetched on schedule (issue 24): the day's rates, and the
# whole history on the first run (no rate stored yet). Any of the ECB's forms (CSV, zip,
# XML); a mirror or a local copy works as well.
ECB_RATES_URL = env.str(
    "ECB_RATES_URL", default="https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
)
ECB_RATES_HISTORY_URL = env.str(
    "ECB_RATES_HISTORY_URL", default="https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
)
ECB_FETCH_TIMEOUT = env.int("ECB_FETCH_TIMEOUT", default=30)
#: The most a fetch reads: the zipped history is about 0.6 MB, the XML history 7 MB.
ECB_FETCH_MAX_BYTES = env.int("ECB_FETCH_MAX_MB", default=16) * 2**20

# Alerts (issue 24): how long one push or webhook may take, and how many deliveries in a
# row may fail (each after its retries) before the channel is switched off.
ALERT_HTTP_TIMEOUT = env.float("ALERT_HTTP_TIMEOUT", default=10.0)
ALERT_CHANNEL_MAX_FAILURES = env.int("ALERT_CHANNEL_MAX_FAILURES", default=5)
#: Whether channels may send into private networks (a LAN ntfy or Gotify); off on an
#: instance open to people the admin does not know (``alerts.transports``).
ALERT_PRIVATE_ADDRESSES = env_bool("ALERT_PRIVATE_ADDRESSES", default=True)

IMPORT_MAX_BYTES = env.int("IMPORT_MAX_MB", default=32) * 2**20
#: Data rows one statement may have (PRODUCT.md §6: the import bench's 100,000 rows).
IMPORT_MAX_ROWS = 100_000
#: Days an uploaded statement's file is kept (for its preview and its rejected lines);
#: then the file is emptied, and an upload never imported goes (imports.tasks).
IMPORT_KEEP_DAYS = env.int("IMPORT_KEEP_DAYS", default=30)
#: Bytes of uploaded files one account may keep at a time.
IMPORT_USER_MAX_STORED_BYTES = env.int("IMPORT_USER_MAX_STORED_MB", default=256) * 2**20
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 2**20
#: A JSON body the API reads (config.api.parsers); a view may allow more (the data import).
API_JSON_MAX_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE
#: The API's data import takes a whole export as its JSON body (portability/api/views.py):
#: 100,000 payments come to about 30 MB.
DATA_IMPORT_MAX_BYTES = env.int("DATA_IMPORT_MAX_MB", default=64) * 2**20
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES

# A token expires API_TOKEN_TTL_HOURS after its last use (a sync client in daily use keeps
# working), but never later than API_TOKEN_MAX_AGE_DAYS after it was issued: a stolen
# token in use cannot live forever, and the client logs in again (issue 19, finding 8).
API_TOKEN_MAX_AGE_DAYS = env.int("API_TOKEN_MAX_AGE_DAYS", default=90)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_TTL_HOURS", default=24 * 30)),
    "AUTO_REFRESH": True,
    "AUTO_REFRESH_MAX_TTL": timedelta(days=API_TOKEN_MAX_AGE_DAYS),
    "TOKEN_LIMIT_PER_USER": None,  # income.services.users.api_token_create prunes instead
}
API_TOKENS_PER_USER = 20
# knox's token model is swappable; named so accounts.ApiTokenDevice's migration can point at it.
KNOX_TOKEN_MODEL = "knox.AuthToken"  # noqa: S105 (a model name, not a secret)

SPECTACULAR_SETTINGS = {
    "TITLE": "Ertrag API",
    "DESCRIPTION": (
        "Passive income tracker. Amounts are decimal strings with two places (a request may "
        "send a JSON number instead); rates are fractions (0.05 = 5 %). Authenticate with "
        "`Authorization: Bearer <token>` (or `Token <token>`) from `/api/v1/auth/login/`. "
        "Objects of other users answer 404. Bodies are JSON (multipart where a file is "
        "sent); every error answers `Error`, invalid input `ValidationError`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Payment, source and profile currencies are one list: one enum in the schema.
    "ENUM_NAME_OVERRIDES": {
        "CurrencyEnum": "income.models.CURRENCY_CHOICES",
        # A source's status is also a column of the export's and the import's rows.
        "SourceStatusEnum": "income.models.SourceStatus",
        "CostKindEnum": "income.models.CostKind",
        # A source's fund type is also a column of the export and a field of the tax report.
        "FundTypeEnum": "income.models.FundType",
        # An import's kind: its job, its preview and the presets say it.
        "ImportKindEnum": "imports.models.IMPORT_KINDS",
        # Two "role"s of a household: a member's, and a share's (view or edit).
        "MemberRoleEnum": "households.models.MemberRole",
        "ShareRoleEnum": "households.models.ShareRole",
    },
    # 400, 401, 404 and 429 come from the platform, not the views: documented by one hook.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.schema.add_error_responses",
    ],
}

# ----------------------------------------------------------------------------- Celery
# Visibility timeout (Redis) must exceed the hard time limit, or a long task would be
# redelivered to a second worker while the first is still running it.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=900)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=840)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # A message taken by a worker that died unacknowledged goes back on the queue once it
    # is older than the visibility timeout; each worker looks for such messages every
    # CELERY_UNACKED_RESTORE_INTERVAL seconds (throttle 1: every look is a real scan).
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
        "unacked_restore_throttle": 1,
        # Without them a publish to a Redis that vanished without closing the connection
        # waits forever; the web process's sends also retry only once (income/dispatch.py).
        # Above the BRPOP timeout (1 s) of the workers' consumers.
        "socket_connect_timeout": 1,
        "socket_timeout": 5,
    }
else:
    CELERY_BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(VAR_DIR / "broker")))
    for _folder in ("queue", "processed", "results", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_BROKER_DIR / 'results'}"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Results are kept only for the tasks whose callers read them (``ignore_result=False``
# on the task: tests and benches wait on a few); nothing reads a "started" state.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TRACK_STARTED = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# django-celery-beat's scheduler, but one beat at a time and every send saved (config/beat.py).
CELERY_BEAT_SCHEDULER = "config.beat:SingleBeatScheduler"
# Seconds a beat that was killed keeps the lease: a second beat takes over after it.
BEAT_LEASE_SECONDS = env.int("BEAT_LEASE_SECONDS", default=30)
# A hung broker (issue 25, config/broker_circuit.py): a send waits at most this long per
# socket operation, and after one that timed out no send is tried for the second value.
BROKER_SEND_TIMEOUT = env.float("BROKER_SEND_TIMEOUT", default=1.0)
BROKER_CIRCUIT_SECONDS = env.int("BROKER_CIRCUIT_SECONDS", default=30)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# The queue tasks are sent to and workers consume: two installations sharing one Redis
# keep their work apart by naming different queues.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")

# ----------------------------------------------------------------------------- reports
# Seconds a change waits before its recompute runs: changes within it are computed once.
REPORTS_RECOMPUTE_DELAY = env.int("REPORTS_RECOMPUTE_DELAY", default=10)
# Users per message when all users are recomputed (nightly sweep, month-end, admin): a
# message's twenty fixed queries are shared by its users, and a sweep still comes in
# enough messages for every worker (1,000 users: 10). 100 rather than 50: a user's
# recompute after a day's payments took 6 % less (200 users: 0.64 s against 0.68 s);
# 200 gained nothing more.
REPORTS_FANOUT_CHUNK = env.int("REPORTS_FANOUT_CHUNK", default=100)
# Leases on worker jobs (issue 25): a job whose worker has not beaten for this many
# seconds is handed to another worker by the minutely watchdog, at most
# JOBS_MAX_ATTEMPTS runs in all, then failed. A recompute beats at every phase.
JOBS_LEASE_SECONDS = env.int("JOBS_LEASE_SECONDS", default=60)
JOBS_MAX_ATTEMPTS = env.int("JOBS_MAX_ATTEMPTS", default=3)

# ----------------------------------------------------------------------------- security
# Behind a reverse proxy: X-Forwarded-Proto tells https, and the address the proxy adds
# last to X-Forwarded-For is the client's (earlier entries are whatever the client sent).
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)
REST_FRAMEWORK["NUM_PROXIES"] = 1 if BEHIND_PROXY else 0
# Attempts one address may make per minute on each of log-in (with its second factor),
# sign-up, reset and code mails, and password checks (config/ratelimit.py).
ADDRESS_LIMIT_PER_MINUTE = env.int("ADDRESS_LIMIT_PER_MINUTE", default=20)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # "preload" only allows a submission to the browsers' list; nothing is submitted.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content security policy: everything from this origin, nothing inline, nothing from
# elsewhere (no CDN: front-end libraries come from npm, API docs from the sidecar). Chart
# data travels in <script type="application/json">, which is never run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if OIDC_SERVER_URL:
    # Single sign-on posts the log-in form here and is redirected on to the provider,
    # which form-action also governs.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        "{0.scheme}://{0.netloc}".format(urlsplit(OIDC_SERVER_URL))
    )

# Browser features no page of ours uses are switched off for every page (and anything it
# might embed); passkeys (WebAuthn) need the two publickey-credentials features, kept for
# this origin. Sent by config.headers.PrivacyHeadersMiddleware.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
}

# Log-in lockout (django-axes), for the browser, the admin and the token log-in alike:
# after AXES_FAILURE_LIMIT failures of one username from one address, that pair waits
# the cool-off; a success in between starts the count again. Keyed on the pair, so
# nobody can lock another person out from elsewhere by guessing at their username.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.lockout.lockout_response"
# Behind a proxy (BEHIND_PROXY) the address is the last X-Forwarded-For entry.
AXES_CLIENT_IP_CALLABLE = "config.lockout.client_ip"
# Days the log-in records (address, browser, time) are kept; a nightly task deletes older
# ones (config.tasks.access_log_prune), and deleting an account deletes its own at once.
AXES_ACCESS_LOG_RETENTION_DAYS = env.int("AXES_ACCESS_LOG_RETENTION_DAYS", default=30)

# ----------------------------------------------------------------------------- logging
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
