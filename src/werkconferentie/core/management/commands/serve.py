import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve the application with uvicorn (a production-grade ASGI server), static files included."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))

    def handle(self, *args, host, port, workers, **options):
        import uvicorn
        from django.core.management import call_command

        if not 0 < port < 65536:
            raise CommandError(f"--port: {port} is not a port number")
        # Static files are collected into the data directory, where WhiteNoise serves them with caching headers.
        call_command("collectstatic", interactive=False, verbosity=0)
        # Uvicorn's worker processes import the application afresh; they need the same settings module.
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkconferentie.settings")
        os.environ["WERKCONFERENTIE_DATA_DIR"] = str(settings.DATA_DIR)
        uvicorn.run(
            "werkconferentie.asgi:application",
            host=host,
            port=port,
            workers=max(1, workers),
            proxy_headers=settings.PRODUCTION,
            forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            server_header=False,
            log_level=os.environ.get("UVICORN_LOG_LEVEL", "info"),
            # WebSockets are not used; "none" avoids importing a websocket library in every worker.
            ws="none",
            lifespan="off",
        )
