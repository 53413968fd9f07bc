"""The figures of an assignment run as it stands now (manual moves and late placements included).

Computed once here, and shown by the back-office page, the API and the `assign` command alike: the engine's own
statistics (`run.stats`) describe the run as the engine left it, and go stale as soon as someone is moved.
A fixed number of queries, whatever the number of people.
"""

from collections import Counter
from dataclasses import dataclass, field

from werkconferentie.events.models import WorkshopSession
from werkconferentie.registration.models import Preference

from .models import AssignmentRun

UNRANKED = "unranked"


@dataclass(frozen=True)
class SessionFill:
    session: WorkshopSession
    used: int

    @property
    def over(self) -> bool:
        return self.used > self.session.capacity


@dataclass
class RunFigures:
    participants: int  # the people the run is about: those with a seat in it, and those the engine left out
    placed: int  # with a session in every round
    got_first: int  # placed, and a first choice in one of the rounds
    rank_histogram: dict[str, int]  # seats per rank ("1", "2", …, then "unranked")
    worst_rank: int | str | None  # the highest rank anyone got, "unranked" if someone got a workshop she did not rank
    unplaced_ids: list[int] = field(default_factory=list)  # without a session in some round, in registration order
    sessions: list[SessionFill] = field(default_factory=list)

    @property
    def unplaced(self) -> int:
        return len(self.unplaced_ids)

    @property
    def share_first_choice(self) -> float:
        """Share of the placed who got a first choice in one of the rounds (0..1, four decimals)."""
        return round(self.got_first / self.placed, 4) if self.placed else 0.0

    @property
    def first_percent(self) -> int:
        return round(100 * self.got_first / self.placed) if self.placed else 0


def run_figures(run: AssignmentRun) -> RunFigures:
    event = run.event
    sessions = list(
        WorkshopSession.objects.filter(workshop__event=event)
        .select_related("round", "workshop")
        .order_by("round__number", "workshop__number", "pk")
    )
    rounds = {session.round_id for session in sessions}  # rounds without a session can seat nobody
    rows = list(run.placements.values_list("registration_id", "round_id", "session_id", "workshop_id"))
    people = {registration for registration, *_rest in rows} | {int(pk) for pk in run.stats.get("unassigned", [])}
    ranking = {
        (registration, workshop): rank
        for registration, workshop, rank in Preference.objects.filter(registration__in=people).values_list(
            "registration_id", "workshop_id", "rank"
        )
    }
    histogram: Counter = Counter()
    used: Counter = Counter()
    first, rounds_of = set(), {}
    for registration, round_id, session_id, workshop_id in rows:
        rank = ranking.get((registration, workshop_id))
        histogram[UNRANKED if rank is None else rank] += 1
        used[session_id] += 1
        rounds_of.setdefault(registration, set()).add(round_id)
        if rank == 1:
            first.add(registration)
    placed = {pk for pk, had in rounds_of.items() if rounds and rounds <= had}
    ranked = sorted(k for k in histogram if k != UNRANKED)
    rank_histogram = {str(k): histogram[k] for k in ranked}
    if UNRANKED in histogram:
        rank_histogram[UNRANKED] = histogram[UNRANKED]
    worst = UNRANKED if UNRANKED in histogram else (max(ranked) if ranked else None)
    return RunFigures(
        participants=len(people),
        placed=len(placed),
        got_first=len(first & placed),
        rank_histogram=rank_histogram,
        worst_rank=worst,
        unplaced_ids=sorted(people - placed),
        sessions=[SessionFill(session, used[session.pk]) for session in sessions],
    )
