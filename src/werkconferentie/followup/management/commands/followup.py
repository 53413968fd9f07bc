"""`werkconferentie followup ACTION`: the follow-up from the command line.

- `remind`: queue the reminders that are due (the same code as the older `followup-remind`, which stays as an
  alias);
- `import EVENT FILE.csv`: update commitments from a CSV (the columns of docs/followup.md); every wrong row is
  listed with its line, and then nothing is imported;
- `export EVENT -o FILE.csv`: write all commitments of the event as that CSV (`-o -` or no -o: to stdout);
- `invite EVENT [--json]`: mail their update link to the contacts who have not had one yet, and print
  municipality, contact and link of each.

Bad input ends with a message and exit code 1, never a traceback (CommandError).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from werkconferentie.events.models import Event
from werkconferentie.followup import contacts, links, spreadsheet
from werkconferentie.followup.history import Actor
from werkconferentie.followup.management.commands import followup_remind


def _event(slug: str) -> Event:
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        raise CommandError(_("There is no event %(slug)s.") % {"slug": slug})
    return event


class Command(BaseCommand):
    help = (
        "The follow-up of commitments: remind (queue the reminders that are due), import EVENT FILE.csv, "
        "export EVENT -o FILE.csv, invite EVENT [--json] (mail the update links not sent yet and print them)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        remind = actions.add_parser("remind", help="queue the reminders that are due (run daily)")
        followup_remind.Command().add_arguments(remind)

        read = actions.add_parser("import", help="update commitments from a CSV file; nothing on any error")
        read.add_argument("event", metavar="EVENT", help="the event's slug")
        read.add_argument("file", metavar="FILE.csv", help="the CSV (as the export writes it; ';' or ',')")

        write = actions.add_parser("export", help="write all commitments of the event as CSV")
        write.add_argument("event", metavar="EVENT", help="the event's slug")
        write.add_argument("-o", "--output", metavar="FILE.csv", default="-", help="the file to write ('-': stdout)")

        invite = actions.add_parser("invite", help="mail the update links not sent yet and print them")
        invite.add_argument("event", metavar="EVENT", help="the event's slug")
        invite.add_argument("--json", action="store_true", help="print a JSON list instead of lines of text")
        invite.add_argument(
            "--add-proposed",
            action="store_true",
            help="first add the proposed contacts (griffies, participants who agreed)",
        )

    def handle(self, *args, action: str, **options):
        if action == "remind":
            # The reminders are the older command's code; one place keeps the schedule and its options.
            command = followup_remind.Command()
            command.stdout, command.stderr = self.stdout, self.stderr
            return command.handle(*args, **options)
        event = _event(options["event"])
        if action == "import":
            self._import(event, options["file"])
        elif action == "export":
            self._export(event, options["output"])
        else:
            self._invite(event, as_json=options["json"], add_proposed=options["add_proposed"])

    def _import(self, event: Event, name: str) -> None:
        path = Path(name)
        try:
            if path.stat().st_size > spreadsheet.MAX_BYTES:
                raise CommandError(_("The file is too large: at most 2 MB."))
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": name, "reason": error.strerror or error}
            ) from None
        try:
            changed = spreadsheet.import_csv(event, data, Actor.system())
        except spreadsheet.ImportErrors as error:
            for line in error.lines:
                self.stderr.write(line)
            raise CommandError(
                _("Nothing imported: %(count)d errors in %(file)s.") % {"count": len(error.lines), "file": name}
            ) from None
        self.stdout.write(_("Imported: %(count)d commitments changed.") % {"count": changed})

    def _export(self, event: Event, name: str) -> None:
        data = spreadsheet.export_csv(event)
        if name == "-":
            self.stdout.write(data.decode("utf-8-sig"), ending="")
            return
        try:
            Path(name).write_bytes(data)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(reason)s") % {"file": name, "reason": error.strerror or error}
            ) from None
        self.stdout.write(_("Written: %(file)s.") % {"file": name})

    def _invite(self, event: Event, *, as_json: bool, add_proposed: bool) -> None:
        if add_proposed:
            contacts.add_default_contacts(event)
        invited = contacts.send_unsent_links(event)
        rows = [
            {
                "municipality_code": contact.municipality_id,
                "municipality": contact.municipality.name,
                "name": contact.name,
                "email": contact.email,
                "link": links.update_url(contact),
                "expires_at": links.link_expires_at(contact).isoformat(),
            }
            for contact in invited
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            who = f"{row['name']} <{row['email']}>" if row["name"] else row["email"]
            self.stdout.write(f"{row['municipality']} ({row['municipality_code']})\t{who}\t{row['link']}")
        self.stdout.write(_("Links in the outbox: %(count)d.") % {"count": len(rows)})
