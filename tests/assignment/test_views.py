"""The personal programme behind the signed link: the page and the .ics, before and after publishing."""

import icalendar
import pytest
from django.urls import reverse

from werkconferentie.assignment import runs
from werkconferentie.registration import links, signup

from .helpers import SLUGS, register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english(client):
    """The texts below are the English ones (the Dutch come from the catalogue)."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def person(open_event):
    people = [register(open_event, n, SLUGS[n % 3 :] + SLUGS[: n % 3]) for n in range(6)]
    return people[0]


def urls(registration):
    token = links.personal_token(registration)
    return reverse("assignment:programme", args=[token]), reverse("assignment:programme_ics", args=[token])


def test_not_yet_published(client, open_event, person):
    page, ics = urls(person)
    runs.run_engine(open_event)  # a run that is not published shows nothing
    response = client.get(page)
    assert response.status_code == 200
    assert "have not been assigned yet" in response.content.decode()
    calendar = icalendar.Calendar.from_ical(client.get(ics).content)
    assert len(calendar.walk("VEVENT")) == 1  # the conference itself


def test_published_programme_page_and_calendar(client, open_event, person, django_assert_max_num_queries):
    run = runs.run_engine(open_event)
    runs.publish(run)
    page, ics = urls(person)
    with django_assert_max_num_queries(8):
        response = client.get(page)
    body = response.content.decode()
    for placement in runs.programme_of(run, person):
        workshop = placement.session.workshop
        assert (workshop.title_en or workshop.title_nl) in body and placement.session.room in body
    assert "14:" in body or "13:" in body or "15:" in body
    response = client.get(ics)
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert len(summaries) == 3
    assert {p.session.workshop.title_en or p.session.workshop.title_nl for p in runs.programme_of(run, person)} <= {
        s.split(" (")[0] for s in summaries
    }


def test_the_page_follows_the_site_language(client, open_event, person):
    runs.publish(runs.run_engine(open_event))
    page, _ics = urls(person)
    client.cookies["django_language"] = "en"
    response = client.get(page, headers={"accept-language": "en"})
    assert "Your programme" in response.content.decode()
    assert response.wsgi_request.LANGUAGE_CODE == "en"


def test_the_manage_page_links_to_the_programme(client, person):
    token = links.personal_token(person)
    response = client.get(reverse("registration:manage", args=[token]))
    # The same token (it carries a time stamp of a second's resolution, so it is not made again here).
    page, ics = reverse("assignment:programme", args=[token]), reverse("assignment:programme_ics", args=[token])
    assert page in response.content.decode() and ics in response.content.decode()


def test_a_bad_link_is_not_found(client, person):
    token = links.personal_token(person)[:-2] + "xx"
    for name in ("assignment:programme", "assignment:programme_ics"):
        response = client.get(reverse(name, args=[token]))
        assert response.status_code == 404
        assert "Deelnemer" not in response.content.decode()


def test_no_seat_no_programme(client, open_event, person):
    runs.publish(runs.run_engine(open_event))
    signup.cancel(person)
    page, ics = urls(person)
    assert "no seat" in client.get(page).content.decode()
    assert len(icalendar.Calendar.from_ical(client.get(ics).content).walk("VEVENT")) == 1
