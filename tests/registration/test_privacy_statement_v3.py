"""The privacy statement per conference (issue 13, point 8): controller, contact and retention from the event,
the legal basis (AVG article 13), no literal code; and a participant changes her own details on her page."""

import datetime as dt

import pytest
from django.urls import reverse

from assignment.helpers import SLUGS, register
from werkconferentie.events.eventfile import parse_event_file
from werkconferentie.registration import privacy, signup
from werkconferentie.registration.links import personal_token
from werkconferentie.registration.models import PrivacyStatement, Registration

pytestmark = pytest.mark.django_db


def test_the_conference_page_names_controller_contact_and_retention_from_the_event(client, open_event, settings):
    settings.RETENTION_DAYS = 365
    page = client.get(reverse("privacy:event", args=[open_event.slug])).content.decode()
    assert "Politiek Netwerk Drenthe" in page and "info@politieknetwerkdrenthe.nl" in page
    assert "365 dagen na de conferentie, tot 22 april 2023" in page
    open_event.privacy_controller = "Gemeente Noordenveld"
    open_event.privacy_contact = "privacy@noordenveld.nl"
    open_event.retention_days = 30
    open_event.save()
    page = client.get(reverse("privacy:event", args=[open_event.slug])).content.decode()
    assert "Gemeente Noordenveld" in page and "privacy@noordenveld.nl" in page
    assert "30 dagen na de conferentie, tot 22 mei 2022" in page


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_statement_gives_the_legal_basis_and_no_literal_code(client, open_event, language):
    client.cookies["django_language"] = language
    assert PrivacyStatement.current().version >= 3  # later versions add to it (outcomes: what happens with answers)
    page = client.get(reverse("privacy:event", args=[open_event.slug])).content.decode()
    text = page[page.index('class="privacy-text"') :]
    assert "`" not in page and "**" not in text
    assert ("artikel 6, lid 1, onder a" if language == "nl" else "article 6(1)(a)") in text
    assert ("artikel 9, lid 2, onder a" if language == "nl" else "article 9(2)(a)") in text
    assert "Autoriteit Persoonsgegevens" in text
    # It promises only what the personal page does: details and choices can be changed there.
    assert (
        "uw naam, organisatie, wensen, taal en workshopkeuzes veranderen"
        if language == "nl"
        else "change your name, organisation, needs, language and workshop choices"
    ) in text


def test_the_general_page_lists_each_conference_and_the_form_links_the_conference_page(client, open_event):
    page = client.get(reverse("privacy:statement")).content.decode()
    assert reverse("privacy:event", args=[open_event.slug]) in page and "Politiek Netwerk Drenthe" in page
    form = client.get(reverse("registration:register", args=[open_event.slug])).content.decode()
    assert reverse("privacy:event", args=[open_event.slug]) in form


def test_purge_follows_the_events_own_retention(open_event, settings):
    register(open_event, 1, ranking=SLUGS)
    settings.RETENTION_DAYS = 100_000
    assert privacy.events_past_retention() == []
    open_event.retention_days = 30
    open_event.save()
    assert privacy.events_past_retention() == [open_event]
    assert privacy.events_past_retention(today=open_event.date + dt.timedelta(days=30)) == []


def test_the_event_file_carries_the_privacy_fields(example_file):
    data = parse_event_file(open(example_file, encoding="utf-8").read())
    assert data.privacy.controller == "Politiek Netwerk Drenthe"


def test_she_changes_her_name_needs_and_language_on_her_page(client, open_event):
    person = register(open_event, 1, ranking=SLUGS)
    url = reverse("registration:manage", args=[personal_token(person)])
    page = client.get(url).content.decode()
    assert 'name="gegevens-name"' in page and 'name="gegevens-organisation"' not in page  # she came for a town
    response = client.post(
        url,
        {
            "form": "details",
            "gegevens-name": "Anouk de Vriës",
            "gegevens-dietary_needs": "vegetarisch",
            "gegevens-accessibility_needs": "ringleiding",
            "gegevens-language": "en",
        },
    )
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    person.refresh_from_db()
    assert (person.name, person.dietary_needs, person.accessibility_needs, person.language) == (
        "Anouk de Vriës",
        "vegetarisch",
        "ringleiding",
        "en",
    )
    assert person.email == "d1@example.org" and person.municipality_id == "GM1730"
    page = client.get(response["Location"]).content.decode()
    assert "Your details have been saved." in page


def test_someone_from_an_organisation_changes_it_and_an_empty_name_is_refused(client, open_event):
    person = signup.register(
        open_event,
        signup.SignupData(
            name="Ĳsbrand",
            email="ijsbrand@example.org",
            role="jeugdhulpverlener",
            municipality=None,
            organisation="Jeugdzorg Drenthe",
            preferences=[],
        ),
    ).registration
    url = reverse("registration:manage", args=[personal_token(person)])
    data = {
        "form": "details",
        "gegevens-name": "Ĳsbrand Öztürk",
        "gegevens-organisation": "Accare",
        "gegevens-language": "nl",
    }
    assert client.post(url, data).status_code == 302
    assert Registration.objects.get(pk=person.pk).organisation == "Accare"
    response = client.post(url, {**data, "gegevens-name": ""})
    assert response.status_code == 400 and "Kijk deze velden na" in response.content.decode()
    assert Registration.objects.get(pk=person.pk).name == "Ĳsbrand Öztürk"
    signup.cancel(person)
    client.post(url, {**data, "gegevens-name": "Iemand anders"})
    assert Registration.objects.get(pk=person.pk).name == "Ĳsbrand Öztürk"
