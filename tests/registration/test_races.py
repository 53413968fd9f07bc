"""Two changes of seats at the same moment, made to interleave between counting and writing (tests/meeting.py).

After pretix: each race is first shown to exist with the capacity lock switched off (PostgreSQL only: on SQLite
BEGIN IMMEDIATE lets no second writer begin, lock or not), then shown closed with the lock on (both databases).
The sign-up race through real HTTP at a real server is tests/registration/test_concurrency.py.
"""

import pytest
from django.db import connection

from meeting import meet
from werkconferentie.reference.models import Municipality
from werkconferentie.registration import signup
from werkconferentie.registration.enums import Role, Status
from werkconferentie.registration.models import Registration

pytestmark = pytest.mark.django_db(transaction=True)

LOCK = [
    pytest.param(True, id="lock"),
    pytest.param(False, id="no-lock"),
]


def skip_without_lock_on_sqlite(lock: bool) -> None:
    if not lock and connection.vendor == "sqlite":
        pytest.skip("SQLite's BEGIN IMMEDIATE serialises writers even without the row lock: no race to show")


def sign_up(event, number: int) -> Registration:
    workshops = list(event.workshops.order_by("number"))
    return signup.register(
        event,
        signup.SignupData(
            name=f"Deelnemer {number}",
            email=f"race{number}@example.org",
            role=Role.COUNCIL_MEMBER,
            municipality=Municipality.objects.get(pk="GM1730"),
            preferences=workshops[:2],
        ),
    ).registration


@pytest.mark.parametrize("lock", LOCK)
def test_two_sign_ups_for_the_last_seat(open_event, settings, lock):
    skip_without_lock_on_sqlite(lock)
    settings.CAPACITY_LOCK = lock
    open_event.capacity = 3
    open_event.save()
    for number in range(2):
        sign_up(open_event, number)

    (first, second), meeting = meet("seats counted", lambda: sign_up(open_event, 10), lambda: sign_up(open_event, 11))

    statuses = sorted(Registration.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True))
    confirmed = Registration.objects.filter(event=open_event, status=Status.CONFIRMED).count()
    if lock:
        assert not meeting.met  # the second waited for the first's commit
        assert statuses == sorted([Status.CONFIRMED, Status.WAITLISTED])
        assert confirmed == 3
    else:
        assert meeting.met  # both counted before either wrote: the race, forced
        assert statuses == [Status.CONFIRMED, Status.CONFIRMED]
        assert confirmed == 4  # oversold


@pytest.mark.parametrize("lock", LOCK)
def test_two_cancellations_at_once_promote_the_next_two_once_each(open_event, settings, lock):
    skip_without_lock_on_sqlite(lock)
    settings.CAPACITY_LOCK = lock
    open_event.capacity = 2
    open_event.save()
    leaving = [sign_up(open_event, number) for number in range(2)]
    waiting = [sign_up(open_event, number) for number in range(2, 5)]
    assert [r.status for r in waiting] == [Status.WAITLISTED] * 3

    (first, second), meeting = meet(
        "waiting list read", lambda: signup.cancel(leaving[0]), lambda: signup.cancel(leaving[1])
    )

    promoted = [r.pk for r in first + second]
    confirmed = set(Registration.objects.filter(event=open_event, status=Status.CONFIRMED).values_list("pk", flat=True))
    if lock:
        assert not meeting.met
        # Each of the first two on the waiting list moved up once, by one of the two cancellations.
        assert sorted(promoted) == [waiting[0].pk, waiting[1].pk]
        assert confirmed == {waiting[0].pk, waiting[1].pk}
        assert Registration.objects.get(pk=waiting[2].pk).status == Status.WAITLISTED
    else:
        assert meeting.met
        # Each saw one free seat and gave it to the same first person: promoted twice, one seat left empty.
        assert promoted == [waiting[0].pk, waiting[0].pk]
        assert confirmed == {waiting[0].pk}
