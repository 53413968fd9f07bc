"""The dashboard's numbers, as plain functions of an event: right, and in a fixed number of queries."""

import pytest
from django.utils import translation

from werkconferentie.registration import stats
from werkconferentie.registration.models import Registration

from .factories import RegistrationFactory, WorkshopFactory, municipality

pytestmark = pytest.mark.django_db


def test_totals(filled_event):
    totals = stats.totals(filled_event)
    assert (totals.capacity, totals.confirmed, totals.waitlisted, totals.cancelled) == (3, 3, 2, 1)
    assert totals.seats_left == 0 and totals.active == 5


def test_by_role_lists_every_role_and_leaves_out_cancelled(filled_event):
    rows = {row.key: row for row in stats.by_role(filled_event)}
    assert list(rows) == [
        "burgemeester",
        "wethouder",
        "beleidsmaker",
        "raadslid",
        "statenlid",
        "jeugdhulpverlener",
        "anders",
    ]
    # Zoë and Fenna are council members (Kees cancelled and is not counted).
    assert (rows["raadslid"].count, rows["raadslid"].confirmed, rows["raadslid"].waitlisted) == (2, 1, 1)
    assert rows["burgemeester"].count == 0
    assert rows["wethouder"].label == "Wethouder"  # in the language of the request (Dutch by default)


def test_by_province_largest_first_organisations_last(filled_event):
    with translation.override("en"):
        rows = stats.by_province(filled_event)
    assert [(row.label, row.count) for row in rows] == [
        ("Drenthe", 3),  # Zoë and Fenna (Tynaarlo), Daan (Assen)
        ("Utrecht", 1),
        ("No municipality (organisation)", 1),
    ]


def test_by_municipality_top_and_rest(filled_event):
    rows = stats.by_municipality(filled_event, top=None)
    assert [(row.key, row.count) for row in rows] == [("GM1730", 2), ("GM0106", 1), ("GM0353", 1)]
    with translation.override("en"):
        top = stats.by_municipality(filled_event, top=1)
    assert [(row.key, row.count) for row in top] == [("GM1730", 2), ("rest", 2)]
    assert top[-1].label == "2 other municipalities"
    with translation.override("nl"):
        assert stats.by_municipality(filled_event, top=2)[-1].label == "1 andere gemeente"  # not "1 andere gemeenten"


def test_workshop_demand_against_seats_of_all_sessions(filled_event):
    demand = {d.workshop.number: d for d in stats.workshop_demand(filled_event)}
    # Werkplaats 1: first of Zoë and Sebastiaan, also ranked by Fenna; two sessions of 2 seats.
    assert (demand[1].first_choices, demand[1].all_choices, demand[1].seats) == (2, 3, 4)
    assert (demand[2].first_choices, demand[2].all_choices, demand[2].seats) == (1, 2, 3)
    assert (demand[3].first_choices, demand[3].all_choices, demand[3].seats) == (2, 3, 1)
    assert demand[3].first_choices_per_seat == 2.0


def test_workshop_without_sessions_or_choices(filled_event):
    WorkshopFactory(event=filled_event, number=9)
    last = stats.workshop_demand(filled_event)[-1]
    assert (last.first_choices, last.all_choices, last.seats, last.first_choices_per_seat) == (0, 0, 0, None)


def test_waiting_list_in_order_with_positions(filled_event):
    waiting = stats.waiting_list(filled_event)
    assert [(r.waitlist_position, r.name) for r in waiting] == [(1, "Fenna Bakker"), (2, "Daan de Vries")]


def test_waitlist_position_annotation_survives_filtering(filled_event):
    """The admin filters and searches; the position must stay the one on the whole list."""
    daan = stats.with_waitlist_position(Registration.objects.filter(name__startswith="Daan")).get()
    assert daan.waitlist_position == 2
    zoe = stats.with_waitlist_position(Registration.objects.filter(name__startswith="Zoë")).get()
    assert zoe.waitlist_position is None


def test_empty_event(db):
    from .factories import EventFactory

    event = EventFactory()
    numbers = stats.dashboard(event)
    assert numbers.totals.seats_left == event.capacity
    assert numbers.by_province == [] and numbers.by_municipality == [] and numbers.waiting_list == []
    assert all(row.count == 0 for row in numbers.by_role)


def test_dashboard_queries_do_not_grow_with_registrations(filled_event, django_assert_num_queries):
    workshops = list(filled_event.workshops.all())
    codes = ["GM0014", "GM0034", "GM0037", "GM0047", "GM0050", "GM0059", "GM0060", "GM0072"]
    for number in range(40):
        RegistrationFactory(
            event=filled_event,
            municipality=municipality(codes[number % len(codes)]),
            waitlisted=number % 3 == 0,
            preferences=workshops[number % 3 :],
        )
    # totals, by role, by province, by municipality, workshops with seats, choices, waiting list
    with django_assert_num_queries(7):
        numbers = stats.dashboard(filled_event)
        [(r.name, r.affiliation) for r in numbers.waiting_list]
    assert numbers.totals.active == 45
