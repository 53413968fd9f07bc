"""`werkconferentie assign EVENT [--publish] [--time-limit S] [--mix]`: run the engine, print the statistics.

The same as pressing "Indelen" on the assignment page (runs.run_engine), and with --publish also "Publiceren"
(runs.publish, which mails everyone whose programme changed). Texts follow LANGUAGE_CODE (Dutch by default).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkconferentie.allocation.model import InfeasibleError
from werkconferentie.assignment import runs
from werkconferentie.assignment.api import MAX_TIME_LIMIT, summary, unplaced_reasons
from werkconferentie.events.models import Event


def _time_limit(value: str) -> float:
    seconds = float(value)
    if not 0 < seconds <= MAX_TIME_LIMIT:
        raise ValueError(value)
    return seconds


class Command(BaseCommand):
    help = "Run the assignment engine for an event and print the statistics; --publish also publishes and mails."

    def add_arguments(self, parser):
        parser.add_argument("event", help="Slug of the event, e.g. roden-2022.")
        parser.add_argument("--publish", action="store_true", help="Publish the run and mail changed programmes.")
        parser.add_argument(
            "--time-limit",
            type=_time_limit,
            default=runs.DEFAULT_TIME_LIMIT,
            metavar="S",
            help=f"Seconds the engine may search (default {runs.DEFAULT_TIME_LIMIT:g}, at most {MAX_TIME_LIMIT:g}).",
        )
        parser.add_argument("--mix", action="store_true", help="Spread roles and municipalities over sessions.")

    def handle(self, *args, event: str, publish: bool, time_limit: float, mix: bool, **options):
        found = Event.objects.filter(slug=event[:50]).first() if "\x00" not in event else None
        if found is None:
            raise CommandError(_("There is no event %(slug)s.") % {"slug": event})
        try:
            run = runs.run_engine(found, time_limit=time_limit, mix=mix)
        except InfeasibleError as error:
            raise CommandError(_("The engine found no assignment: %(error)s") % {"error": error}) from None
        for line in self.report(run):
            self.stdout.write(line)
        if publish:
            mailed = runs.publish(run)
            self.stdout.write(
                self.style.SUCCESS(
                    ngettext(
                        "Run %(number)d published; %(mailed)d person mailed their programme.",
                        "Run %(number)d published; %(mailed)d people mailed their programme.",
                        len(mailed),
                    )
                    % {"number": run.number, "mailed": len(mailed)}
                )
            )
        else:
            self.stdout.write(_("Not published (use --publish)."))

    def report(self, run) -> list[str]:
        s = summary(run)
        lines = [
            _("Run %(number)d of %(event)s") % {"number": s["number"], "event": run.event.slug},
            _("People: %(participants)d, placed: %(placed)d, not placed: %(unplaced)d") % s,
            _("First choice: %(share).1f%% of those placed") % {"share": 100 * s["share_first_choice"]},
        ]
        histogram = ", ".join(
            f"{_('unranked') if rank == 'unranked' else rank}: {count}" for rank, count in s["rank_histogram"].items()
        )
        lines.append(_("Seats per rank: %(histogram)s") % {"histogram": histogram or "-"})
        worst = s["worst_rank"]
        lines.append(_("Worst rank: %(worst)s") % {"worst": _("unranked") if worst == "unranked" else (worst or "-")})
        lines.append(
            _("Objective %(objective)s, lower bound %(bound)s, %(optimal)s; %(seconds).1f s")
            % {
                "objective": s["objective"],
                "bound": s["lower_bound"],
                "optimal": _("optimal") if s["optimal"] else _("not proven optimal"),
                "seconds": s["seconds"],
            }
        )
        for row in unplaced_reasons(run):
            lines.append(_("Not placed: registration %(registration)d: %(reason)s") % row)
        return lines
