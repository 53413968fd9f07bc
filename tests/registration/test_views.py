"""The sign-up form and the personal page, through Django's test client."""

import json
import re

import pytest
from django.urls import reverse

from werkconferentie.outbox.mailing import render_pending
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.registration.enums import Status
from werkconferentie.registration.links import personal_url
from werkconferentie.registration.models import Registration

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    values = {
        "name": "Anouk de Vries",
        "email": "anouk@tynaarlo.nl",
        "role": "raadslid",
        "municipality": "Tynaarlo",
        "choice_1": "diversiteit",
        "choice_2": "betekenisvolle-participatie",
        "choice_3": "",
        "dietary_needs": "vegetarisch",
        "consent": "on",
        "website": "",
    }
    values.update(overrides)
    return values


def register_url(event):
    return reverse("registration:register", args=[event.slug])


def test_form_is_offered_on_the_event_page(open_event, client):
    page = client.get(open_event.get_absolute_url()).content.decode()
    assert register_url(open_event) in page and "Nu aanmelden" in page
    form = client.get(register_url(open_event)).content.decode()
    assert 'list="gemeenten"' in form and '<option value="Tynaarlo">' in form
    assert "Keuze 1" in form and "Burgemeester" in form


def test_register_through_the_form(open_event, client):
    response = client.post(register_url(open_event), form_data())
    assert response.status_code == 302 and response["Location"].endswith("/aanmelden/bedankt/")
    thanks = client.get(response["Location"]).content.decode()
    assert "anouk@tynaarlo.nl" in thanks and "U hebt een plaats" in thanks
    registration = Registration.objects.get()
    assert registration.municipality_id == "GM1730" and registration.role == "raadslid"
    assert [w.slug for w in registration.ranked_workshops()] == ["diversiteit", "betekenisvolle-participatie"]
    assert registration.language == "nl" and registration.dietary_needs == "vegetarisch"


def test_english_visitor_registers_in_english(open_event, client):
    client.cookies["django_language"] = "en"
    client.post(register_url(open_event), form_data(municipality="GM0106"))
    registration = Registration.objects.get()
    assert registration.language == "en" and registration.municipality.name == "Assen"
    render_pending()
    assert OutboxMessage.objects.get().subject.startswith("You are registered")


def test_second_attempt_looks_the_same_to_the_browser(open_event, client):
    first = client.post(register_url(open_event), form_data())
    second = client.post(register_url(open_event), form_data(name="Iemand"))
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Registration.objects.count() == 1
    assert OutboxMessage.objects.filter(recipient="anouk@tynaarlo.nl").count() == 2


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"name": ""}, "name", "verplicht"),
        ({"email": "geen-adres"}, "email", "geldig e-mailadres"),
        ({"municipality": "Atlantis"}, "municipality", "Kies een gemeente uit de lijst"),
        ({"municipality": "Bergen"}, "municipality", "Bergen (L.), Bergen (NH.)"),
        ({"municipality": "", "organisation": ""}, "municipality", "Kies uw gemeente"),
        ({"role": "koning"}, "role", "geldige keuze"),
        ({"role": "anders"}, "role_other", "Beschrijf uw rol"),
        ({"choice_2": "diversiteit"}, "choice_2", "één keer"),
        ({"choice_1": "bestaat-niet"}, "choice_1", "geldige keuze"),
        ({"consent": ""}, "consent", "toestemming"),
        ({"name": "x" * 201}, "name", "200"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(open_event, client, overrides, field, message):
    response = client.post(register_url(open_event), form_data(**overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kijk deze velden na" in page and message in page
    assert f'href="#id_{field}' in page
    assert Registration.objects.count() == 0 and OutboxMessage.objects.count() == 0


def test_the_village_someone_lives_in_gives_her_municipality(open_event, client):
    client.post(register_url(open_event), form_data(municipality="Roden"))
    assert Registration.objects.get().municipality.name == "Noordenveld"


def test_organisation_instead_of_municipality(open_event, client):
    client.post(
        register_url(open_event), form_data(municipality="", organisation="Provincie Drenthe", role="statenlid")
    )
    registration = Registration.objects.get()
    assert registration.municipality is None and registration.organisation == "Provincie Drenthe"


def test_honeypot_pretends_and_saves_nothing(open_event, client):
    response = client.post(register_url(open_event), form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert Registration.objects.count() == 0 and OutboxMessage.objects.count() == 0


def test_closed_registration(roden, client):
    assert "De aanmelding is gesloten" in client.get(register_url(roden)).content.decode()
    response = client.post(register_url(roden), form_data())
    assert response.status_code == 409 and Registration.objects.count() == 0


def registered(client, event, **overrides) -> Registration:
    client.post(register_url(event), form_data(**overrides))
    return Registration.objects.get(email=overrides.get("email", "anouk@tynaarlo.nl"))


def test_personal_page_shows_and_changes_preferences(open_event, client):
    registration = registered(client, open_event)
    url = personal_url(registration, absolute=False)
    page = client.get(url).content.decode()
    assert "Anouk de Vries" in page and "U hebt een plaats." in page
    response = client.post(url, {"choice_1": "kinderen-en-omgeving", "choice_2": "", "choice_3": ""})
    assert response.status_code == 302
    assert "bewaard" in client.get(response["Location"]).content.decode()
    assert [w.slug for w in registration.ranked_workshops()] == ["kinderen-en-omgeving"]
    bad = client.post(url, {"choice_1": "diversiteit", "choice_2": "diversiteit"})
    assert bad.status_code == 400
    assert [w.slug for w in registration.ranked_workshops()] == ["kinderen-en-omgeving"]


def test_cancel_by_link_gives_the_seat_to_the_waiting_list(open_event, client):
    open_event.capacity = 1
    open_event.save()
    first = registered(client, open_event)
    second = registered(client, open_event, email="bram@assen.nl", municipality="Assen")
    assert second.status == Status.WAITLISTED
    assert "nummer 1 op de wachtlijst" in client.get(personal_url(second, absolute=False)).content.decode()
    cancel_url = reverse("registration:cancel", args=[personal_url(first, absolute=False).split("/")[-2]])
    assert "Ja, meld mij af" in client.get(cancel_url).content.decode()
    client.post(cancel_url)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.CANCELLED and second.status == Status.CONFIRMED
    assert "Afgemeld." in client.get(personal_url(first, absolute=False)).content.decode()


def test_data_download(open_event, client):
    registration = registered(client, open_event)
    token = personal_url(registration, absolute=False).split("/")[-2]
    response = client.get(reverse("registration:data", args=[token]))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert "Anouk de Vries" in json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("token", ["onzin", "a" * 40, "WzEsInh4eCJd:1abc:abcdefghijklmnop"])
def test_bad_links_are_404_with_an_explanation(open_event, client, token):
    response = client.get(reverse("registration:manage", args=[token]))
    assert response.status_code == 404 and "Deze link werkt niet" in response.content.decode()


def test_other_persons_token_cannot_be_made_from_mine(open_event, client):
    mine = registered(client, open_event)
    registered(client, open_event, email="bram@assen.nl", municipality="Assen")
    token = personal_url(mine, absolute=False).split("/")[-2]
    forged = re.sub(r"^[^:]+", "x", token)
    assert client.get(reverse("registration:manage", args=[forged])).status_code == 404
    assert "bram@assen.nl" not in client.get(reverse("registration:manage", args=[token])).content.decode()


def test_an_english_registrant_gets_her_personal_pages_in_english(open_event, client):
    """She registered in English and opens her link from the mail on another device: no language cookie there."""
    from django.test import Client

    client.cookies["django_language"] = "en"
    client.post(register_url(open_event), form_data(municipality="GM0106"))
    registration = Registration.objects.get()
    url = personal_url(registration, absolute=False)
    elsewhere = Client()
    page = elsewhere.get(url)
    assert page.wsgi_request.LANGUAGE_CODE == "en" and '<html lang="en"' in page.content.decode()
    assert "You have a seat." in page.content.decode()
    for path in (url + "afmelden/", reverse("assignment:programme", args=[url.split("/")[2]])):
        assert elsewhere.get(path).wsgi_request.LANGUAGE_CODE == "en", path
    # The language switch still wins; other pages stay Dutch first; a Dutch registrant gets Dutch.
    elsewhere.cookies["django_language"] = "nl"
    assert elsewhere.get(url).wsgi_request.LANGUAGE_CODE == "nl"
    assert Client().get(open_event.get_absolute_url()).wsgi_request.LANGUAGE_CODE == "nl"
    registration.language = "nl"
    registration.save()
    assert Client().get(url).wsgi_request.LANGUAGE_CODE == "nl"
    assert Client().get("/aanmelding/vervalst/").status_code == 404
