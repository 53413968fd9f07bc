"""`werkconferentie purge`: erase the personal data of events that ended more than RETENTION_DAYS ago."""

from django.conf import settings
from django.core.management.base import BaseCommand

from werkconferentie.registration.privacy import events_past_retention, purge_event, retention_cutoff


class Command(BaseCommand):
    help = (
        "Erase the personal data of every event dated more than RETENTION_DAYS (WERKCONFERENTIE_RETENTION_DAYS) "
        "days ago: its registrations become anonymous counts, their mail is deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only show what would be erased.")

    def handle(self, *args, dry_run: bool, **options):
        cutoff = retention_cutoff()
        events = list(events_past_retention())
        self.stdout.write(
            f"Retention: {settings.RETENTION_DAYS} days (unless an event sets its own); "
            f"events dated before {cutoff.isoformat()}."
        )
        if not events:
            self.stdout.write("Nothing to purge.")
            return
        total = 0
        for event in events:
            if dry_run:
                count = event.registrations.count()
                self.stdout.write(f"{event.slug} ({event.date.isoformat()}): would erase {count} registration(s)")
            else:
                report = purge_event(event)
                count = report.registrations
                details = ", ".join(f"{name} {number}" for name, number in sorted(report.rows.items()))
                self.stdout.write(f"{event.slug} ({event.date.isoformat()}): erased {details}")
            total += count
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(f"{verb} {total} registration(s) in {len(events)} event(s).")
