from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from werkconferentie.events.models import Event
from werkconferentie.live import boards, present
from werkconferentie.live.access import host_url


class Command(BaseCommand):
    help = "List every live board of an event with its join code and address; make missing boards; --open opens all."

    def add_arguments(self, parser):
        parser.add_argument("event", help="the event's slug, e.g. roden-2022")
        parser.add_argument("--open", action="store_true", help="open every board")
        parser.add_argument("--close", action="store_true", help="close every board")
        parser.add_argument("--json", action="store_true", help="print a JSON list of {workshop, round, code, url}")
        parser.add_argument(
            "--host-links",
            action="store_true",
            help="add each board's host link (opens its console without an account)",
        )

    def handle(self, *args, event, open, close, json, host_links, **options):
        if open and close:
            raise CommandError(_("Choose --open or --close, not both."))
        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(_("No event has the slug %(slug)s.") % {"slug": event})
        rows = []
        for board in boards.ensure_boards(found):
            if open or close:
                board = boards.set_open(board, open)
            session = board.session
            rows.append(
                {
                    "workshop": session.workshop.title_nl if session else board.title_nl,
                    "round": session.round.number if session else None,
                    "code": board.code,
                    "url": present.join_url(board),
                    "open": board.is_open,
                    **({"host_link": host_url(board)} if host_links else {}),
                }
            )
        if json:
            import json as json_module

            self.stdout.write(json_module.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            round_ = _("round %(number)s") % {"number": row["round"]} if row["round"] else "-"
            state = _("open") if row["open"] else _("closed")
            line = f"{row['code']}  {state:8}  {round_:10}  {row['workshop']}  {row['url']}"
            self.stdout.write(line + (f"  {row['host_link']}" if host_links else ""))
