"""`werkconferentie erase EMAIL`: erase everything held about an e-mail address, in all events (AVG/GDPR)."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.forms import ValidationError

from werkconferentie.registration.models import Registration
from werkconferentie.registration.privacy import erase_email
from werkconferentie.registration.signup import normalise_email


class Command(BaseCommand):
    help = (
        "Erase the personal data of an e-mail address in all events: registrations, preferences, mail and admin "
        "log entries. Only anonymous counts per event, role and status remain."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The address whose data is erased.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, email: str, yes: bool, **options):
        email = normalise_email(email)
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"not an e-mail address: {email!r}") from None
        registrations = Registration.objects.filter(email__iexact=email).select_related("event")
        events = sorted({registration.event.slug for registration in registrations})
        if events:
            self.stdout.write(f"{email}: {len(registrations)} registration(s), in {', '.join(events)}")
        if not yes and sys.stdin.isatty():
            answer = input(f"Erase all personal data of {email}? This cannot be undone. [y/N] ")
            if answer.strip().lower() not in {"y", "yes", "j", "ja"}:
                self.stdout.write("Nothing erased.")
                return
        report = erase_email(email)
        if not report.rows:
            self.stdout.write(f"Nothing is held about {email}.")
            return
        self.stdout.write(f"Erased {email}:")
        for name, count in sorted(report.rows.items()):
            self.stdout.write(f"  {name}: {count}")
        if report.promoted:
            self.stdout.write(f"  moved up from the waiting list: {len(report.promoted)}")
