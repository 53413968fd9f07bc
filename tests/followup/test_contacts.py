"""The contacts proposed by default: the griffie of each municipality the event concerns (from the griffie list of
the outcomes app), then the participants who agreed."""

import pytest

from werkconferentie.followup.contacts import add_default_contacts, default_contacts, municipalities_of
from werkconferentie.followup.models import ParticipantChoice, UpdateContact
from werkconferentie.outcomes.models import GriffieAddress, LetterDispatch
from werkconferentie.reference.models import Municipality
from werkconferentie.registration.models import Registration

pytestmark = pytest.mark.django_db


def griffie(code: str, email: str) -> GriffieAddress:
    address, _created = GriffieAddress.objects.update_or_create(municipality_id=code, defaults={"email": email})
    return address


def test_the_municipalities_of_the_event_are_current_ones(conference):
    # Participants from Noordenveld and from Weesp, which became part of Amsterdam (GM0363) in 2022.
    assert municipalities_of(conference) == {"GM1699", "GM0363"}


def test_letters_and_commitments_add_their_municipalities(conference, organiser, tynaarlo):
    import datetime as dt

    LetterDispatch.objects.create(
        event=conference, municipality_id="GM0014", email="griffie@groningen.example", letter_date=dt.date(2022, 7, 1)
    )
    from werkconferentie.followup.commitments import create_commitment
    from werkconferentie.followup.history import Actor

    create_commitment(conference, tynaarlo, Actor(user=organiser), title="Speelplek", status_note="Nog niets.")
    assert municipalities_of(conference) == {"GM1699", "GM0363", "GM0014", "GM1730"}


def test_the_griffies_are_proposed_first_with_their_source(conference):
    griffie("GM1699", "griffie@noordenveld.nl")
    griffie("GM0363", "griffie@amsterdam.nl")
    griffie("GM0457", "oud@weesp.nl")  # a former municipality: never proposed
    griffie("GM0014", "griffie@groningen.nl")  # not concerned by this event
    GriffieAddress.objects.create(municipality_id="GM1730")  # no e-mail address: nothing to propose
    zoe = Registration.objects.get(email__startswith="zoe")
    ParticipantChoice.objects.create(registration=zoe, may_be_contact=True)

    proposed = default_contacts(conference)
    assert [(p.municipality.pk, p.email, p.source) for p in proposed] == [
        ("GM0363", "griffie@amsterdam.nl", UpdateContact.Source.GRIFFIE),
        ("GM1699", "griffie@noordenveld.nl", UpdateContact.Source.GRIFFIE),
        ("GM1699", zoe.email, UpdateContact.Source.PARTICIPANT),
    ]
    assert proposed[1].name == "Griffie Noordenveld" and proposed[1].function == "griffie"
    noordenveld = Municipality.objects.get(pk="GM1699")
    assert [p.email for p in default_contacts(conference, noordenveld)] == ["griffie@noordenveld.nl", zoe.email]

    added = add_default_contacts(conference)
    assert sorted((c.municipality_id, c.source) for c in added) == [
        ("GM0363", "griffie"),
        ("GM1699", "griffie"),
        ("GM1699", "participant"),
    ]
    assert default_contacts(conference) == []  # named now: not proposed again


def test_a_griffie_already_named_by_hand_is_not_proposed_again(conference, contact):
    griffie("GM1699", contact.email.upper())
    assert [p.email for p in default_contacts(conference)] == []


def test_the_follow_up_page_proposes_the_griffie(world, conference):
    from django.urls import reverse

    griffie("GM1699", "griffie@noordenveld.nl")
    url = reverse("followup:manage", args=[conference.slug])
    html = world["organiser"].get(url).content.decode()
    assert "De griffie van elke gemeente" in html and "Griffie Noordenveld, griffie@noordenveld.nl" in html
    response = world["organiser"].post(
        reverse("followup:manage_action", args=[conference.slug]), {"action": "add-proposed"}
    )
    assert response.status_code == 302
    assert UpdateContact.objects.get(email="griffie@noordenveld.nl").source == UpdateContact.Source.GRIFFIE
    assert world["organiser of another event"].get(url).status_code == 404
