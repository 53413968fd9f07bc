"""`werkconferentie letters EVENT -o FILE.zip`: the raadsadres, general and per municipality, as PDF and Word."""

import datetime as dt
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from werkconferentie.events.models import Event
from werkconferentie.outcomes import letters, raadsadres


class Command(BaseCommand):
    help = (
        "Write the raadsadres of an event as a ZIP: algemeen.pdf/.docx, one <CBS code>-<name>.pdf/.docx per "
        "municipality and adressen.csv. Without options: every municipality with a registration or an answer."
    )

    def add_arguments(self, parser):
        parser.add_argument("event", help="the event's slug")
        parser.add_argument("-o", "--output", required=True, help="the ZIP file to write")
        parser.add_argument("--municipality", action="append", metavar="CODE", help="a CBS code (repeatable)")
        parser.add_argument("--province", metavar="NAME", help="the municipalities of one province")
        parser.add_argument("--all", action="store_true", help="every municipality that exists on the letter date")
        parser.add_argument("--language", choices=["nl", "en"], default="nl", help="language of the letters")
        parser.add_argument("--date", type=dt.date.fromisoformat, help="the letter date (default: the event's)")
        parser.add_argument("--workers", type=int, default=0, help="processes that render (default: one per core)")

    def handle(self, *args, **options):
        event = Event.objects.filter(slug=options["event"]).first()
        if event is None:
            raise CommandError(_("No event has the short name %(slug)s.") % {"slug": options["event"]})
        if not str(options["output"]).endswith(".zip"):
            raise CommandError(_("The output file must end in .zip."))
        facts = raadsadres.event_facts(event, on=options["date"])
        try:
            municipalities = raadsadres.recipients(
                facts, codes=options["municipality"], province=options["province"], every=options["all"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        start = time.monotonic()
        content = letters.letters_zip(
            event,
            municipalities,
            facts=facts,
            language=options["language"],
            workers=options["workers"] or letters.default_workers(),
            progress=self._progress_bar() if sys.stderr.isatty() else None,
        )
        Path(options["output"]).write_bytes(content)
        self.stdout.write(
            _("%(file)s: the general letter and %(count)s letters to councils, in %(seconds).1f s")
            % {"file": options["output"], "count": len(municipalities), "seconds": time.monotonic() - start}
        )

    def _progress_bar(self):
        def show(done: int, total: int) -> None:
            width = 30
            filled = width * done // total
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

        return show
