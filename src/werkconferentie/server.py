"""The application as `werkconferentie serve` runs it by default: Django's WSGI handler behind uvicorn, in a
fixed pool of threads per worker process (a2wsgi); the live boards' event streams through Django's ASGI handler.

Why not Django's ASGI handler for everything (asgi.py): it runs every request's synchronous code in a thread of
its own, started for that request, and hops between the event loop and threads for each synchronous middleware;
a database connection then lives only as long as its request's thread. Measured on the 2-core development
machine (docs/registration.md, "Load"): a request to the API costs 2-3 times the CPU under the ASGI handler, and
persistent database connections pile up without bound (PostgreSQL: "too many clients"). With a fixed pool, each
thread keeps its connection (DATABASE_CONN_MAX_AGE, which `serve` sets), and there are never more than
workers x threads of them.

A server-sent event stream stays open for as long as someone watches; in the thread pool it would hold a thread
each. Paths ending in /stream (live/urls.py) therefore go to the ASGI handler, where a stream is an async view
that waits in the event loop (live/stream.py, live/hub.py).

WEB_THREADS (set by `serve --threads`) is the size of the pool.
"""

import os

from a2wsgi import WSGIMiddleware
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkconferentie.settings")
wsgi_application = WSGIMiddleware(get_wsgi_application(), workers=int(os.environ.get("WEB_THREADS", "4")))

from werkconferentie.asgi import application as asgi_application  # noqa: E402  (after the settings module is set)

STREAM_SUFFIX = "/stream"


async def application(scope, receive, send):
    if scope["type"] == "http" and scope.get("path", "").endswith(STREAM_SUFFIX):
        return await asgi_application(scope, receive, send)
    return await wsgi_application(scope, receive, send)
