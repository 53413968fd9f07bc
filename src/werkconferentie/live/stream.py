"""Server-sent event streams: Django async views, served through the ASGI handler (see server.py).

A stream starts with a snapshot of the board, then sends an update whenever the board changes (hub.py), and a
comment every KEEPALIVE seconds so that proxies keep it open. Under a WSGI server (runserver, the test server)
a stream cannot stay open; it answers 204, which tells EventSource to stop, and the page polls instead.
"""

import asyncio

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpResponse, StreamingHttpResponse

from . import boards
from .access import hosted_board
from .hub import HOST, PUBLIC, hub

KEEPALIVE = 15.0


def _board_for(request, code: str, audience: str):
    """The board, if this request may follow it (in the hub's thread: see hub.Hub.run_sync)."""
    return hosted_board(request, code) if audience == HOST else boards.board_by_code(code)


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

    async def events():
        try:
            yield b"retry: 2000\n\n"
            yield await hub.snapshot(board.pk, audience)
            while True:
                try:
                    message = await asyncio.wait_for(queue.get(), timeout=KEEPALIVE)
                except TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
                if message is None:  # fell behind: end; the browser reconnects and gets a fresh snapshot
                    return
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
