"""Who runs a board's console: the event's organisers, and the host who opened the board's host link.

The host link is signed (Django signing) with the board's host secret, so the organiser can revoke every link of
a board by making a new secret; it expires a day after the event (or after registration closes, if later).
Opening it marks the board as hosted in that browser's session.
"""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from werkconferentie.core.roles import is_organiser_of

from .models import Board

SALT = "werkconferentie.live.host-link"
SESSION_HOSTED = "live.hosted_boards"
VALID_AFTER_EVENT = dt.timedelta(days=1)


class InvalidHostLink(Exception):
    pass


def host_link_expires_at(board: Board) -> dt.datetime:
    # As personal links (registration/links.py): after the event, or after registration closes if that is later.
    event = board.event
    return max(event.ends_at, event.registration_closes_at) + VALID_AFTER_EVENT


def host_token(board: Board) -> str:
    return signing.dumps([board.pk, board.host_secret], salt=SALT, compress=True)


def host_url(board: Board, *, absolute: bool = True) -> str:
    path = reverse("live:host_link", kwargs={"token": host_token(board)})
    return settings.SITE_URL + path if absolute else path


def board_from_host_token(token: str, now: dt.datetime | None = None) -> Board:
    try:
        pk, secret = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidHostLink from None
    board = Board.objects.select_related("event").filter(pk=pk).first()
    if board is None or not constant_time_compare(str(secret), board.host_secret):
        raise InvalidHostLink
    if (now or timezone.now()) > host_link_expires_at(board):
        raise InvalidHostLink
    return board


def remember_host(request, board: Board) -> None:
    hosted = dict(request.session.get(SESSION_HOSTED, {}))
    hosted[str(board.pk)] = board.host_secret
    request.session[SESSION_HOSTED] = hosted


def hosted_board(request, code: str) -> Board | None:
    """The board with this code, if this request may run its console; else None (the caller answers 404)."""
    from .boards import board_by_code

    board = board_by_code(code)
    return board if board is not None and can_host(request, board) else None


def can_host(request, board: Board) -> bool:
    if is_organiser_of(request.user, board.event):
        return True
    session = getattr(request, "session", None)
    secret = session.get(SESSION_HOSTED, {}).get(str(board.pk)) if session is not None else None
    # The link may have been revoked (a new secret) or have expired since it was opened.
    if secret is None or not constant_time_compare(secret, board.host_secret):
        return False
    return timezone.now() <= host_link_expires_at(board)
