from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from werkconferentie.events.eventfile import EventFileError
from werkconferentie.events.loading import load_event_file


class Command(BaseCommand):
    help = "Create or update an event from an event file (YAML, see docs/event-file.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the event file")

    def handle(self, *args, file, **options):
        try:
            result = load_event_file(file)
        except EventFileError as error:
            lines = [_("%(file)s is not a valid event file; nothing was changed.") % {"file": file}]
            lines += [f"  - {problem}" for problem in error.problems]
            raise CommandError("\n".join(lines)) from None
        event = result.event
        message = _("Created event %(slug)s: %(title)s") if result.created else _("Updated event %(slug)s: %(title)s")
        self.stdout.write(self.style.SUCCESS(message % {"slug": event.slug, "title": event.title_nl}))
