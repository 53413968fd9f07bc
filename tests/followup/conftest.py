"""Fixtures of the follow-up tests: the example conference with answers and a request (from the outcome tests),
and commitments of Noordenveld."""

import pytest
from django.test import Client
from django.urls import reverse

from outcomes import conftest as outcome_fixtures
from registration.factories import RegistrationFactory, UserFactory

# The fixtures of the outcome tests, shared.
_suggestions_at_once = outcome_fixtures._suggestions_at_once
answer_on = outcome_fixtures.answer_on
boards = outcome_fixtures.boards
conference = outcome_fixtures.conference
organiser = outcome_fixtures.organiser


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Uploaded attachments go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def noordenveld(db):
    from werkconferentie.reference.models import Municipality

    return Municipality.objects.get(code="GM1699")


@pytest.fixture
def tynaarlo(db):
    from werkconferentie.reference.models import Municipality

    return Municipality.objects.get(code="GM1730")


@pytest.fixture
def contact(conference, noordenveld):
    from werkconferentie.followup.models import FollowupSettings, UpdateContact

    # The example's target date is 20 November 2022: links stay valid for ten years after it, so until 2032.
    FollowupSettings.objects.update_or_create(event=conference, defaults={"link_days_after_target": 3650})

    return UpdateContact.objects.create(
        event=conference,
        municipality=noordenveld,
        name="Griffie Noordenveld",
        email="griffie@noordenveld.example",
        function="griffier",
    )


@pytest.fixture
def other_contact(conference, tynaarlo):
    from werkconferentie.followup.models import UpdateContact

    return UpdateContact.objects.create(
        event=conference, municipality=tynaarlo, name="Griffie Tynaarlo", email="griffie@tynaarlo.example"
    )


@pytest.fixture
def commitment(conference, noordenveld, organiser):
    from werkconferentie.followup.commitments import create_commitment
    from werkconferentie.followup.history import Actor
    from werkconferentie.outcomes.models import OutcomePoint

    point = OutcomePoint.objects.get(event=conference, is_request=True)
    return create_commitment(
        conference,
        noordenveld,
        Actor(user=organiser),
        title="Kinderraad per 1 september",
        kind="toezegging",
        committed_by="wethouder jeugd",
        status_note="Toegezegd in de raadsvergadering.",
        outcome_points=[point.pk],
        is_public=True,
    )


@pytest.fixture
def workshop(boards):
    from werkconferentie.live.enums import BoardKind

    return next(b for b in boards if b.kind == BoardKind.WORKSHOP)


def visitors(conference, workshop, organiser, other_event, contact, other_contact):
    from werkconferentie.live import access
    from werkconferentie.registration import links as personal_links

    participant = Client()
    person = RegistrationFactory(event=conference, name="Zoë Jansen")
    participant.get(reverse("live:from_personal_link", args=[personal_links.personal_token(person), workshop.code]))
    host = Client()
    host.get(access.host_url(workshop, absolute=False))
    other = Client()
    other.force_login(UserFactory(username="andere", organiser_of=[other_event]))
    mine = Client()
    mine.force_login(organiser)
    return {
        "anonymous": Client(),
        "participant": participant,
        "host": host,
        "organiser of another event": other,
        "organiser": mine,
    }


@pytest.fixture
def world(conference, workshop, organiser, other_event, contact, other_contact, commitment, settings):
    settings.FOLLOWUP_NOW = None
    return visitors(conference, workshop, organiser, other_event, contact, other_contact)
