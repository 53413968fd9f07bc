"""A limit on answers per browser (or per address without a browser id), set by WERKCONFERENTIE_LIVE_RATE.

Per browser rather than per address: at a venue every phone may share the wifi's one public address.
Counted in the same shared cache as the sign-up limit (core/ratelimit.py), so it holds across server processes.
"""

from django.conf import settings
from django.utils.translation import ngettext

from werkconferentie.core import ratelimit

SCOPE = "live-answer"


def retry_after(request, identity=None) -> int | None:
    if settings.LIVE_ANSWER_RATE is None:
        return None
    # A client without our cookie is counted by its address: a new browser id per request would never be limited.
    browser = identity.cookie_id if identity is not None else None
    client = f"browser:{browser}" if browser else None
    return ratelimit.retry_after(request, scope=SCOPE, rate=settings.LIVE_ANSWER_RATE, client=client)


def message(seconds: int) -> str:
    return ngettext(
        "You are sending answers very fast. Please wait %(seconds)d second.",
        "You are sending answers very fast. Please wait %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


def limited_page(request, seconds: int):
    return ratelimit.rate_limited_response(request, seconds, message(seconds))
