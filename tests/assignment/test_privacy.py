"""What assignment holds about a person is in their data download and goes with an erasure (issue 14.5)."""

import pytest

from registration.factories import UserFactory
from werkconferentie.assignment import checkin, runs
from werkconferentie.assignment.models import CheckIn, Pin, Placement
from werkconferentie.registration import privacy

from .helpers import register

pytestmark = pytest.mark.django_db


def test_placements_pins_and_check_in_are_exported_and_erased(open_event):
    anna = register(open_event, 1)
    other = register(open_event, 2)
    run = runs.run_engine(open_event, time_limit=5)
    placement = run.placements.filter(registration=anna).select_related("session").first()
    # Move her by hand (and so pin her) into another session of the same round.
    target = placement.session.round.sessions.exclude(pk=placement.session_id).first()
    runs.move(run, anna, target, accept_warnings=True)
    runs.publish(run)
    organiser = UserFactory(username="balie-1", organiser_of=[open_event])
    checkin.check_in(anna, organiser)

    data = privacy.export_person(anna)["assignment"]
    assert {entry["workshop"] for entry in data["placements"]} >= {target.workshop.slug}
    assert all(entry["published"] for entry in data["placements"])
    [pin] = data["pins"]
    assert (pin["round"], pin["workshop"], pin["room"]) == (target.round.number, target.workshop.slug, target.room)
    assert data["check_in"]["checked_in_by"] == "balie-1"
    assert privacy.export_person(other).get("assignment", {}).get("check_in") is None

    report = privacy.erase_registration(anna)
    assert report.rows["assignment"] >= 3  # her placements, her pin, her check-in
    assert not Placement.objects.filter(registration_id=anna.pk).exists()
    assert not Pin.objects.filter(registration_id=anna.pk).exists()
    assert not CheckIn.objects.filter(registration_id=anna.pk).exists()
    assert Placement.objects.filter(registration=other).exists()
