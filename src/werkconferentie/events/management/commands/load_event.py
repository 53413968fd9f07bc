from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from werkconferentie.events.eventfile import EventFileError
from werkconferentie.events.loading import WouldLoseData, load_event_file


class Command(BaseCommand):
    help = "Create or update an event from an event file (YAML, see docs/event-file.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the event file")
        parser.add_argument(
            "--force",
            action="store_true",
            help="also remove workshops, rounds and sessions that left the file when people's choices, placements "
            "or live boards hang on them (they are deleted with them)",
        )

    def handle(self, *args, file, force, **options):
        try:
            result = load_event_file(file, force=force)
        except EventFileError as error:
            lines = [_("%(file)s is not a valid event file; nothing was changed.") % {"file": file}]
            lines += [f"  - {problem}" for problem in error.problems]
            raise CommandError("\n".join(lines)) from None
        except WouldLoseData as error:
            lines = [_("Loading %(file)s would delete what people made; nothing was changed:") % {"file": file}]
            lines += [f"  - {loss}" for loss in error.losses]
            lines.append(_("Put these back in the file, or load it with --force to delete them."))
            raise CommandError("\n".join(lines)) from None
        for loss in result.removed:
            self.stdout.write(self.style.WARNING(_("Removed %(loss)s") % {"loss": loss}))
        event = result.event
        message = _("Created event %(slug)s: %(title)s") if result.created else _("Updated event %(slug)s: %(title)s")
        self.stdout.write(self.style.SUCCESS(message % {"slug": event.slug, "title": event.title_nl}))
