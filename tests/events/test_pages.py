"""Public pages: every fact of the invitation on the event and programme pages, in Dutch and in English."""

import datetime as dt
import json

import icalendar
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Facts of the invitation that read the same in both languages.
SHARED_FACTS = [
    "13:00",
    "17:00",
    "13:30",
    "13:35",
    "14:15",
    "15:00",
    "15:05",
    "15:50",
    "16:00",
    "16:20",
    "16:45",
    "Health Hub",
    "1e Energieweg 13",
    "9301 LK",
    "Roden",
    "Fenna Bolding",
    "CMO STAMM",
    "Huri Sahin",
    "Anita van der Noord",
    "Politiek Netwerk Drenthe",
    "Margrite Kalverboer",
    "Maartje Berger",
    "Defence for Children",
    "Pauline van der Loo",
    "Jantje Beton",
    "Ruimte voor de Jeugd",
    "Frank Speel",
    "VNG",
    "Kinderrechtencollectief",
    "info@politieknetwerkdrenthe.nl",
    "kinderrechten.nl/gemeente",
]
DUTCH_FACTS = [
    "Mini-werkconferentie Kinderrechten",
    "22 april 2022",
    "Duurzame ontwikkeling met de toekomstige generaties",
    "Inloop",
    "Welkom",
    "dagvoorzitter",
    "vm. lid Eerste Kamer",
    "Inleiding",
    "Call to action",
    "Workshopronde 1",
    "Workshopronde 2",
    "Rondetafelgesprek met kinderen en jongeren",
    "Kinderombudsvrouw",
    "Het belang van het kind in het gemeentelijk beleid",
    "Opbrengst workshops en het aanbieden van een raadsadres aan de Nederlandse Vereniging voor Raadsleden",
    "Einde programma",
    "Betekenisvolle participatie",
    "Kinderen en Omgeving",
    "Diversiteit: Hoe betrek je jongeren die moeilijk te bereiken zijn?",
    "Wat wil je als burgemeester, wethouder, beleidsmaker, raads- en statenlid en jeugdhulpverlener op dit "
    "terrein geregeld hebben op 20 november 2022?",
    "20 november 2022",
    "Internationale Dag voor de Rechten van het Kind",
    "Toch zijn ook nog steeds gemeenten zoekende naar hoe zij kinderrechten kunnen borgen.",
    "De Kinderombudsman",
    "Nederlandse Vereniging voor Raadsleden",
]
# The event page carries these; the programme page need not.
EVENT_PAGE_ONLY = {
    "info@politieknetwerkdrenthe.nl",
    "kinderrechten.nl/gemeente",
    "Kinderrechtencollectief",
    "De Kinderombudsman",
    "Toch zijn ook nog steeds gemeenten zoekende naar hoe zij kinderrechten kunnen borgen.",
    "1e Energieweg 13",
    "9301 LK",
}
ENGLISH_FACTS = [
    "Mini work conference on children&#x27;s rights",
    "22 April 2022",
    "Sustainable development with the future generations",
    "Walk-in",
    "chair of the day",
    "former member of the Senate",
    "Introduction",
    "Call to action",
    "Workshop round 1",
    "Workshop round 2",
    "Round-table conversation with children and young people",
    "Children&#x27;s Ombudswoman",
    "The best interests of the child in municipal policy",
    "presentation of a raadsadres",
    "End of programme",
    "Meaningful participation",
    "Children and their environment",
    "Diversity: how do you involve young people who are hard to reach?",
    "what do you want to have arranged in this field by 20 November 2022?",
    "20 November 2022",
    "International Day of the Rights of the Child",
]


def english_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_fact_of_the_invitation_on_event_and_programme_pages(roden, client, language):
    client = english_client() if language == "en" else client
    facts = SHARED_FACTS + (DUTCH_FACTS if language == "nl" else ENGLISH_FACTS)
    event_page = page_text(client, reverse("events:detail", args=[roden.slug]))
    programme_page = page_text(client, reverse("events:programme", args=[roden.slug]))
    assert f'<html lang="{language}">' in event_page
    assert [fact for fact in facts if fact not in event_page] == []
    programme_facts = [fact for fact in facts if fact not in EVENT_PAGE_ONLY]
    assert [fact for fact in programme_facts if fact not in programme_page] == []


def test_dutch_is_the_default_even_for_an_english_browser(roden, client):
    page = client.get(roden.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="nl">' in page and "Aanmelden" in page


def test_language_switch_sets_english(roden, client):
    response = client.post(reverse("set_language"), {"language": "en", "next": roden.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == roden.get_absolute_url()
    assert '<html lang="en">' in client.get(roden.get_absolute_url()).content.decode()


def test_home_goes_to_the_only_event(roden, client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == roden.get_absolute_url()


def test_workshop_pages(roden, client):
    for workshop in roden.workshops.all():
        page = page_text(client, workshop.get_absolute_url())
        assert workshop.title_nl in page
        assert "Zaal" in page and "25 plaatsen" in page
        assert workshop.hosts.get().name in page
    assert page_text(client, reverse("events:workshops", args=[roden.slug])).count("card") >= 3


@pytest.mark.parametrize(
    "url",
    [
        "/conferenties/bestaat-niet/",
        "/conferenties/roden-2022/workshops/bestaat-niet/",
        "/conferenties/bestaat-niet/programma.ics",
    ],
)
def test_unknown_pages_are_404(roden, client, url):
    assert client.get(url).status_code == 404


def test_unpublished_event_is_hidden(roden, client):
    roden.published = False
    roden.save()
    assert client.get(roden.get_absolute_url()).status_code == 404
    assert client.get("/api/events/roden-2022").status_code == 404


def test_event_pages_do_not_query_per_row(roden, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        client.get(roden.get_absolute_url())
    with django_assert_max_num_queries(8):
        client.get(reverse("events:programme", args=[roden.slug]))


def calendar_events(content: bytes) -> list:
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar.walk("VTIMEZONE"), "the file carries its time zone"
    return calendar.walk("VEVENT")


def test_event_ics(roden, client):
    response = client.get(reverse("events:event_ics", args=[roden.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    (vevent,) = calendar_events(response.content)
    start = vevent.decoded("dtstart")
    assert start == dt.datetime(2022, 4, 22, 13, 0, tzinfo=roden.tzinfo)
    assert str(start.tzinfo) == "Europe/Amsterdam"
    assert vevent.decoded("dtend").hour == 17
    assert "Health Hub" in str(vevent["location"]) and "Roden" in str(vevent["location"])
    assert "Mini-werkconferentie Kinderrechten" in str(vevent["summary"])


def test_programme_ics(roden, client):
    vevents = calendar_events(client.get(reverse("events:programme_ics", args=[roden.slug])).content)
    starts = [(v.decoded("dtstart").strftime("%H:%M"), v.decoded("dtend").strftime("%H:%M")) for v in vevents]
    assert starts == [
        ("13:00", "13:30"),
        ("13:30", "13:35"),
        ("13:35", "14:15"),
        ("14:15", "15:00"),
        ("15:05", "15:50"),
        ("16:00", "16:20"),
        ("16:20", "16:45"),
        ("16:45", "17:00"),
    ]
    assert all(str(v.decoded("dtstart").tzinfo) == "Europe/Amsterdam" for v in vevents)
    assert len({str(v["uid"]) for v in vevents}) == len(vevents)


def test_programme_ics_in_english(roden):
    vevents = calendar_events(english_client().get(reverse("events:programme_ics", args=[roden.slug])).content)
    assert str(vevents[0]["summary"]) == "Walk-in"


def test_api_list_and_detail(roden, client):
    listing = client.get("/api/events/").json()
    assert [event["slug"] for event in listing] == ["roden-2022"]
    detail = client.get("/api/events/roden-2022").json()
    assert detail["capacity"] == 70 and detail["seats_left"] == 70
    assert [w["slug"] for w in detail["workshops"]] == [
        "betekenisvolle-participatie",
        "kinderen-en-omgeving",
        "diversiteit",
    ]
    assert len(detail["rounds"]) == 2 and len(detail["sessions"]) == 6
    assert all(session["capacity"] == 25 for session in detail["sessions"])
    assert detail["programme"][0]["start"] == "2022-04-22T13:00:00+02:00"
    assert detail["central_question"]["nl"].startswith("Wat wil je als burgemeester")
    assert client.get("/api/events/bestaat-niet").status_code == 404


def test_openapi_schema(client):
    schema = json.loads(client.get("/api/openapi.json").content)
    assert "/api/events/" in schema["paths"] and "/api/events/{slug}" in schema["paths"]


def test_the_page_never_gives_a_closing_date_after_the_conference(roden, client):
    """The demo opened registration for the 2022 example until 2027: "tot 5 december 2027" for 22 April 2022."""
    from django.utils import timezone, translation
    from django.utils.formats import date_format as django_date_format

    def date_format(value, fmt):
        with translation.override("nl"):
            return django_date_format(timezone.localtime(value) if isinstance(value, dt.datetime) else value, fmt)

    roden.registration_opens = None
    roden.registration_closes = timezone.now() + dt.timedelta(days=365)
    roden.save()
    page = client.get(roden.get_absolute_url()).content.decode()
    assert "Aanmelden kan tot" not in page and str(timezone.now().year + 1) not in page
    assert "Deze conferentie was op 22 april 2022. Aanmelden blijft open als demonstratie" in page

    # A conference still to come, with a closing time after its start: the start is the last day shown.
    roden.date = timezone.localdate() + dt.timedelta(days=60)
    roden.save()
    page = client.get(roden.get_absolute_url()).content.decode()
    start = date_format(roden.date, "j F Y")
    assert f"Aanmelden kan tot {start}." in page and "als demonstratie" not in page

    roden.registration_closes = roden.starts_at - dt.timedelta(days=7)
    roden.save()
    page = client.get(roden.get_absolute_url()).content.decode()
    assert f"Aanmelden kan tot {date_format(roden.registration_closes, 'j F Y')}." in page
