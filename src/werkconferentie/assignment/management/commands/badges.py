"""`werkconferentie badges EVENT -o FILE.pdf`: the name badges of an event's confirmed participants as one PDF."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from werkconferentie.assignment import badges
from werkconferentie.assignment.runs import published_run
from werkconferentie.events.models import Event


class Command(BaseCommand):
    help = "Print the name badges of an event (A6, four to an A4 sheet, with cut marks and a check-in QR code)."

    def add_arguments(self, parser):
        parser.add_argument("event", help="the event's slug")
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
        parser.add_argument("--order", choices=badges.ORDERS, default="name", help="sort by name or by municipality")
        parser.add_argument("--language", choices=["nl", "en"], default="nl", help="language of the labels")

    def handle(self, *args, **options):
        event = Event.objects.filter(slug=options["event"]).first()
        if event is None:
            raise CommandError(f"no event with slug {options['event']!r}")
        pdf = badges.badges_pdf(event, order=options["order"], language=options["language"])
        Path(options["output"]).write_bytes(pdf)
        people = len(badges.badges_for(event, options["order"]))
        sheets = -(-people // badges.PER_SHEET)
        self.stdout.write(f"{options['output']}: {people} badges on {sheets} sheets")
        if published_run(event) is None:
            self.stderr.write("The assignment is not published yet: the badges have blank lines for the workshops.")
