"""Every choice in the back office is limited to what the user organises, and the server checks it (issue 14.2)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from werkconferentie.events.models import Event, ProgrammeItem, Round, Speaker, Workshop, WorkshopSession

from .test_admin import make_user

pytestmark = pytest.mark.django_db


class FormValues(HTMLParser):
    """The values a browser would submit for the admin's change form (inputs, checked boxes, selected options)."""

    def __init__(self):
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.values.append((name, attrs.get("value") or ("on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.append((name, ""))

    def handle_data(self, data):
        if self._textarea:
            self.values[-1] = (self._textarea, self.values[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None


def form_data(page: str) -> dict:
    parser = FormValues()
    parser.feed(page)
    data: dict = {}
    for name, value in parser.values:
        if "__prefix__" in name or name == "csrfmiddlewaretoken":
            continue
        data.setdefault(name, []).append(value)
    return data


@pytest.fixture
def foreign_round(other_event):
    return Round.objects.create(
        event=other_event, key="r1", number=1, title_nl="Ronde Assen", start_time="13:30", end_time="14:30"
    )


@pytest.fixture
def foreign_speaker(other_event):
    return Speaker.objects.create(event=other_event, key="piet", name="Piet uit Assen")


def workshop_add(event, **extra):
    data = {
        "event": event.pk,
        "number": 99,
        "slug": "ingeschoven",
        "title_nl": "Ingeschoven workshop",
        "title_en": "",
        "theme_nl": "",
        "theme_en": "",
        "description_nl": "",
        "description_en": "",
        "sessions-TOTAL_FORMS": 0,
        "sessions-INITIAL_FORMS": 0,
        "sessions-MIN_NUM_FORMS": 0,
        "sessions-MAX_NUM_FORMS": 1000,
    }
    data.update(extra)
    return data


def test_workshop_add_form_offers_only_the_organisers_own_events_and_their_parts(
    roden, other_event, foreign_round, foreign_speaker, client
):
    client.force_login(make_user("anita", organiser_of=[roden]))
    page = client.get(reverse("admin:events_workshop_add")).content.decode()
    assert "Werkconferentie Assen" not in page and "Ronde Assen" not in page and "Piet uit Assen" not in page
    assert roden.title_nl in page


def test_workshop_add_refuses_another_events_round_host_and_event(
    roden, other_event, foreign_round, foreign_speaker, client
):
    client.force_login(make_user("anita", organiser_of=[roden]))
    url = reverse("admin:events_workshop_add")
    attempts = [
        workshop_add(other_event),
        workshop_add(roden, hosts=[foreign_speaker.pk]),
        workshop_add(
            roden,
            **{
                "sessions-TOTAL_FORMS": 1,
                "sessions-0-round": foreign_round.pk,
                "sessions-0-room": "Zaal",
                "sessions-0-capacity": 20,
            },
        ),
    ]
    for data in attempts:
        response = client.post(url, data)
        assert response.status_code == 200, data  # the form again, with its error
    assert not Workshop.objects.filter(slug="ingeschoven").exists()
    assert not WorkshopSession.objects.filter(round=foreign_round).exists()
    # The same form with the event's own round is accepted: the refusals above were about the choices.
    own_round = roden.rounds.first()
    data = workshop_add(
        roden,
        **{
            "sessions-TOTAL_FORMS": 1,
            "sessions-0-round": own_round.pk,
            "sessions-0-room": "Zaal",
            "sessions-0-capacity": 20,
        },
    )
    assert client.post(url, data).status_code == 302
    assert WorkshopSession.objects.filter(workshop__slug="ingeschoven", round=own_round).exists()


def test_an_organiser_of_two_events_cannot_mix_them_in_one_workshop(roden, other_event, foreign_speaker, client):
    client.force_login(make_user("anita", organiser_of=[roden, other_event]))
    response = client.post(reverse("admin:events_workshop_add"), workshop_add(roden, hosts=[foreign_speaker.pk]))
    assert response.status_code == 200
    assert not Workshop.objects.filter(slug="ingeschoven").exists()


def test_programme_item_inline_refuses_another_events_round(roden, other_event, foreign_round, client):
    client.force_login(make_user("anita", organiser_of=[roden]))
    url = reverse("admin:events_event_change", args=[roden.pk])
    page = client.get(url).content.decode()
    assert "Ronde Assen" not in page
    data = form_data(page)
    item = ProgrammeItem.objects.filter(event=roden).order_by("pk").first()
    index = next(i for i in range(100) if data.get(f"programme-{i}-id") == [str(item.pk)])
    data[f"programme-{index}-round"] = [str(foreign_round.pk)]
    response = client.post(url, data)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.round_id != foreign_round.pk
    # The unchanged form saves: the refusal was the round.
    data[f"programme-{index}-round"] = [""]
    assert client.post(url, data).status_code == 302


def test_organiser_widget_lists_only_co_organisers(roden, other_event, client):
    anita = make_user("anita", organiser_of=[roden])
    make_user("karel-van-assen", organiser_of=[other_event])
    client.force_login(anita)
    url = reverse("admin:events_event_change", args=[roden.pk])
    page = client.get(url).content.decode()
    assert "karel-van-assen" not in page and "anita" in page
    karel = Event.objects.get(pk=other_event.pk).organisers.get()
    data = form_data(page)
    data["organisers"] = [str(anita.pk), str(karel.pk)]
    assert client.post(url, data).status_code == 200
    assert list(roden.organisers.all()) == [anita]


def test_superuser_still_chooses_among_all_events(roden, other_event, client):
    client.force_login(make_user("root", superuser=True))
    page = client.get(reverse("admin:events_workshop_add")).content.decode()
    assert "Werkconferentie Assen" in page and roden.title_nl in page
