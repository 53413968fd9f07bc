"""A limit on answers per browser (or per address without a browser id), set by WERKCONFERENTIE_LIVE_RATE.

Per browser rather than per address: at a venue every phone may share the wifi's one public address.
Counted in the same shared cache as the sign-up limit (core/ratelimit.py), so it holds across server processes.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template import engines
from django.utils.translation import gettext, ngettext

from werkconferentie.core import ratelimit

SCOPE = "live-answer"


class _ByIdentity:
    """Looks like a request to core.ratelimit, with the browser id as its address."""

    def __init__(self, request, identity):
        browser = identity.browser_id if identity is not None else None
        self.META = {"REMOTE_ADDR": f"browser:{browser}" if browser else ratelimit.client_address(request)}


def retry_after(request, identity=None) -> int | None:
    if settings.LIVE_ANSWER_RATE is None:
        return None
    return ratelimit.retry_after(_ByIdentity(request, identity), scope=SCOPE, rate=settings.LIVE_ANSWER_RATE)


def message(seconds: int) -> str:
    return ngettext(
        "You are sending answers very fast. Please wait %(seconds)d second.",
        "You are sending answers very fast. Please wait %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


def limited_page(request, seconds: int) -> HttpResponse:
    page = engines["django"].from_string(ratelimit.PAGE)
    html = page.render({"title": gettext("Too many requests"), "message": message(seconds)}, request)
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(seconds)
    return response
