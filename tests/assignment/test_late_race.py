"""Two late placements at once into the last seat of a session: one gets it (tests/meeting.py makes them meet
between counting the sessions' fill and writing). As in tests/registration/test_races.py, the race is first shown
with the capacity lock off (PostgreSQL only), then closed with it on (both databases)."""

import pytest
from django.db import connection

from meeting import meet
from werkconferentie.assignment import runs
from werkconferentie.assignment.models import Placement
from werkconferentie.events.models import WorkshopSession

from .helpers import register

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("lock", [pytest.param(True, id="lock"), pytest.param(False, id="no-lock")])
def test_two_late_placements_into_the_last_seat_one_gets_it(open_event, settings, lock):
    if not lock and connection.vendor == "sqlite":
        pytest.skip("SQLite's BEGIN IMMEDIATE serialises writers even without the row lock: no race to show")
    settings.CAPACITY_LOCK = lock
    for number in range(6):
        register(open_event, number)
    run = runs.run_engine(open_event)
    runs.publish(run)
    ranking = ["diversiteit", "kinderen-en-omgeving", "betekenisvolle-participatie"]
    late = [register(open_event, number, ranking) for number in (100, 101)]
    # Placed late at once after their sign-up; taken out again, so that both are placed now, at the same moment.
    Placement.objects.filter(run=run, registration__in=late).delete()
    last_seat = WorkshopSession.objects.get(round__key="ronde-1", workshop__slug="diversiteit")
    last_seat.capacity = runs.session_fill(run).get(last_seat.pk, 0) + 1
    last_seat.save()

    _placed, meeting = meet("session fill counted", lambda: runs.place_late(late[0]), lambda: runs.place_late(late[1]))

    in_last_seat = Placement.objects.filter(run=run, session=last_seat, registration__in=late).count()
    fill = runs.session_fill(run)
    if lock:
        assert not meeting.met
        assert in_last_seat == 1
        assert fill[last_seat.pk] == last_seat.capacity
        # The other got a seat in that round all the same, in a session that had one.
        assert Placement.objects.filter(run=run, round=last_seat.round, registration__in=late).count() == 2
        assert all(fill.get(s.pk, 0) <= s.capacity for s in WorkshopSession.objects.filter(workshop__event=open_event))
    else:
        assert meeting.met
        assert in_last_seat == 2  # both counted one free seat: one too many in the session
        assert fill[last_seat.pk] == last_seat.capacity + 1
