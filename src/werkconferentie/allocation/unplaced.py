"""Why each participant a result leaves unplaced is left out, read from the instance and the result.

An unplaced participant keeps only her pinned seats (docs/allocation.md), so she misses every round she is not
pinned in. The engine leaves someone out only when seating everyone is impossible or was not found in time. For
each round she misses the result says why she has no seat there; her reason is the first of these that holds
for one of those rounds (`rounds` lists the rounds it holds for):

* `pins_conflict`: her pins cannot hold together (two in one round, one workshop twice, a session that does not
  run), or the round's only free seats are in workshops she is pinned to in another round;
* `no_choices`: she ranked no workshop, and every seat of the round is taken (so no seat was better for her than
  for anyone who did choose);
* `choices_full`: every workshop she ranked that runs in the round is full;
* `round_full`: every seat of the round is taken, and none of the workshops she ranked runs in it;
* `not_found`: the round still has a free seat she could take: the engine ran out of time (the result is not
  proven optimal).

Codes are stable strings for the Django side and the API; the sentences are made there, in the user's language.
"""

from __future__ import annotations

from collections import Counter

from .model import Instance, Result, UnplacedCode, UnplacedReason


def unplaced_reasons(instance: Instance, result: Result) -> dict[str, UnplacedReason]:
    """Per unplaced participant (result.unassigned) the reason, with the rounds it concerns."""
    if not result.unassigned:
        return {}
    capacity = {(s.workshop, s.round): s.capacity for s in instance.sessions}
    used = Counter((a.workshop, a.round) for a in result.assignments)
    free = {key: seats - used[key] for key, seats in capacity.items()}
    people = {p.id: p for p in instance.participants}
    reasons = {}
    for pid in result.unassigned:
        p = people[pid]
        pins = {f.round: f.workshop for f in p.fixed}
        if (
            len(pins) < len(p.fixed)
            or len(set(pins.values())) < len(pins)
            or any((w, r) not in capacity for r, w in pins.items())
        ):
            reasons[pid] = UnplacedReason(pid, UnplacedCode.PINS_CONFLICT, tuple(r for r in p.rounds if r in pins))
            continue
        per_round = {r: _round_reason(r, p.preferences, set(pins.values()), free) for r in p.rounds if r not in pins}
        for code in ORDER:
            rounds = tuple(r for r, c in per_round.items() if c == code)
            if rounds:
                reasons[pid] = UnplacedReason(pid, code, rounds)
                break
        else:  # no round missing: only possible for a participant who attends no unpinned round
            reasons[pid] = UnplacedReason(pid, UnplacedCode.NOT_FOUND, ())
    return reasons


ORDER = (
    UnplacedCode.PINS_CONFLICT,
    UnplacedCode.NO_CHOICES,
    UnplacedCode.CHOICES_FULL,
    UnplacedCode.ROUND_FULL,
    UnplacedCode.NOT_FOUND,
)


def _round_reason(round_: str, preferences, pinned: set[str], free: dict) -> UnplacedCode:
    """Why she has no seat in this round of the result."""
    open_workshops = {w for (w, r), n in free.items() if r == round_ and n > 0}
    if open_workshops - pinned:
        return UnplacedCode.NOT_FOUND
    if open_workshops:
        return UnplacedCode.PINS_CONFLICT
    if not preferences:
        return UnplacedCode.NO_CHOICES
    if any((w, round_) in free for w in preferences):
        return UnplacedCode.CHOICES_FULL
    return UnplacedCode.ROUND_FULL
