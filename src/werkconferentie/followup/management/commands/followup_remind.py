import datetime as dt
import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone
from django.utils.translation import gettext as _

from werkconferentie.events.models import Event
from werkconferentie.followup import digest, reminders

logger = logging.getLogger("werkconferentie.followup")

DAY_SECONDS = 24 * 60 * 60


class Command(BaseCommand):
    help = (
        "Queue the follow-up mails that are due: invitations, reminders and thank-yous to the update contacts, and "
        "the weekly news about ideas to participants and children's groups. Run it daily from cron or a systemd "
        "timer (a second run sends nothing twice), or keep it running with --daily. The outbox worker (send-mail) "
        "sends them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list what would be sent, send nothing")
        parser.add_argument("--event", metavar="SLUG", help="only this event")
        parser.add_argument(
            "--date", metavar="YYYY-MM-DD", help="act as if it were this day (to check the schedule with --dry-run)"
        )
        parser.add_argument(
            "--daily",
            action="store_true",
            help="keep running and do this once a day (the demo does); stop with Ctrl-C or SIGTERM",
        )

    def handle(self, *args, dry_run, event, date, daily, **options):
        now = None
        if date:
            try:
                day = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(_("--date: “%(value)s” is not a date (use YYYY-MM-DD).") % {"value": date}) from None
            now = dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())
        events = None
        if event:
            events = list(Event.objects.filter(slug=event))
            if not events:
                raise CommandError(_("There is no event %(slug)s.") % {"slug": event})
        if daily and (dry_run or date):
            raise CommandError(_("--daily cannot be combined with --dry-run or --date."))
        if not daily:
            self.run_once(now, events, dry_run)
            return
        stop = threading.Event()
        previous = {}
        if threading.current_thread() is threading.main_thread():
            previous = {s: signal.signal(s, lambda *_args: stop.set()) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            while not stop.is_set():
                close_old_connections()
                try:
                    self.run_once(None, events, False)
                except Exception:  # the database may be away for a while; the daily job must outlive that
                    logger.exception("the follow-up mails failed; trying again tomorrow")
                self.stdout.flush()
                stop.wait(DAY_SECONDS)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            close_old_connections()

    def run_once(self, now, events, dry_run: bool) -> None:
        now = now or timezone.now()
        if dry_run:
            due = reminders.due_reminders(now, events)
        else:
            due = reminders.send_due_reminders(now, events)
        for reminder in due:
            self.stdout.write(
                f"{reminder.event.slug}\t{reminder.contact.municipality.name}\t{reminder.contact.email}\t"
                f"{reminder.stage.name}"
            )
        if dry_run:
            self.stdout.write(_("Would send: %(count)d reminders.") % {"count": len(due)})
        else:
            self.stdout.write(_("Queued: %(count)d reminders.") % {"count": len(due)})
        digests = digest.due_digests(now, events) if dry_run else digest.send_due_digests(now, events)
        for item in digests:
            self.stdout.write(f"{item.event.slug}\t{item.recipient}\t{item.email}\tdigest-{item.week}")
        if dry_run:
            self.stdout.write(_("Would send: %(count)d news digests.") % {"count": len(digests)})
        else:
            self.stdout.write(_("Queued: %(count)d news digests.") % {"count": len(digests)})
