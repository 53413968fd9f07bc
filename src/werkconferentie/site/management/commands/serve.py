import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# What `serve` runs: Django's WSGI handler in a fixed thread pool per worker (the default, see server.py), or
# Django's own ASGI handler (for async views; costs more per request and keeps no database connections).
APPLICATIONS = {"wsgi": "werkconferentie.server:application", "asgi": "werkconferentie.asgi:application"}
# Seconds a worker thread keeps its database connection; safe because the threads are a fixed pool.
CONN_MAX_AGE = "600"


def start_scrub_service(data_dir):
    """The process that holds deduce for all workers (live/scrub_service.py), kept running, its socket named to the
    workers by WERKCONFERENTIE_SCRUB_SOCKET; returned once deduce is loaded, so that the server is ready for the
    first child's idea when it says it is up. None when deduce is switched off."""
    from werkconferentie.live import scrub, scrub_service

    if not scrub.deduce_enabled():
        return None
    path = scrub_service.socket_path(data_dir)
    service = scrub_service.Supervised(path, dict(os.environ)).start()
    os.environ[scrub_service.SOCKET_ENV_VAR] = str(path)
    print("Loading the de-identification of children's ideas (deduce; the first time about two minutes)…", flush=True)
    started = time.monotonic()
    if service.wait_ready():
        print(f"De-identification ready in {time.monotonic() - started:.0f} s.", flush=True)
    else:
        print("De-identification (deduce) is not ready; children's ideas are scrubbed with patterns only for now.")
    return service


def stop_scrub_service(service) -> None:
    from werkconferentie.live import scrub_service

    service.stop()
    os.environ.pop(scrub_service.SOCKET_ENV_VAR, None)


class Command(BaseCommand):
    help = "Serve the application with uvicorn (a production-grade server), static files included."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("WEB_THREADS", "4")),
            help="threads per worker process that run requests (wsgi); each keeps one database connection",
        )
        parser.add_argument(
            "--interface",
            choices=sorted(APPLICATIONS),
            default=os.environ.get("WERKCONFERENTIE_INTERFACE", "wsgi"),
            help="wsgi: Django's WSGI handler in a thread pool (default, faster); asgi: Django's ASGI handler",
        )

    def handle(self, *args, host, port, workers, threads, interface, **options):
        from django.core.management import call_command

        if not 0 < port < 65536:
            raise CommandError(f"--port: {port} is not a port number")
        if threads < 1:
            raise CommandError(f"--threads: {threads} is not a number of threads")
        # Static files are collected into the data directory, where WhiteNoise serves them with caching headers.
        call_command("collectstatic", interactive=False, verbosity=0)
        # The rate limits' table when they count in the database (migrate makes it too; this covers a cache
        # switched back to the database since the last migrate). Leaves an existing table alone.
        call_command("createcachetable", verbosity=0)
        # Uvicorn's worker processes import the application afresh; they need the same settings module.
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkconferentie.settings")
        os.environ["WERKCONFERENTIE_DATA_DIR"] = str(settings.DATA_DIR)
        os.environ["WEB_THREADS"] = str(threads)
        # numpy's OpenBLAS starts a spinning thread per core in every worker; the sentence encoder of the live
        # boards gains nothing from them on one sentence and the workers lose CPU to them (bench/live_load.py).
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        if interface == "wsgi":
            # Each pool thread keeps its connection: at most workers x threads of them (see server.py). Under the
            # ASGI handler every request has a new thread, so connections would pile up: not there.
            os.environ.setdefault("DATABASE_CONN_MAX_AGE", CONN_MAX_AGE)
        log_level = os.environ.get("UVICORN_LOG_LEVEL", "info")
        service = start_scrub_service(settings.DATA_DIR)
        try:
            self.run_uvicorn(interface, host, port, workers, log_level)
        finally:
            if service is not None:
                stop_scrub_service(service)

    def run_uvicorn(self, interface, host, port, workers, log_level):
        import uvicorn

        uvicorn.run(
            APPLICATIONS[interface],
            host=host,
            port=port,
            workers=max(1, workers),
            # The client's address from X-Forwarded-For is settled in Django (core.middleware.TrustedProxyMiddleware,
            # WERKCONFERENTIE_TRUSTED_PROXIES), the same under every server: uvicorn passes the headers untouched.
            proxy_headers=False,
            server_header=False,
            log_level=log_level,
            # An access line per request is logged at "info"; above it, skip building them at all.
            access_log=log_level in {"trace", "debug", "info"},
            # WebSockets are not used; "none" avoids importing a websocket library in every worker.
            ws="none",
            lifespan="off",
            # Live boards' event streams stay open as long as someone watches: stop waiting for them after 5 s.
            timeout_graceful_shutdown=5,
        )
