"""Settings for factcheck, read from the environment.

Development defaults are safe to run locally; production sets ``DJANGO_DEBUG=false``, a real
``SECRET_KEY`` and ``ALLOWED_HOSTS``, and then ``manage.py check --deploy`` reports nothing.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from claims.background.config import email_settings, tasks_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FACTCHECK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Secure by default: DEBUG is off unless the environment turns it on (``dev.py serve`` does).
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment, "
            "or DJANGO_DEBUG=true for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc, vendored: no CDN
    # The task API's checks and logging, and the database backend's table: installed whatever
    # TASKS_URL says, so the migrations do not depend on the environment.
    "django_tasks",
    "claims.apps.BackgroundTasksConfig",  # django_tasks_db, named for the admin
    # Two-factor sign-in (claims/twofactor/): authenticator apps and recovery codes. Before
    # "claims", whose admin takes django-otp's device admins off the site.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # a Content-Security-Policy on every response, static too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "claims.web.headers.NoStoreMiddleware",  # after whitenoise: static files keep their caching
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): a code this session
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "claims.twofactor.middleware.RequireTwoFactorMiddleware",  # FACTCHECK_REQUIRE_2FA
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"
ASGI_APPLICATION = "factcheck.asgi.application"

# Plain inputs, textareas and empty error lists rendered in Python (same markup; see the module).
FORM_RENDERER = "factcheck.form_renderer.FormRenderer"

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
                "claims.web.context_processors.header",
            ],
            "libraries": {"desk": "claims.web.templatetags"},
        },
    },
]


def database_from_url(url: str) -> dict:
    """Parse DATABASE_URL, adding the options each engine needs under concurrent writes."""
    # Persistent connections: opening one costs more than a whole queue page on PostgreSQL.
    config = dj_database_url.parse(
        url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE takes the write lock when a transaction begins, so two writers queue up
        # instead of one failing with "database is locked" half-way; WAL lets readers go on.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # A 64 MB page cache keeps the queue's indexes in memory between requests.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
            ),
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # Server-side parameters, and psycopg preparing a statement the fifth time a connection
        # sees it, so the session, permission and page queries every request repeats are not
        # planned again each time (Django leaves preparing off unless asked, and planning cost
        # more than running most of them). DATABASE_SERVER_SIDE_BINDING=false turns both off,
        # e.g. behind a connection pooler without prepared statements.
        prepared = env_bool("DATABASE_SERVER_SIDE_BINDING", True)
        options = config.setdefault("OPTIONS", {})
        options["server_side_binding"] = prepared
        options["prepare_threshold"] = 5 if prepared else None
    return config


DATABASE_URL = os.environ.get("DATABASE_URL")
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default needs its folder
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'factcheck.sqlite3'}"
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ModelBackend's answers in one query a request instead of two (claims/auth_backend.py).
AUTHENTICATION_BACKENDS = ["claims.auth_backend.ModelBackendOneQuery"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Sign-in (claims/signin/) ---------------------------------------------------------------------
# django-axes: after FACTCHECK_LOGIN_FAILURE_LIMIT failures for one username from one address,
# that pair is refused (429, registration/locked_out.html) for FACTCHECK_LOGIN_LOCKOUT_MINUTES
# after its last attempt, the right password included; on the desk's login and the admin's.
# Staff lift a lock in the admin (Access attempts) or with ``manage.py axes_reset_username``.
INSTALLED_APPS.insert(INSTALLED_APPS.index("claims"), "claims.apps.SignInRecordsConfig")  # axes
# Axes only refuses, before any backend hashes; force_login and API tokens never authenticate().
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *AUTHENTICATION_BACKENDS]
# Idle sessions end (claims/signin/idle.py): after the messages middleware, as its notice is one.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "claims.signin.idle.IdleSessionMiddleware",
)
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # turns a refusal into the lockout page
AXES_FAILURE_LIMIT = int(os.environ.get("FACTCHECK_LOGIN_FAILURE_LIMIT", "5"))
# Reset mails an address may be sent an hour, however often the form asks (claims/signin/).
FACTCHECK_PASSWORD_RESETS_PER_HOUR = int(os.environ.get("FACTCHECK_PASSWORD_RESETS_PER_HOUR", "3"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("FACTCHECK_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "claims.signin.lockout.lockout_response"
# The API's idea of the client's address (REMOTE_ADDR, or behind DJANGO_BEHIND_PROXY the
# proxy's view of it): one answer for both limits (claims/signin/lockout.py says why).
AXES_CLIENT_IP_CALLABLE = "claims.signin.lockout.client_address"
AXES_RESET_ON_SUCCESS = True  # the right password forgets that pair's earlier failures
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure kept (Access failures in the admin)
# A session ends after this many minutes without a request (0: only when its cookie expires).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "60"))

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
# Where ``manage.py makemessages -l <code>`` writes the catalogs of the templates and the app.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
# Where ``collectstatic`` gathers the files whitenoise serves (a deployment may keep it elsewhere).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
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

# The organisation that publishes the desk's verdicts (used by exports).
FACTCHECK_ORGANIZATION_NAME = os.environ.get("FACTCHECK_ORGANIZATION_NAME", "Factcheck Desk")
FACTCHECK_ORGANIZATION_URL = os.environ.get(
    "FACTCHECK_ORGANIZATION_URL", "https://factcheck.example.org/"
)
# Where each verdict is published for readers, with {id} for the claim's number (ClaimReview's
# ``url``), e.g. https://news.example.org/fact-checks/{id}/. Empty: the claim's page on the
# desk's own site, under FACTCHECK_ORGANIZATION_URL.
FACTCHECK_VERDICT_URL = os.environ.get("FACTCHECK_VERDICT_URL", "")
if FACTCHECK_VERDICT_URL and "{id}" not in FACTCHECK_VERDICT_URL:
    raise ImproperlyConfigured("FACTCHECK_VERDICT_URL needs {id} where the claim's number goes.")

# Four eyes: a verdict, and any change to a published one, is proposed and waits until an editor
# other than the proposer signs it off. A one-person desk sets FACTCHECK_SIGNOFF=false: moves
# then take effect at once (a change to a published verdict still needs a correction note).
FACTCHECK_SIGNOFF = env_bool("FACTCHECK_SIGNOFF", True)
# Whether the editor who created a claim may sign off its verdicts (false: someone else must).
FACTCHECK_CREATOR_MAY_SIGN_OFF = env_bool("FACTCHECK_CREATOR_MAY_SIGN_OFF", True)
# New claims under independent review by default: each reviewer judges blind and an editor
# decides between their proposals (needs sign-off on). An editor can switch it per claim.
FACTCHECK_INDEPENDENT_REVIEW = env_bool("FACTCHECK_INDEPENDENT_REVIEW", False)

# The dashboard lists unverified claims unchanged for at least this many days as idle.
FACTCHECK_IDLE_DAYS = int(os.environ.get("FACTCHECK_IDLE_DAYS", "14"))
# Cohen's kappa for a pair of reviewers is shown on the dashboard once they have judged at least
# this many claims of the period both: over fewer, one claim swings it too far to mean anything.
FACTCHECK_AGREEMENT_MIN_SHARED = int(os.environ.get("FACTCHECK_AGREEMENT_MIN_SHARED", "5"))
# The daily digest of notifications goes out from this hour of the morning (the desk's time).
FACTCHECK_DIGEST_HOUR = int(os.environ.get("FACTCHECK_DIGEST_HOUR", "7"))
# How long after writing a comment its author may still correct it; after that it stands as
# written (hiding it, with a reason, is still open to its author and to editors).
FACTCHECK_COMMENT_EDIT_MINUTES = int(os.environ.get("FACTCHECK_COMMENT_EDIT_MINUTES", "15"))

# Two-factor sign-in (claims/twofactor/). With FACTCHECK_REQUIRE_2FA, editors and staff enrol
# an authenticator app and sign in with its code before any page or write lets them act; on
# unless debugging, so the demo (DEBUG on) leaves it off. Anyone may enrol either way.
FACTCHECK_REQUIRE_2FA = env_bool("FACTCHECK_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = FACTCHECK_ORGANIZATION_NAME  # how the authenticator app names the desk
# After n wrong codes in a row a device takes no code for 2**(n-1) seconds (django-otp's
# throttling): 20 guesses cost days. One factor for the app and for the recovery codes.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Background work (claims/background/): TASKS_URL picks where tasks wait for the worker
# (``manage.py run_worker``): "database" (the default: a table on DATABASES["default"]),
# "redis://host:port/db" (RQ), or "immediate" (run inside enqueue; the tests' default).
TASKS_URL = os.environ.get("TASKS_URL") or "database"
_tasks = tasks_settings(TASKS_URL)
TASKS = _tasks["TASKS"]
if "RQ_QUEUES" in _tasks:
    RQ_QUEUES = _tasks["RQ_QUEUES"]
    RQ = _tasks["RQ"]
    # Only with Redis: django-rq's checks and commands need RQ_QUEUES. Its admin page of queue
    # statistics stays off: the admin is the editors' desk (claims/admin/__init__.py).
    INSTALLED_APPS.insert(INSTALLED_APPS.index("claims"), "django_rq")
    RQ_SHOW_ADMIN_LINK = False
# Jobs the worker runs itself every so often: {name: {"function": "dotted.path", "every": s}}.
# Several workers may run one at the same moment, so each job keeps itself idempotent with
# database constraints (claims/background/periodic.py).
FACTCHECK_PERIODIC_JOBS = {
    # Once per assignment and kind, by a unique constraint (claims/notifications/reminders.py).
    "reminders": {
        "function": "claims.notifications.reminders.send_reminders",
        "every": int(os.environ.get("FACTCHECK_REMINDER_SECONDS", "900")),
    },
    # Each notification in one digest, by the batch that marks it (claims/notifications/digest.py).
    "digests": {
        "function": "claims.notifications.digest.send_digests",
        "every": int(os.environ.get("FACTCHECK_DIGEST_SECONDS", "900")),
    },
    # A signed checkpoint of the audit log when it has grown (claims/audit/checkpoints.py).
    "audit_checkpoint": {
        "function": "claims.audit.checkpoints.periodic_checkpoint",
        "every": int(os.environ.get("AUDIT_CHECKPOINT_SECONDS", "3600")),
    },
}

# The audit log's checkpoints (claims/audit/signing.py): the Ed25519 key that signs them, never
# stored in the database; earlier public keys, after a rotation; where each checkpoint is also
# written, out of the database's reach.
AUDIT_SIGNING_KEY = os.environ.get("AUDIT_SIGNING_KEY", "")
AUDIT_SIGNING_KEY_FILE = os.environ.get("AUDIT_SIGNING_KEY_FILE", "")
AUDIT_PUBLIC_KEYS = [key for key in os.environ.get("AUDIT_PUBLIC_KEYS", "").split(",") if key]
AUDIT_CHECKPOINT_DIR = os.environ.get("AUDIT_CHECKPOINT_DIR", str(BASE_DIR / "var" / "checkpoints"))

# E-mail: EMAIL_URL names the transport (claims/background/config.py lists the forms).
EMAIL_URL = os.environ.get("EMAIL_URL") or ("console:" if DEBUG else "smtp://localhost:25")
globals().update(email_settings(EMAIL_URL))  # EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, ...
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "factcheck <factcheck@localhost>"
# The address the desk's mails link to, without a trailing slash.
FACTCHECK_SITE_URL = (os.environ.get("FACTCHECK_SITE_URL") or "http://127.0.0.1:8000").rstrip("/")
if not FACTCHECK_SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("FACTCHECK_SITE_URL must start with http:// or https://.")

# The shared cache: the API's rate limits are counted here, so every web process must see the
# same one. CACHE_URL: "database" (the default, a table that ``migrate`` creates), a
# "redis://host:port/db" URL, or "locmem:" (one process only; for development).
CACHE_URL = os.environ.get("CACHE_URL") or "database"
if CACHE_URL == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "factcheck_cache",
        }
    }
elif CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL == "locmem:":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured('CACHE_URL must be "database", "locmem:" or a redis:// URL.')

# The REST API (claims/api/): personal tokens or the session, problem+json errors, limits per
# token and per anonymous address (FACTCHECK_API_RATE, FACTCHECK_API_ANONYMOUS_RATE).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "claims.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["claims.api.base.DeskMember"],
    # Calls without valid credentials are limited where they are refused (throttling.py).
    "DEFAULT_THROTTLE_CLASSES": ["claims.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("FACTCHECK_API_RATE", "1200/min"),
        "anonymous": os.environ.get("FACTCHECK_API_ANONYMOUS_RATE", "60/min"),
    },
    "NUM_PROXIES": 1 if env_bool("DJANGO_BEHIND_PROXY", False) else 0,
    # JSON bodies only: a claim's appearances are a list of objects, which a form cannot carry.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "claims.api.schema.ProblemAutoSchema",
    "EXCEPTION_HANDLER": "claims.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "factcheck API",
    "DESCRIPTION": (
        "Claims, evidence, reviews, verdicts and their history. Authenticate with a personal "
        "token: `Authorization: Bearer <token>`. Errors are application/problem+json."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["claims.api.base.DeskMember"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # One enum per set of choices, however many fields use it (a proposal's state and the
    # state it moves from are both review states).
    "ENUM_NAME_OVERRIDES": {
        "ReviewStateEnum": "claims.models.ReviewState",
        "StanceEnum": "claims.models.Stance",
        "AssignmentStatusEnum": "claims.models.AssignmentStatus",
        "ProposalStatusEnum": "claims.models.ProposalStatus",
        "WebhookEventTypeEnum": "claims.models.WebhookEventType",
        "DeliveryStatusEnum": "claims.models.DeliveryStatus",
    },
}
# Webhook endpoints (claims/webhooks/) may not lead into the desk's own network: an address that
# resolves to loopback, private, link-local or shared ranges is refused, at registration and
# before each delivery. True lets a desk deliver to its own intranet (and the tests to
# loopback); cloud metadata, multicast and unspecified addresses stay refused whatever it says.
FACTCHECK_WEBHOOK_ALLOW_PRIVATE = env_bool("FACTCHECK_WEBHOOK_ALLOW_PRIVATE", False)

# Transport security: on whenever DEBUG is off, so production is hardened without extra flags.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading is a promise to browsers that outlives the site's own header (leaving the list
# takes months), so it is asked for, not implied by HTTPS; without it the deploy check's
# reminder to preload (security.W021) is silenced as a choice made.
SECURE_HSTS_PRELOAD = HTTPS and env_bool("DJANGO_HSTS_PRELOAD", False)
if SECURE_HSTS_SECONDS and not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts, styles, fonts and connections only from the
# desk itself, nothing inline and no eval, so markup that slips into a page runs nothing. Pages
# that need more say so themselves: the printable report allows its own stylesheet and print
# script by their hashes (claims/interchange/exports/html.py), ReDoc a nonce and a worker
# (claims/api/docs.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # Swagger UI's and ReDoc's icons are data: URLs
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# The worker says what it does on standard output: when it starts and stops, each task and
# periodic job it runs, each retry. Those loggers do not propagate, so nothing prints twice.
# (The task libraries' own per-pass chatter is kept at WARNING; run_worker -v 2 shows it.)
BACKGROUND_LOGGERS = {
    "factcheck": "INFO",
    "django_tasks": "INFO",
    "django_tasks_db": "WARNING",
    "rq": "WARNING",
    "rq.worker": "WARNING",  # else rq sets INFO on import; its scheduler takes this level too
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "background": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "background": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "background",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        name: {"handlers": ["background"], "level": level, "propagate": False}
        for name, level in BACKGROUND_LOGGERS.items()
    },
}
