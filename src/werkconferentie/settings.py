"""Project settings, read from environment variables (the README's "Configuration" lists them).

Nothing secret lives in the code: SECRET_KEY comes from the environment or is generated once and kept in the
data directory, so a fresh `werkconferentie demo` works without any set-up.
"""

import datetime as dt
import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def parse_networks(value: str, *, name: str) -> list:
    """'127.0.0.1, 10.0.0.0/8' as a list of ip networks; a wrong entry stops the server at start-up."""
    import ipaddress

    from django.core.exceptions import ImproperlyConfigured

    networks = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        if item == "*":
            raise ImproperlyConfigured(f"{name}: '*' would believe every client; name the proxies' addresses.")
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {item!r} is not an address or network such as 10.0.0.0/8.") from None
    return networks


DATA_DIR = Path(os.environ.get("WERKCONFERENTIE_DATA_DIR", "var")).resolve()


def _create_private(path: Path, *, directory: bool) -> None:
    """Create the data directory or the SQLite database file readable by its owner only (when it is new).

    SQLite gives its -wal and -shm files the rights of the database file, so those are the owner's only too.
    """
    if path.exists():
        return
    if directory:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            return
        os.chmod(path, 0o700)  # mkdir's mode passes through the umask
    else:
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except (FileExistsError, FileNotFoundError):  # made meanwhile; or in a directory that is not there yet
            return


_create_private(DATA_DIR, directory=True)


def _secret_key() -> str:
    """Take SECRET_KEY from the environment, else from DATA_DIR/secret_key (created on first use)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    # Create with owner-only rights; another process may have won the race, then read its key.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # For its static files only: the API docs page then loads Swagger UI from the package, not from a CDN.
    "ninja",
    "werkconferentie.core",
    "werkconferentie.documents",
    "werkconferentie.reference",
    "werkconferentie.events",
    "werkconferentie.registration",
    "werkconferentie.assignment",
    "werkconferentie.outbox",
    "werkconferentie.live",
    "werkconferentie.outcomes",
    "werkconferentie.followup",
    "werkconferentie.site",
    # Failed logins to the back office, counted per account and per address (see "Login attempts" below).
    "axes",
]

MIDDLEWARE = [
    # First: every later part (rate limits, login lockout, HTTPS check) sees the client's real address.
    "werkconferentie.core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "werkconferentie.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "werkconferentie.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a login while its account or address is locked out, before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "werkconferentie.urls"
WSGI_APPLICATION = "werkconferentie.wsgi.application"
ASGI_APPLICATION = "werkconferentie.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
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

# SQLite in the data directory unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'werkconferentie.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        # A kept connection (`serve` keeps one per thread) is checked before a request uses it, so a database
        # restart costs no failed request.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so competing writers queue instead of
    # failing half-way with "database is locked"; WAL lets readers go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # secure_delete: deleted rows (an erasure) are overwritten with zeros, not left in free pages.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
        }
    )
    if DATABASES["default"]["NAME"] and DATABASES["default"]["NAME"] != ":memory:":
        _create_private(Path(DATABASES["default"]["NAME"]), directory=False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Serve straight from the finders when collectstatic has not run (demo, tests): whitenoise then still serves
# files from the installed package.
WHITENOISE_USE_FINDERS = True
# Uploaded files (evidence attached to commitments) go through Django's storage API: local files under DATA_DIR
# by default; several servers share one S3-compatible store by setting WERKCONFERENTIE_FILE_STORAGE to its backend
# (e.g. "storages.backends.s3.S3Storage" from django-storages) and WERKCONFERENTIE_FILE_STORAGE_OPTIONS to its
# options as JSON. Files are never served from MEDIA_URL: a view checks who may read each one.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "files"))
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("WERKCONFERENTIE_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(os.environ.get("WERKCONFERENTIE_FILE_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "admin:login"

# Login attempts (django-axes): after WERKCONFERENTIE_LOGIN_FAILURES failed logins to one account, or from one
# client address, further logins of that account or from that address are refused for
# WERKCONFERENTIE_LOGIN_COOLOFF_MINUTES; a failure during the lockout starts it again. The address is the one
# core.proxies settled on (X-Forwarded-For only from a trusted proxy).
AXES_FAILURE_LIMIT = int(os.environ.get("WERKCONFERENTIE_LOGIN_FAILURES", "10"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("WERKCONFERENTIE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "werkconferentie.core.ratelimit.login_client_address"
AXES_LOCKOUT_CALLABLE = "werkconferentie.core.views.login_locked_out"
AXES_VERBOSE = False

# Mail. SMTP when EMAIL_HOST is set; otherwise a console backend that prints one line per mail (the mail itself
# is in the outbox and on the event's mail page in the back office).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "werkconferentie.outbox.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "werkconferentie@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Production mode (WERKCONFERENTIE_PRODUCTION=1) switches on everything `check --deploy` asks for;
# the demo serves plain HTTP on loopback and so cannot use secure-only cookies.
PRODUCTION = env_bool("WERKCONFERENTIE_PRODUCTION")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
# Sent on every response (core/middleware.py). No inline script anywhere: scripts are files under /static/.
CONTENT_SECURITY_POLICY = os.environ.get(
    "WERKCONFERENTIE_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'",
)
# Proxies whose X-Forwarded-For (and -Proto) is believed: addresses or networks, comma-separated
# ("127.0.0.1,10.0.0.0/8"); "" for none, when clients connect directly. Default: none, and in production the
# loopback addresses (a TLS proxy on the same machine, as README shows). FORWARDED_ALLOW_IPS, which `serve`
# passed to uvicorn before, is read when the new name is not set.
TRUSTED_PROXIES = parse_networks(
    os.environ.get(
        "WERKCONFERENTIE_TRUSTED_PROXIES",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1" if PRODUCTION else ""),
    ),
    name="WERKCONFERENTIE_TRUSTED_PROXIES",
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

CSRF_FAILURE_VIEW = "werkconferentie.core.views.csrf_failure"

# Registration. See registration/capacity.py before touching CAPACITY_LOCK.
CAPACITY_LOCK = env_bool("WERKCONFERENTIE_CAPACITY_LOCK", True)
# The site's public address, for links in e-mails sent by the outbox worker (which has no request).
SITE_URL = os.environ.get("WERKCONFERENTIE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Personal data of a past event is erased this many days after the event (`werkconferentie purge`).
RETENTION_DAYS = int(os.environ.get("WERKCONFERENTIE_RETENTION_DAYS", "365"))

# Outgoing mail goes through the outbox (see docs/mail.md): retried with back-off, then given up.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "20"))
OUTBOX_RETRY_SECONDS = int(os.environ.get("OUTBOX_RETRY_SECONDS", "10"))
OUTBOX_RETRY_MAX_SECONDS = int(os.environ.get("OUTBOX_RETRY_MAX_SECONDS", "1800"))
OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS", "300"))

# Rate limit on the public sign-up (form and API) per client address: "30/m", "5/s", "10/30s"; "off" for load
# tests. Parsed here, so a wrong value stops the server at start-up. See core/ratelimit.py.
from werkconferentie.core.ratelimit import cache_settings, parse_rate  # noqa: E402

SIGNUP_RATE = parse_rate(os.environ.get("WERKCONFERENTIE_SIGNUP_RATE", "30/m"), name="WERKCONFERENTIE_SIGNUP_RATE")
# Answers on live boards per browser (core/ratelimit.py counts them; live/ratelimit.py keys them per browser).
LIVE_ANSWER_RATE = parse_rate(os.environ.get("WERKCONFERENTIE_LIVE_RATE", "30/m"), name="WERKCONFERENTIE_LIVE_RATE")
# Per client address (a venue's Wi-Fi is one address for the whole room; see live/ratelimit.py and docs/live.md):
# answers of all its browsers, new voter ids, and votes it adds to one answer.
LIVE_ADDRESS_ANSWER_RATE = parse_rate(
    os.environ.get("WERKCONFERENTIE_LIVE_ADDRESS_RATE", "600/10m"), name="WERKCONFERENTIE_LIVE_ADDRESS_RATE"
)
LIVE_JOIN_RATE = parse_rate(
    os.environ.get("WERKCONFERENTIE_LIVE_JOIN_RATE", "300/10m"), name="WERKCONFERENTIE_LIVE_JOIN_RATE"
)
LIVE_VOTE_RATE = parse_rate(
    os.environ.get("WERKCONFERENTIE_LIVE_VOTE_RATE", "250/h"), name="WERKCONFERENTIE_LIVE_VOTE_RATE"
)
# Duplicate suggestions for a new answer in a background thread (off in tests, which need them at once).
LIVE_SUGGEST_IN_BACKGROUND = env_bool("WERKCONFERENTIE_LIVE_SUGGEST_IN_BACKGROUND", True)
# An open host stream (the console's live view) checks this often whether its browser may still host the board
# (logged out, links renewed: the stream ends). See live/stream.py.
LIVE_HOST_STREAM_RECHECK_SECONDS = float(os.environ.get("WERKCONFERENTIE_LIVE_STREAM_RECHECK_SECONDS", "5"))
RATELIMIT_CACHE = "ratelimit"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # The rate limits' counters, shared by every worker process of every app server (docs/deployment.md): a table
    # in the database unless WERKCONFERENTIE_CACHE_URL names Redis or Memcached. See core/ratelimit.py.
    RATELIMIT_CACHE: cache_settings(os.environ.get("WERKCONFERENTIE_CACHE_URL", "")),
}
