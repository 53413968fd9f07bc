"""Server-sent event streams: Django async views, served through the ASGI handler (see server.py).

A stream starts with a snapshot of the board, then sends an update whenever the board changes (hub.py), and a
comment every KEEPALIVE seconds so that proxies keep it open. Under a WSGI server (runserver, the test server)
a stream cannot stay open; it answers 204, which tells EventSource to stop, and the page polls instead.
"""

import asyncio
import copy
from importlib import import_module

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import auth
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpResponse, StreamingHttpResponse

from . import boards
from .access import hosted_board
from .hub import HOST, PUBLIC, hub

KEEPALIVE = 15.0


def _board_for(request, code: str, audience: str):
    """The board, if this request may follow it (in the hub's thread: see hub.Hub.run_sync)."""
    return hosted_board(request, code) if audience == HOST else boards.board_by_code(code)


def _still_hosting(request, code: str) -> bool:
    """Whether this browser may still run the board's console, as a new request of it would be judged now.

    Access is checked again while a host stream is open: a user who logged out, or a host whose links the
    organiser renewed, must not keep receiving the console's view. The session is read afresh from its store
    (a logout empties it) and the user looked up again.
    """
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    fresh = copy.copy(request)
    fresh.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    fresh.user = auth.get_user(fresh)
    return hosted_board(fresh, code) is not None


async def _stream(request, code: str, audience: str):
    # Every database query of a stream runs in the hub's one thread of this process: one connection, however
    # many people watch (Django's ASGI handler would give each request a thread, and each thread a connection).
    if not isinstance(request, ASGIRequest):  # a WSGI server: no stream (see the module's docstring)
        board = await sync_to_async(_board_for)(request, code, audience)
        if board is None:
            raise Http404
        return HttpResponse(status=204)
    board = await hub.run_sync(_board_for, request, code, audience)
    if board is None:
        raise Http404
    queue = hub.subscribe(board.pk, audience)

    recheck = settings.LIVE_HOST_STREAM_RECHECK_SECONDS

    async def events():
        loop = asyncio.get_running_loop()
        next_check = loop.time() + recheck
        try:
            yield b"retry: 2000\n\n"
            yield await hub.snapshot(board.pk, audience)
            last_sent = loop.time()
            while True:
                wake = last_sent + KEEPALIVE
                if audience == HOST:
                    wake = min(wake, next_check)
                try:
                    message = await asyncio.wait_for(queue.get(), timeout=max(0.0, wake - loop.time()))
                except TimeoutError:
                    message = b""
                if audience == HOST and loop.time() >= next_check:
                    # Logged out or links renewed: end. The browser's reconnect then gets 404 and stops.
                    if not await hub.run_sync(_still_hosting, request, code):
                        return
                    next_check = loop.time() + recheck
                if message is None:  # fell behind: end; the browser reconnects and gets a fresh snapshot
                    return
                if not message:
                    if loop.time() - last_sent < KEEPALIVE:
                        continue
                    message = b": keep-alive\n\n"
                last_sent = loop.time()
                yield message
        finally:
            hub.unsubscribe(board.pk, audience, queue)

    response = StreamingHttpResponse(events(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-transform"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


async def public_stream(request, code: str):
    return await _stream(request, code, PUBLIC)


async def host_stream(request, code: str):
    return await _stream(request, code, HOST)
