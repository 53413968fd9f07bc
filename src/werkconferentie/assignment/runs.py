"""Running the engine for an event, moving people by hand, pinning, publishing, and late changes.

Views and commands call these functions; they hold the rules. Changes to the published run (late placements,
freed seats) take the event's capacity lock, like every change that uses up seats.
"""

import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from werkconferentie.allocation.model import InfeasibleError
from werkconferentie.allocation.solver import solve
from werkconferentie.events.models import Event, WorkshopSession
from werkconferentie.registration.capacity import lock_event_capacity
from werkconferentie.registration.enums import Status
from werkconferentie.registration.models import Registration

from . import adapter, notifications
from .models import AssignmentRun, Pin, Placement

# The engine's search time: "Indelen" must answer within 10 s for 5,000 people on 2 cores, and storing the
# result and showing the page take 1-3 s more (bench/assignment.py, docs/assignment.md).
DEFAULT_TIME_LIMIT = 6.0
# When not everyone fits, placing as many as possible gets at least this long (the first try may use it all).
MIN_UNASSIGNED_TIME = 4.0


class MoveRefused(Exception):
    """A move that breaks a rule no confirmation can override (a workshop twice, a session of another round)."""


@dataclass
class MoveCheck:
    """What a move would do: warnings the organiser may accept (a full session)."""

    warnings: list[str] = field(default_factory=list)


def published_run(event: Event) -> AssignmentRun | None:
    return event.assignment_runs.filter(published_at__isnull=False).first()


def latest_run(event: Event) -> AssignmentRun | None:
    return event.assignment_runs.order_by("-number").first()


def run_engine(event: Event, *, user=None, time_limit: float = DEFAULT_TIME_LIMIT, mix: bool = False) -> AssignmentRun:
    """Assign every confirmed registration of the event and store the result as a new run (not yet published).

    People the engine cannot place (too few seats, conflicting pins) are listed in the run's stats with the
    engine's reason, instead of failing the whole run.
    """
    started = time.perf_counter()
    # Among equally good assignments people stay where the latest run put them (and the page says how many moved).
    previous = latest_run(event)
    event_instance = adapter.build_instance(event, previous_run=previous)
    result = _solve(event_instance.instance, time_limit, mix)
    with transaction.atomic():
        number = (event.assignment_runs.aggregate(n=Max("number"))["n"] or 0) + 1
        stats = dict(result.stats)
        stats["unassigned"] = list(result.unassigned)
        stats["fairness"] = result.fairness
        if previous is not None:
            stats["previous_run"] = previous.number
        run = AssignmentRun.objects.create(
            event=event,
            number=number,
            created_by=user if user and user.is_authenticated else None,
            objective=result.objective,
            lower_bound=result.lower_bound,
            optimal=result.optimal,
            stats=stats,
        )
        Placement.objects.bulk_create(
            [
                Placement(
                    run=run,
                    registration_id=registration_id,
                    session=session,
                    round_id=session.round_id,
                    workshop_id=session.workshop_id,
                )
                for registration_id, session in adapter.placements_from_result(event_instance, result)
            ],
            batch_size=2000,
        )
        run.seconds = time.perf_counter() - started
        run.save(update_fields=["seconds"])
    return run


def _solve(instance, time_limit: float, mix: bool):
    """Everyone placed if possible (the fast path, with a fallback when the time runs out); else place most.

    `allow_unassigned` always takes the slow LP + MIP path and has no fallback (docs/allocation.md), so it is
    only asked for when seating everyone is impossible, which the first call finds out quickly (flow or LP).
    """
    deadline = time.monotonic() + time_limit
    try:
        return solve(instance, time_limit=time_limit, allow_unassigned=False, mix=mix)
    except InfeasibleError:
        left = max(deadline - time.monotonic(), min(time_limit, MIN_UNASSIGNED_TIME))
        return solve(instance, time_limit=left, allow_unassigned=True, mix=mix)


def session_fill(run: AssignmentRun) -> dict[int, int]:
    return dict(run.placements.values_list("session").annotate(n=Count("pk")).values_list("session", "n"))


def check_move(run: AssignmentRun, registration: Registration, session: WorkshopSession) -> MoveCheck:
    """Refuse what can never be (raise MoveRefused); return warnings for what the organiser may accept."""
    if session.workshop.event_id != run.event_id or registration.event_id != run.event_id:
        raise MoveRefused("session or person of another event")
    if run.is_published:
        # Participants see this run: a change goes into a new run, published (and mailed) as a whole.
        raise MoveRefused("run published")
    others = run.placements.filter(registration=registration).exclude(round=session.round_id)
    if others.filter(workshop=session.workshop_id).exists():
        raise MoveRefused("same workshop twice")
    check = MoveCheck()
    taken = run.placements.filter(session=session).exclude(registration=registration).count()
    if taken >= session.capacity:
        check.warnings.append("session full")
    return check


def move(
    run: AssignmentRun,
    registration: Registration,
    session: WorkshopSession,
    *,
    accept_warnings: bool = False,
    pin: bool = True,
) -> MoveCheck:
    """Put a person in another session of the same round; by default also pin it for later runs."""
    check = check_move(run, registration, session)
    if check.warnings and not accept_warnings:
        return check
    with transaction.atomic():
        run.placements.filter(registration=registration, round=session.round_id).delete()
        Placement.objects.create(
            run=run,
            registration=registration,
            session=session,
            round_id=session.round_id,
            workshop_id=session.workshop_id,
            source=Placement.Source.MANUAL,
        )
        if pin:
            Pin.objects.update_or_create(
                registration=registration, round_id=session.round_id, defaults={"session": session}
            )
    return check


def unpin(registration: Registration, round_id: int) -> None:
    Pin.objects.filter(registration=registration, round_id=round_id).delete()


def programme_of(run: AssignmentRun | None, registration: Registration) -> list[Placement]:
    if run is None:
        return []
    return list(
        run.placements.filter(registration=registration)
        .select_related("session__round", "session__workshop")
        .order_by("round__number")
    )


def _programme_key(placements) -> tuple:
    return tuple(sorted((p.round_id, p.session_id) for p in placements))


def publish(run: AssignmentRun) -> list[Registration]:
    """Make this run the one participants see; mail everyone whose programme differs from the one they had."""
    with transaction.atomic():
        event = lock_event_capacity(run.event)
        previous = published_run(event)
        before: dict[int, tuple] = {}
        if previous is not None:
            grouped: dict[int, list] = {}
            for placement in previous.placements.all():
                grouped.setdefault(placement.registration_id, []).append(placement)
            before = {pk: _programme_key(items) for pk, items in grouped.items()}
            previous.published_at = None
            previous.save(update_fields=["published_at"])
        run.published_at = timezone.now()
        run.save(update_fields=["published_at"])
        grouped_now: dict[int, list] = {}
        for placement in run.placements.all():
            grouped_now.setdefault(placement.registration_id, []).append(placement)
        changed_ids = [pk for pk, items in grouped_now.items() if before.get(pk) != _programme_key(items)]
        changed = list(Registration.objects.filter(pk__in=changed_ids, status=Status.CONFIRMED).select_related("event"))
        for registration in changed:
            notifications.programme(registration, run)
    return changed


def place_late(registration: Registration) -> list[Placement]:
    """A person confirmed after publishing gets the best free seat in each round by their ranking.

    Nobody already placed is moved. Rounds are filled in order; within a round the highest-ranked workshop with
    a free seat that the person does not already have wins, then any free session.
    """
    with transaction.atomic():
        event = lock_event_capacity(registration.event)
        run = published_run(event)
        if run is None or run.placements.filter(registration=registration).exists():
            return []
        fill = Counter(session_fill(run))
        ranking = [p.workshop_id for p in registration.preferences.all()]
        sessions = list(WorkshopSession.objects.filter(workshop__event=event).select_related("round", "workshop"))
        placed, had = [], set()
        for round_ in event.rounds.order_by("number"):
            free = [
                s for s in sessions if s.round_id == round_.pk and fill[s.pk] < s.capacity and s.workshop_id not in had
            ]
            if not free:
                continue
            free.sort(
                key=lambda s: (
                    ranking.index(s.workshop_id) if s.workshop_id in ranking else len(ranking),
                    fill[s.pk],
                    s.workshop.number,
                )
            )
            session = free[0]
            placed.append(
                Placement.objects.create(
                    run=run,
                    registration=registration,
                    session=session,
                    round_id=round_.pk,
                    workshop_id=session.workshop_id,
                    source=Placement.Source.LATE,
                )
            )
            fill[session.pk] += 1
            had.add(session.workshop_id)
        if placed:
            notifications.programme(registration, run)
        return placed


def place_late_by_id(registration_id: int, event_id: int) -> list[Placement]:
    """place_late after a commit, for a registration that may meanwhile be gone or no longer confirmed. One query
    when nothing is published (the common case during sign-up)."""
    if not AssignmentRun.objects.filter(event_id=event_id, published_at__isnull=False).exists():
        return []
    registration = Registration.objects.filter(pk=registration_id, status=Status.CONFIRMED).first()
    return place_late(registration) if registration is not None else []


def free_seats_of(registration: Registration) -> int:
    """A cancelled person's seats in the published run are freed (the waiting list's next person is placed late)."""
    run = published_run(registration.event)
    if run is None:
        return 0
    deleted, _ = run.placements.filter(registration=registration).delete()
    return deleted
