"""Limits on the live boards, each counted in the shared cache of core/ratelimit.py (across server processes).

At a venue every phone may share the Wi-Fi's one public address, so no limit is tight per address alone:

- answers per browser (WERKCONFERENTIE_LIVE_RATE, "30/m"), and per client address for all its browsers together
  (WERKCONFERENTIE_LIVE_ADDRESS_RATE, "600/10m");
- new voter ids per client address (WERKCONFERENTIE_LIVE_JOIN_RATE, "300/10m"): a browser gets one when its person
  opens a board (identity.py), so a script cannot mint a voter per request;
- votes one client address adds to one answer (WERKCONFERENTIE_LIVE_VOTE_RATE, "250/h").

The defaults let a room of 200 people behind one address join, answer and vote within a couple of minutes
(tests/live/test_stuffing.py); docs/live.md says what one attacker can still do.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkconferentie.core import ratelimit

SCOPE = "live-answer"
ADDRESS_SCOPE = "live-answer-address"
JOIN_SCOPE = "live-join"
VOTE_SCOPE = "live-vote"


def retry_after(request, identity=None) -> int | None:
    """Count one answer; None while within both limits, else the seconds to wait."""
    seconds = None
    if settings.LIVE_ADDRESS_ANSWER_RATE is not None:
        seconds = ratelimit.retry_after(request, scope=ADDRESS_SCOPE, rate=settings.LIVE_ADDRESS_ANSWER_RATE)
    if settings.LIVE_ANSWER_RATE is None:
        return seconds
    # A client without our cookie is counted by its address: a new browser id per request would never be limited.
    browser = identity.cookie_id if identity is not None else None
    client = f"browser:{browser}" if browser else None
    per_browser = ratelimit.retry_after(request, scope=SCOPE, rate=settings.LIVE_ANSWER_RATE, client=client)
    return max(filter(None, [seconds, per_browser]), default=None)


def join_allowed(request) -> bool:
    """Count one new voter id for this client address; False over WERKCONFERENTIE_LIVE_JOIN_RATE."""
    if settings.LIVE_JOIN_RATE is None:
        return True
    return ratelimit.retry_after(request, scope=JOIN_SCOPE, rate=settings.LIVE_JOIN_RATE) is None


def vote_retry_after(request, answer) -> int | None:
    """Count one vote of this client address for this answer; the seconds to wait when over the limit."""
    if settings.LIVE_VOTE_RATE is None:
        return None
    client = f"{ratelimit.client_address(request)}:answer:{answer.merged_into_id or answer.pk}"
    return ratelimit.retry_after(request, scope=VOTE_SCOPE, rate=settings.LIVE_VOTE_RATE, client=client)


def message(seconds: int) -> str:
    return ngettext(
        "You are sending answers very fast. Please wait %(seconds)d second.",
        "You are sending answers very fast. Please wait %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


def vote_message() -> str:
    return _("Very many votes for this answer came from your network just now. Please try again later.")


def limited_page(request, seconds: int):
    return ratelimit.rate_limited_response(request, seconds, message(seconds))
