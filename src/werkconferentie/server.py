"""The application as `werkconferentie serve` runs it by default: Django's WSGI handler behind uvicorn, in a
fixed pool of threads per worker process; the live boards' event streams through Django's ASGI handler.

Why not Django's ASGI handler for everything (asgi.py): it runs every request's synchronous code in a thread of
its own, started for that request, and hops between the event loop and threads for each synchronous middleware;
a database connection then lives only as long as its request's thread. Measured on the 2-core development
machine (docs/registration.md, "Load"): a request to the API costs 2-3 times the CPU under the ASGI handler, and
persistent database connections pile up without bound (PostgreSQL: "too many clients"). With a fixed pool, each
thread keeps its connection (DATABASE_CONN_MAX_AGE, which `serve` sets), and there are never more than
workers x threads of them.

Why not a general WSGI-in-ASGI adapter (a2wsgi's middleware, used before): it crosses between the event loop
and the pool thread for the request body, the status line and each piece of the response, and every crossing
wakes the other side. Here a request crosses once: the event loop reads the whole body (Django reads it whole
anyway, and refuses more than DATA_UPLOAD_MAX_MEMORY_SIZE), the pool thread runs Django and collects the whole
response, and the loop sends it. No view here streams a response through WSGI. Measured with
bench/signup_load.py on 2 cores: 1.5 -> 1.1 ms of server CPU per trivial request (636 -> 1,672 requests/s),
4.3 -> 3.5 ms per sign-up.

A server-sent event stream stays open for as long as someone watches; in the thread pool it would hold a thread
each. Paths ending in /stream (live/urls.py) therefore go to the ASGI handler, where a stream is an async view
that waits in the event loop (live/stream.py, live/hub.py).

WEB_THREADS (set by `serve --threads`) is the size of the pool.
"""

import asyncio
import io
import os
from concurrent.futures import ThreadPoolExecutor

from a2wsgi.wsgi import build_environ
from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkconferentie.settings")
wsgi_handler = get_wsgi_application()
pool = ThreadPoolExecutor(max_workers=int(os.environ.get("WEB_THREADS", "4")), thread_name_prefix="wsgi")

from werkconferentie.asgi import application as asgi_application  # noqa: E402  (after the settings module is set)

STREAM_SUFFIX = "/stream"
# Read no more of a body than Django would accept: one byte over its limit is enough for it to refuse the request.
MAX_BODY = (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2**31) + 1


async def application(scope, receive, send):
    if scope["type"] == "http" and not scope.get("path", "").endswith(STREAM_SUFFIX):
        return await wsgi_application(scope, receive, send)
    return await asgi_application(scope, receive, send)


async def wsgi_application(scope, receive, send):
    """Django's WSGI handler for one request: body read here, the handler run in the pool, the response sent."""
    body = await read_body(receive)
    if body is None:
        return  # the client went away before it had sent its request
    environ = build_environ(scope, io.BytesIO(body))
    status, headers, content = await asyncio.get_running_loop().run_in_executor(pool, run_wsgi, environ)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})


async def read_body(receive) -> bytes | None:
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        body += message.get("body", b"")
        if len(body) >= MAX_BODY or not message.get("more_body", False):
            # Over the limit, the rest is not read: Django refuses the request on what it has.
            return bytes(body[:MAX_BODY])


def run_wsgi(environ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Run Django's handler in this (pool) thread; return the status, headers and whole body of its response."""
    started: list = []
    chunks: list[bytes] = []

    def start_response(status: str, headers, exc_info=None):
        # Nothing has been sent yet, so a second call (with exc_info, after an error) simply replaces the first.
        started[:] = [status, headers]
        return chunks.append

    iterable = wsgi_handler(environ, start_response)
    try:
        chunks.extend(iterable)
    finally:
        close = getattr(iterable, "close", None)
        if close is not None:
            close()
    status, headers = started
    encoded = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]
    return int(status.split(" ", 1)[0]), encoded, b"".join(chunks)
