import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils.translation import gettext as _

from werkconferentie.outbox.mailing import SendCounts, send_due

logger = logging.getLogger("werkconferentie.outbox")

# Messages per round of the worker: small enough that a stop request is honoured within seconds.
BATCH = 20


class Command(BaseCommand):
    help = "Send the queued mail: as a worker that keeps running (stop with Ctrl-C or SIGTERM), or once with --once."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="send what is due now, then stop")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between looks for due mail (default 5)"
        )

    def handle(self, *args, once, interval, **options):
        if interval <= 0:
            raise CommandError(f"--interval: {interval} is not a positive number of seconds")
        stop = threading.Event()
        previous = self.catch_stop_signals(stop)
        try:
            if once:
                self.report(send_due(limit=None, stop=stop))
            else:
                self.work(stop, interval)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def work(self, stop: threading.Event, interval: float) -> None:
        """Send in rounds until asked to stop; a full round goes on at once, else wait `interval` seconds."""
        while not stop.is_set():
            # The database may have closed or dropped the connection since the last round.
            close_old_connections()
            try:
                counts = send_due(limit=BATCH, stop=stop)
            except Exception:  # the database may be away for a while; the worker must outlive that
                logger.exception("sending queued mail failed; trying again in %s s", interval)
                counts = SendCounts()
            if counts.total:
                self.report(counts)
            if counts.total < BATCH:
                stop.wait(interval)
        close_old_connections()

    def report(self, counts: SendCounts) -> None:
        self.stdout.write(
            _("Mail sent: %(sent)d, to be retried: %(retrying)d, failed permanently: %(failed)d.")
            % {"sent": counts.sent, "retrying": counts.retrying, "failed": counts.failed}
        )

    @staticmethod
    def catch_stop_signals(stop: threading.Event) -> dict:
        """On SIGTERM or SIGINT finish the message in hand, then stop (none is left half-sent)."""
        if threading.current_thread() is not threading.main_thread():
            return {}  # signals reach only the main thread; a caller in another thread stops it otherwise
        return {signum: signal.signal(signum, lambda *_args: stop.set()) for signum in (signal.SIGTERM, signal.SIGINT)}
