"""The `werkconferentie` command: demo, serve, load-event, solve and Django's own management commands.

Each sub-command is a thin wrapper: the work happens in Django management commands (so `manage.py` users get
the same) or, for `solve`, in the Django-free allocation package.
"""

from __future__ import annotations

import argparse
import os
import sys

DJANGO_COMMANDS = {
    "demo": "Start the bundled example conference on 127.0.0.1 (SQLite, organiser account created).",
    "serve": "Serve the application with a production-grade server (uvicorn).",
    "load-event": "Create or update an event from an event file (YAML).",
    "erase": "Erase all personal data of an e-mail address (AVG/GDPR); anonymous counts remain.",
    "live-codes": "List the live boards of an event with their join codes and addresses (--json, --open).",
    "purge": "Erase the personal data of events older than the retention period (WERKCONFERENTIE_RETENTION_DAYS).",
    "api-token": "Create an API token for a user (printed once) for the organiser endpoints of the API.",
    "assign": "Assign an event's participants to workshop sessions and print the statistics; --publish mails them.",
    "send-mail": "Send the queued mail: a worker that keeps running, or once with --once.",
    "badges": "Print the name badges of an event as a PDF (A6, four to an A4 sheet): badges EVENT -o FILE.pdf.",
    "letters": "Write the raadsadres of an event, general and per municipality, as PDF and Word in a ZIP.",
    "followup": "The follow-up of commitments: remind, import EVENT FILE.csv, export EVENT -o FILE.csv, invite EVENT.",
    "followup-remind": "The same as 'followup remind': the follow-up mails that are due (run daily, or --daily).",
    "report": "Write the outcome report of an event: report EVENT -o FILE (.pdf, .docx or .html; --language en).",
}


def _django_main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkconferentie.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["werkconferentie", *argv])
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="werkconferentie",
        description="Run a children's-rights work conference for municipalities.",
        epilog="Use 'werkconferentie COMMAND --help' for the options of one command.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in DJANGO_COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    sub.add_parser("solve", help="Assign participants to workshops optimally (JSON in, JSON out).", add_help=False)
    sub.add_parser("manage", help="Run a Django management command (migrate, createsuperuser, ...).", add_help=False)

    if not argv or argv[0] in {"-h", "--help"}:
        parser.print_help()
        return 0 if argv else 1
    command, rest = argv[0], argv[1:]
    if command == "solve":
        from werkconferentie.allocation.cli import main as solve_main

        return solve_main(rest)
    if command == "manage":
        return _django_main(rest or ["help"])
    if command in DJANGO_COMMANDS:
        return _django_main([command.replace("-", "_"), *rest])
    # Any other word is taken as a Django management command too (e.g. `werkconferentie migrate`).
    return _django_main([command, *rest])
