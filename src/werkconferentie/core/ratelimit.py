"""Rate limits per client address on the public sign-up (form and API).

A fixed-window counter: each client address gets `count` requests per window of `seconds`; the counter lives
in the "ratelimit" cache, which all uvicorn worker processes share (files in the data directory, see
`SharedCounterCache`). The client address is REMOTE_ADDR: behind a proxy, core.middleware.TrustedProxyMiddleware
has already put the address from X-Forwarded-For there, for proxies in WERKCONFERENTIE_TRUSTED_PROXIES only; a
client cannot spoof it by sending the header.

The rate comes from WERKCONFERENTIE_SIGNUP_RATE ("30/m", "5/s", "100/h", "10/30s"; "off" switches it off, for
load tests) and is parsed when the settings load, so a wrong value stops the server at start-up.
"""

import functools
import hashlib
import math
import os
import pickle
import re
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.exceptions import ImproperlyConfigured
from django.core.files import locks

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
    cache = caches[settings.RATELIMIT_CACHE]
    # The window's end plus a second: the key then expires by itself once its window is over.
    if cache.add(key, 1, timeout=rate.seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=rate.seconds + 1)
            count = 1
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


class SharedCounterCache(FileBasedCache):
    """Django's file cache with add() and incr() made atomic across processes, as a counter needs.

    FileBasedCache implements both as read-then-write, so simultaneous requests of several worker processes
    would lose counts. Here both run under an exclusive lock (flock) on one of a fixed number of lock files,
    chosen by the key; incr() keeps the entry's expiry, where Django's would reset it to the default timeout.
    """

    lock_stripes = 64

    @contextmanager
    def _locked(self, fname: str):
        self._createdir()
        stripe = int(hashlib.md5(fname.encode(), usedforsecurity=False).hexdigest()[:8], 16) % self.lock_stripes
        with open(os.path.join(self._dir, f"lock-{stripe:02d}"), "a+b") as handle:
            locks.lock(handle, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(handle)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._locked(self._key_to_file(key, version)):
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        fname = self._key_to_file(key, version)
        with self._locked(fname):
            try:
                with open(fname, "rb") as handle:
                    expiry = pickle.load(handle)
                    value = pickle.loads(zlib.decompress(handle.read()))
            except (FileNotFoundError, EOFError):
                raise ValueError(f"Key {key!r} not found") from None
            if expiry is not None and expiry < time.time():
                self._delete(fname)
                raise ValueError(f"Key {key!r} not found")
            value += delta
            temporary = f"{fname}.{os.getpid()}.tmp"
            with open(temporary, "wb") as handle:
                handle.write(pickle.dumps(expiry, self.pickle_protocol))
                handle.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
            os.replace(temporary, fname)
            return value
