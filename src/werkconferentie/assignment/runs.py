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
from werkconferentie.registration import capacity
from werkconferentie.registration.capacity import lock_event_capacity
from werkconferentie.registration.enums import Status
from werkconferentie.registration.models import Registration
from werkconferentie.registration.programme import CHANGED, NOT_PUBLISHED, UNCHANGED, Programme

from . import adapter, notifications
from .enums import MoveRefusal, MoveWarning
from .models import AssignmentRun, Pin, Placement

# The engine's search time: "Indelen" must answer within 10 s for 5,000 people on 2 cores, and storing the
# result and showing the page take 1-3 s more (bench/assignment.py, docs/assignment.md).
DEFAULT_TIME_LIMIT = 6.0
# When not everyone fits, placing as many as possible gets at least this long (the first try may use it all).
MIN_UNASSIGNED_TIME = 4.0


class MoveRefused(Exception):
    """A move that breaks a rule no confirmation can override; `code` (a MoveRefusal) says which."""

    def __init__(self, code: MoveRefusal):
        super().__init__(code.value)
        self.code = code


@dataclass
class MoveCheck:
    """What a move would do: warnings the organiser may accept (a full session), with the seats taken there."""

    warnings: list[MoveWarning] = field(default_factory=list)
    taken: int = 0


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
        # Participant ids are registration ids as text; rounds are round keys (assignment/unplaced.py shows them).
        stats["unplaced_reasons"] = {pid: reason.to_dict() for pid, reason in result.unplaced_reasons.items()}
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
        raise MoveRefused(MoveRefusal.OTHER_EVENT)
    if run.is_published:
        # Participants see this run: a change goes into a new run, published (and mailed) as a whole.
        raise MoveRefused(MoveRefusal.RUN_PUBLISHED)
    others = run.placements.filter(registration=registration).exclude(round=session.round_id)
    if others.filter(workshop=session.workshop_id).exists():
        raise MoveRefused(MoveRefusal.WORKSHOP_TWICE)
    check = MoveCheck(taken=run.placements.filter(session=session).exclude(registration=registration).count())
    if check.taken >= session.capacity:
        check.warnings.append(MoveWarning.SESSION_FULL)
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


def _programme_keys(run: AssignmentRun | None) -> dict[int, tuple]:
    """Per registration the (round, session) pairs of its programme in the run: one query, rows as tuples."""
    grouped: dict[int, list] = {}
    if run is not None:
        for registration_id, round_id, session_id in run.placements.values_list(
            "registration_id", "round_id", "session_id"
        ):
            grouped.setdefault(registration_id, []).append((round_id, session_id))
    return {pk: tuple(sorted(items)) for pk, items in grouped.items()}


@dataclass(frozen=True)
class ProgrammeChange:
    """One confirmed person whose programme publishing a run changes, and the rounds she loses a seat in."""

    registration_id: int
    session_ids: tuple[int, ...] = ()  # her sessions in the run being published
    dropped_round_ids: tuple[int, ...] = ()

    @property
    def has_programme(self) -> bool:
        return bool(self.session_ids)


def programme_changes(run: AssignmentRun, published: AssignmentRun | None) -> list[ProgrammeChange]:
    """Everyone whose programme in `run` differs from the published one: a new or changed programme, and those
    who had one and lose a round or all of it (they are told so). Two queries, no rendering: publishing calls
    it under the capacity lock."""
    before, after = _programme_keys(published), _programme_keys(run)
    changed = [pk for pk in before.keys() | after.keys() if before.get(pk) != after.get(pk)]
    confirmed = set(Registration.objects.filter(pk__in=changed, status=Status.CONFIRMED).values_list("pk", flat=True))
    changes = []
    for pk in sorted(confirmed):
        had = {round_id for round_id, _session in before.get(pk, ())}
        has = {round_id for round_id, _session in after.get(pk, ())}
        sessions = tuple(sorted(session for _round, session in after.get(pk, ())))
        changes.append(ProgrammeChange(pk, sessions, tuple(sorted(had - has))))
    return changes


def to_be_mailed(run: AssignmentRun):
    """The confirmed people whose programme in this run differs from the published one: whom publishing mails
    (those it leaves without a session they had included)."""
    changed_ids = [change.registration_id for change in programme_changes(run, published_run(run.event))]
    return (
        Registration.objects.filter(pk__in=changed_ids, status=Status.CONFIRMED)
        .select_related("event", "municipality")
        .order_by("name", "pk")
    )


@dataclass
class PublicationPreview:
    """What publishing a run would send: how many mails, to whom, and one of them rendered as it would go."""

    run: AssignmentRun
    recipients: list[Registration]
    newly_placed: int
    example: tuple | None  # (registration, subject, text, attachment names)
    dropped: int = 0  # people who lose a session they had, or all of them


def preview_publication(run: AssignmentRun) -> PublicationPreview:
    """Nothing is queued or changed: the organiser sees this before confirming."""
    published = published_run(run.event)
    changes = {change.registration_id: change for change in programme_changes(run, published)}
    had = set(published.placements.values_list("registration_id", flat=True)) if published else set()
    recipients = list(to_be_mailed(run))
    example = None
    if recipients:
        first = recipients[0]
        subject, text, _html, attachments = notifications.render_programme(
            first, run, changes[first.pk].dropped_round_ids if first.pk in changes else ()
        )
        example = (first, subject, text, [name for name, _content, _type in attachments])
    newly = sum(1 for r in recipients if r.pk not in had)
    dropped = sum(1 for change in changes.values() if change.dropped_round_ids)
    return PublicationPreview(run, recipients, newly, example, dropped)


def publish(run: AssignmentRun) -> list[ProgrammeChange]:
    """Make this run the one participants see; mail everyone whose programme differs from the one they had.

    Under the capacity lock only the comparison and one reference row per mail are written (with the publication,
    in one transaction: both commit or neither); the outbox worker renders the mails afterwards.
    """
    with transaction.atomic():
        event = lock_event_capacity(run.event)
        previous = published_run(event)
        changes = programme_changes(run, previous)
        if previous is not None:
            previous.published_at = None
            previous.save(update_fields=["published_at"])
        run.published_at = timezone.now()
        run.save(update_fields=["published_at"])
        notifications.programmes(run, changes)
    return changes


def place_late(registration: Registration) -> list[Placement]:
    """A person confirmed after publishing gets the best free seat in each round by their ranking.

    Nobody already placed is moved. Rounds are filled in order; within a round the highest-ranked workshop with
    a free seat that the person does not already have wins, then any free session.
    """
    with capacity.capacity_transaction():
        event = lock_event_capacity(registration.event)
        run = published_run(event)
        if run is None or run.placements.filter(registration=registration).exists():
            return []
        placed = _place_in_free_seats(run, registration)
        if placed:
            notifications.programme(registration, run)
        return placed


def personal_programme(registration: Registration) -> Programme:
    """Her sessions in the published run (for the personal page), if she has a seat."""
    run = published_run(registration.event)
    if run is None:
        return Programme()
    placements = programme_of(run, registration) if registration.status == Status.CONFIRMED else []
    return Programme(published=True, placements=placements)


def apply_changed_choices(registration: Registration) -> str:
    """A change of choices after publishing, by the late-change rules: her sessions are given up and her new
    ranking is applied to the seats still free (hers among them, so she keeps a session unless a workshop she now
    ranks higher has a seat). Rounds the organiser pinned for her stay as they are; nobody else moves. A changed
    programme is mailed to her."""
    with transaction.atomic():
        event = lock_event_capacity(registration.event)
        run = published_run(event)
        if run is None or registration.status != Status.CONFIRMED:
            return NOT_PUBLISHED
        mine = run.placements.filter(registration=registration)
        before = _programme_key(mine)
        pinned = set(Pin.objects.filter(registration=registration).values_list("round_id", flat=True))
        mine.exclude(round__in=pinned).delete()
        _place_in_free_seats(run, registration)
        if _programme_key(run.placements.filter(registration=registration)) == before:
            return UNCHANGED
        notifications.programme(registration, run)
        return CHANGED


def _place_in_free_seats(run: AssignmentRun, registration: Registration) -> list[Placement]:
    """Fill her rounds without a session, in order, by her ranking; call it under the event's capacity lock."""
    event = run.event
    fill = Counter(session_fill(run))
    capacity.checkpoint("session fill counted")
    ranking = [p.workshop_id for p in registration.preferences.all()]
    sessions = list(WorkshopSession.objects.filter(workshop__event=event).select_related("round", "workshop"))
    kept = dict(run.placements.filter(registration=registration).values_list("round_id", "workshop_id"))
    placed, had = [], set(kept.values())
    for round_ in event.rounds.order_by("number"):
        if round_.pk in kept:
            continue
        free = [s for s in sessions if s.round_id == round_.pk and fill[s.pk] < s.capacity and s.workshop_id not in had]
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
