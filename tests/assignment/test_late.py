"""Late changes end to end: after publishing, cancellations free seats for the waiting list, late registrations
get the best free seats without moving anyone, and republishing mails only those whose programme changed.

Runs with committed transactions (the late placement follows the sign-up's commit), on SQLite and PostgreSQL:
`TEST_DATABASES=postgres scripts/test tests/assignment/test_late.py`.
"""

from collections import Counter

import pytest

from werkconferentie.assignment import runs
from werkconferentie.assignment.models import Placement
from werkconferentie.events.models import WorkshopSession
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.registration import signup
from werkconferentie.registration.enums import Status
from werkconferentie.registration.models import Registration

from .helpers import SLUGS, register

pytestmark = pytest.mark.django_db(transaction=True)


def programmes(run) -> dict[int, frozenset]:
    programme: dict[int, set] = {}
    for registration_id, session_id in Placement.objects.filter(run=run).values_list("registration", "session"):
        programme.setdefault(registration_id, set()).add(session_id)
    return {pk: frozenset(sessions) for pk, sessions in programme.items()}


def programme_mails() -> int:
    """Mails caused by registrations (the programme mails among them); compared by count, the subjects are
    translated."""
    return OutboxMessage.objects.filter(kind="registration").count()


def assert_best_free_seats(run, person, fill_before: Counter) -> None:
    """In each round, in order, the person got the highest-ranked workshop that still had a seat and that she did
    not have yet (any free session if none of her ranking had one)."""
    ranking = [p.workshop_id for p in person.preferences.order_by("rank")]
    sessions = list(WorkshopSession.objects.filter(workshop__event=run.event).select_related("round"))
    got = {p.round_id: p for p in Placement.objects.filter(run=run, registration=person)}
    had: set[int] = set()
    for round_ in run.event.rounds.order_by("number"):
        free = [
            s
            for s in sessions
            if s.round_id == round_.pk and fill_before[s.pk] < s.capacity and s.workshop_id not in had
        ]
        assert round_.pk in got, f"no seat in {round_.key} although {len(free)} sessions had one"
        placement = got[round_.pk]
        assert placement.source == Placement.Source.LATE
        rank = ranking.index(placement.workshop_id) if placement.workshop_id in ranking else len(ranking)
        best = min(ranking.index(s.workshop_id) if s.workshop_id in ranking else len(ranking) for s in free)
        assert rank == best, f"{round_.key}: rank {rank + 1} while rank {best + 1} had a free seat"
        had.add(placement.workshop_id)


@pytest.fixture
def published(open_event):
    """70 confirmed people (seats for 71), the assignment published."""
    open_event.capacity = 71
    open_event.save()
    people = [register(open_event, n, SLUGS[n % 3 :] + SLUGS[: n % 3]) for n in range(70)]
    run = runs.run_engine(open_event)
    runs.publish(run)
    return open_event, run, people


def test_cancellation_frees_the_seat_for_the_waiting_list(published):
    event, run, people = published
    late = register(event, 100, ["diversiteit", "betekenisvolle-participatie"])  # the 71st seat
    waiting = register(event, 101, ["kinderen-en-omgeving", "diversiteit"])
    assert (late.status, waiting.status) == (Status.CONFIRMED, Status.WAITLISTED)
    assert not Placement.objects.filter(run=run, registration=waiting).exists()

    leaving = people[5]
    before = programmes(run)
    fill = Counter(runs.session_fill(run))
    for session_id in before[leaving.pk]:
        fill[session_id] -= 1  # the seats the cancellation frees
    mails = programme_mails()
    promoted = signup.cancel(leaving)
    assert [r.pk for r in promoted] == [waiting.pk]

    assert not Placement.objects.filter(run=run, registration=leaving).exists()
    after = programmes(run)
    assert_best_free_seats(run, Registration.objects.get(pk=waiting.pk), fill)
    # Nobody else moved.
    unchanged = {pk: sessions for pk, sessions in before.items() if pk != leaving.pk}
    assert {pk: after[pk] for pk in unchanged} == unchanged
    # Mail: the cancellation's, the promotion's and the promoted person's programme; no one else's.
    assert programme_mails() - mails == 3
    assert OutboxMessage.objects.filter(kind="registration", object_id=waiting.pk).count() >= 2
    fill = runs.session_fill(run)
    assert all(fill.get(s.pk, 0) <= s.capacity for s in WorkshopSession.objects.filter(workshop__event=event))


def test_late_registration_gets_the_best_free_seats_without_moving_anyone(published):
    event, run, people = published
    before = programmes(run)
    fill = Counter(runs.session_fill(run))
    # Fill the first choice of the newcomer in round 1 completely, so that her ranking decides the rest.
    full = WorkshopSession.objects.get(round__key="ronde-1", workshop__slug="diversiteit")
    full.capacity = fill[full.pk]
    full.save()
    late = register(
        event,
        200,
        ["diversiteit", "kinderen-en-omgeving", "betekenisvolle-participatie"],
    )
    assert late.status == Status.CONFIRMED
    assert_best_free_seats(run, Registration.objects.get(pk=late.pk), fill)
    got = {
        p.round.key: p.workshop.slug
        for p in Placement.objects.filter(run=run, registration=late).select_related("round", "workshop")
    }
    assert got == {"ronde-1": "kinderen-en-omgeving", "ronde-2": "diversiteit"}
    after = programmes(run)
    assert {pk: after[pk] for pk in before} == before


def test_republishing_mails_only_changed_programmes(published):
    event, first, people = published
    late = register(event, 300, ["betekenisvolle-participatie", "diversiteit"])
    assert Placement.objects.filter(run=first, registration=late).count() == 2

    second = runs.run_engine(event)
    # The organiser moves two people by hand before publishing: at least their programmes change.
    for person in people[:2]:
        mine = {p.round.key: p for p in second.placements.filter(registration=person).select_related("round")}
        other = (
            WorkshopSession.objects.filter(workshop__event=event, round__key="ronde-1")
            .exclude(workshop=mine["ronde-1"].workshop)
            .exclude(workshop=mine["ronde-2"].workshop)
            .first()
        )
        runs.move(second, person, other, accept_warnings=True, pin=False)

    old, new = programmes(first), programmes(second)
    confirmed = set(event.registrations.filter(status=Status.CONFIRMED).values_list("pk", flat=True))
    expected = {pk for pk in confirmed if old.get(pk) != new.get(pk)}
    assert {people[0].pk, people[1].pk} <= expected
    assert len(expected) < len(confirmed)

    mails = programme_mails()
    changed = runs.publish(second)
    assert {change.registration_id for change in changed} == expected
    assert programme_mails() - mails == len(expected)
    first.refresh_from_db()
    assert second.is_published and not first.is_published

    # Publishing the same run again mails nobody.
    mails = programme_mails()
    assert runs.publish(second) == []
    assert programme_mails() == mails
