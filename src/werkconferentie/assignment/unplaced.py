"""Who a run leaves without a full programme, each with the engine's reason (allocation/unplaced.py), in words.

The engine's reasons are kept in the run's stats when it is made (`unplaced_reasons`: per registration id a code
and the round keys it concerns). The page and the API show the same list, from `unplaced_people`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from werkconferentie.allocation.model import UnplacedCode

from .figures import RunFigures
from .models import AssignmentRun

# No reason kept: a run made before the engine gave reasons.
UNKNOWN = "unknown"


@dataclass(frozen=True)
class UnplacedPerson:
    registration_id: int
    code: str  # an UnplacedCode value, or UNKNOWN
    rounds: tuple  # the event's Round objects the reason concerns
    reason: str  # in the current language


def _round_names(rounds) -> str:
    return ", ".join(round_.loc("title") for round_ in rounds)


def reason_text(code: str, rounds) -> str:
    names = _round_names(rounds)
    if code == UnplacedCode.PINS_CONFLICT:
        return _("Their pinned sessions leave no seat that fits in: %(rounds)s.") % {"rounds": names}
    if code == UnplacedCode.NO_CHOICES:
        return _("They chose no workshops, and every seat is taken in: %(rounds)s.") % {"rounds": names}
    if code == UnplacedCode.CHOICES_FULL:
        return _("Every workshop they chose is full in: %(rounds)s.") % {"rounds": names}
    if code == UnplacedCode.ROUND_FULL:
        return _("Every seat is taken in: %(rounds)s (the workshops they chose do not run then).") % {"rounds": names}
    if code == UnplacedCode.NOT_FOUND:
        return _("There is a free seat for them, but the engine ran out of time: assign again with more time.")
    return _("This run keeps no reason (it was made by an older version): assign again to see one.")


def unplaced_people(run: AssignmentRun, figures: RunFigures) -> list[UnplacedPerson]:
    """Everyone without a session in some round (figures.unplaced_ids), with the engine's reason."""
    kept = run.stats.get("unplaced_reasons", {})
    rounds = {round_.key: round_ for round_ in run.event.rounds.all()}
    people = []
    for pk in figures.unplaced_ids:
        found = kept.get(str(pk))
        code = found["code"] if found else UNKNOWN
        concerned = tuple(rounds[key] for key in (found or {}).get("rounds", ()) if key in rounds)
        people.append(UnplacedPerson(pk, code, concerned, reason_text(code, concerned)))
    return people
