import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from werkconferentie.events.models import Event
from werkconferentie.followup import reminders


class Command(BaseCommand):
    help = (
        "Queue the follow-up reminders that are due to the update contacts (run it daily from cron or a systemd "
        "timer; a second run sends nothing twice). The outbox worker (send-mail) sends them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list what would be sent, send nothing")
        parser.add_argument("--event", metavar="SLUG", help="only this event")
        parser.add_argument(
            "--date", metavar="YYYY-MM-DD", help="act as if it were this day (to check the schedule with --dry-run)"
        )

    def handle(self, *args, dry_run, event, date, **options):
        now = timezone.now()
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
