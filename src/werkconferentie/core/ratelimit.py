"""Rate limits per client address on the public sign-up (form and API).

A fixed-window counter: each client address gets `count` requests per window of `seconds`; the counter lives
in Django's "ratelimit" cache, which every worker process of every app server shares: by default a table in the
database (DatabaseCache; migrate and serve create it), or Redis or Memcached when WERKCONFERENTIE_CACHE_URL names
one (`cache_settings`; docs/deployment.md).

The client address is REMOTE_ADDR: behind a proxy, core.middleware.TrustedProxyMiddleware has already put the
address from X-Forwarded-For there, for proxies in WERKCONFERENTIE_TRUSTED_PROXIES only; a client cannot spoof it
by sending the header.

The rate comes from WERKCONFERENTIE_SIGNUP_RATE ("30/m", "5/s", "100/h", "10/30s"; "off" switches it off, for
load tests) and is parsed when the settings load, so a wrong value stops the server at start-up.
"""

import functools
import math
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$", re.IGNORECASE)
SIGNUP_SCOPE = "signup"
# The 429 page, in the site's layout like the other error pages.
PAGE = (
    '{% extends "base.html" %}{% block title %}{{ title }}{% endblock %}'
    "{% block content %}<h1>{{ title }}</h1><p>{{ message }}</p>{% endblock %}"
)


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds}s"


def parse_rate(value: str, *, name: str = "rate") -> Rate | None:
    """'30/m' is 30 per minute, '10/30s' 10 per 30 seconds; 'off' (or '0') gives None: no limit."""
    if value.strip().lower() in {"off", "0", "none", "false"}:
        return None
    match = _RATE.match(value)
    if not match or int(match.group(1)) < 1:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate. Use a number of requests per second, minute, hour or day such as "
            f"'30/m', '5/s', '100/h' or '10/30s', or 'off' to switch the limit off."
        )
    count, multiple, unit = int(match.group(1)), int(match.group(2) or 1), match.group(3).lower()
    if multiple < 1:
        raise ImproperlyConfigured(f"{name}={value!r}: the window must be at least 1{unit}.")
    return Rate(count, multiple * UNITS[unit])


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def login_client_address(request) -> str | None:
    """The client's address for the login lockout (django-axes), or None when there is none that is an address.

    Axes stores it in an IP-address column, which PostgreSQL checks: "unknown" (a request without REMOTE_ADDR,
    such as a test client's login) must not reach it.
    """
    import ipaddress

    address = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def retry_after(request, scope: str = SIGNUP_SCOPE, rate: Rate | None = None, client: str | None = None) -> int | None:
    """Count one request of this client; None while within the rate, else the seconds until it may try again.

    `rate` defaults to settings.SIGNUP_RATE (None: no limit); `client` to the request's address.
    """
    from django.conf import settings
    from django.core.cache import caches

    rate = rate or settings.SIGNUP_RATE
    if rate is None:
        return None
    now = time.time()
    window = int(now // rate.seconds)
    key = f"{scope}:{client or client_address(request)}:{rate.seconds}:{window}"
    # Until the window's end plus a second: the key then expires by itself once its window is over.
    count = add_one(caches[settings.RATELIMIT_CACHE], key, math.ceil((window + 1) * rate.seconds - now) + 1)
    if count <= rate.count:
        return None
    return max(1, math.ceil((window + 1) * rate.seconds - now))


def rate_limited_message(seconds: int) -> str:
    from django.utils.translation import ngettext

    return ngettext(
        "Too many sign-ups from your address. Please try again in %(seconds)d second.",
        "Too many sign-ups from your address. Please try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


def rate_limited_response(request, seconds: int, message: str | None = None):
    """429 with Retry-After and the message (the sign-up one by default) as a short page in the visitor's language."""
    from django.http import HttpResponse
    from django.template import engines
    from django.utils.translation import gettext

    page = engines["django"].from_string(PAGE)
    message = message or rate_limited_message(seconds)
    html = page.render({"title": gettext("Too many requests"), "message": message}, request)
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(seconds)
    return response


def limit_signups(view):
    """Decorator for a Django view: POST requests count against WERKCONFERENTIE_SIGNUP_RATE per client address.

    Over the limit the view is not called; the client gets 429 with Retry-After. GET (showing the form) is free.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            seconds = retry_after(request)
            if seconds is not None:
                return rate_limited_response(request, seconds)
        return view(request, *args, **kwargs)

    return wrapper


# The table of the default database cache (WERKCONFERENTIE_CACHE_URL unset or "db"); `createcachetable` makes it,
# and core.apps runs that after every migrate.
CACHE_TABLE = "werkconferentie_cache"
# Counters expire with their window; the database cache deletes a third of its rows when it holds more than this.
CACHE_MAX_ENTRIES = 20_000


def cache_settings(url: str) -> dict:
    """The CACHES entry for the rate limits from WERKCONFERENTIE_CACHE_URL.

    "" or "db": a table in the database (shared by every server on that database); "redis://host:6379/0" (or
    rediss://) Django's Redis cache (needs the `redis` package); "memcached://host:11211[,host2:11211]" Django's
    Memcached cache (needs `pymemcache`). Anything else stops the server at start-up.
    """
    url = url.strip()
    if url in {"", "db", "database"}:
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": CACHE_MAX_ENTRIES},
        }
    scheme = urlsplit(url).scheme.lower()
    if scheme in {"redis", "rediss", "unix"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme in {"memcached", "pymemcache"}:
        servers = [server.strip() for server in url.split("://", 1)[1].strip("/").split(",") if server.strip()]
        if servers:
            return {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache", "LOCATION": servers}
    raise ImproperlyConfigured(
        f"WERKCONFERENTIE_CACHE_URL={url!r} is not a cache. Use 'db' (the default: a table in the database), "
        f"'redis://host:6379/0' or 'memcached://host:11211'."
    )


def add_one(cache, key: str, timeout: int) -> int:
    """Add one to the counter `key` (made with `timeout` seconds to live) and return its new value.

    Redis and Memcached (and the in-process cache) have an atomic add() and incr(): the first request of a window
    creates the key, the others increase it, and none is lost when several servers count at once. Django's
    database cache has neither (its incr() reads, then writes, and sets a new expiry), so there the count runs in
    a transaction that first takes a lock on the key: see `_add_one_in_database`.
    """
    from django.core.cache.backends.db import BaseDatabaseCache

    if isinstance(cache, BaseDatabaseCache):
        return _add_one_in_database(cache, key, timeout)
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=timeout)
        return 1


def _add_one_in_database(cache, key: str, timeout: int) -> int:
    """The counter in the database cache: read and write in one transaction that nobody else counting this key
    can interleave with.

    PostgreSQL: a transaction-level advisory lock on the key (a row lock would not do: the first request of a
    window has no row to lock yet). SQLite: settings begin every transaction with BEGIN IMMEDIATE, which takes
    the database's write lock before the read, so the transaction is alone already.
    """
    from django.db import connections, router, transaction

    database = router.db_for_write(cache.cache_model_class)
    connection = connections[database]
    with transaction.atomic(using=database):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"ratelimit:{key}"])
        value = (cache.get(key) or 0) + 1
        cache.set(key, value, timeout=timeout)
    return value
