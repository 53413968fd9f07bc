"""A change of choices after publishing goes through the late-change rules (issue 13, point 6; docs/assignment.md).

Her new ranking is applied to the seats still free (her own among them); a changed programme is shown on her
personal page and mailed (checked at a real SMTP server); a change that cannot be met says so.
"""

import pytest
from django.urls import reverse

from werkconferentie.assignment import runs
from werkconferentie.events.models import WorkshopSession
from werkconferentie.outbox.mailing import send_due
from werkconferentie.registration import signup
from werkconferentie.registration.links import personal_token

from .helpers import SLUGS, register

pytestmark = pytest.mark.django_db


def ranking_form(event, slugs):
    return {f"choice_{n}": slug for n, slug in enumerate(slugs, start=1)}


def titles(run, person):
    return [p.session.workshop.slug for p in runs.programme_of(run, person)]


@pytest.fixture
def published(open_event):
    people = [register(open_event, n, ranking=SLUGS) for n in range(3)]
    run = runs.run_engine(open_event)
    runs.publish(run)
    return run, people


def test_before_publishing_the_page_says_the_programme_comes_later(open_event, client):
    person = register(open_event, 1, ranking=SLUGS)
    page = client.get(reverse("registration:manage", args=[personal_token(person)])).content.decode()
    assert "zodra de workshops zijn ingedeeld" in page


def test_a_change_after_publishing_gives_the_new_programme_shown_and_mailed(open_event, published, client, smtp_server):
    run, (anouk, *_others) = published
    assert titles(run, anouk) == SLUGS[:2]
    url = reverse("registration:manage", args=[personal_token(anouk)])
    page = client.get(url).content.decode()
    assert "zodra de workshops zijn ingedeeld" not in page
    assert "Zaal" in page and "<table" in page  # her programme, with rooms, on her page

    send_due()
    before = len(smtp_server.messages)
    new = [SLUGS[2], SLUGS[0], SLUGS[1]]
    response = client.post(url, ranking_form(open_event, new), follow=True)
    page = response.content.decode()
    assert titles(run, anouk) == [SLUGS[2], SLUGS[0]]
    assert "uw programma hieronder is veranderd" in page
    third = open_event.workshops.get(slug=SLUGS[2])
    section = page[page.index('id="programme"') : page.index('id="choices"')]
    assert third.title_nl in section  # her new programme is what the page shows
    send_due()
    (mail,) = smtp_server.messages[before:]
    assert mail["To"] == anouk.email
    assert third.title_nl in mail.get_body(("plain",)).get_content()
    assert [p.source for p in runs.programme_of(run, anouk)] == ["late", "late"]


def test_a_change_that_cannot_be_met_keeps_her_programme_and_says_why(open_event, published, client, smtp_server):
    run, (anouk, *_others) = published
    full = WorkshopSession.objects.filter(workshop__slug=SLUGS[2])
    for session in full:
        session.capacity = run.placements.filter(session=session).count()
        session.save()
    send_due()
    before = len(smtp_server.messages)
    url = reverse("registration:manage", args=[personal_token(anouk)])
    page = client.post(url, ranking_form(open_event, [SLUGS[2], SLUGS[0], SLUGS[1]]), follow=True).content.decode()
    assert "Uw programma blijft hetzelfde" in page
    assert titles(run, anouk) == SLUGS[:2]
    send_due()
    assert smtp_server.messages[before:] == []  # nothing changed, nothing mailed


def test_a_pinned_round_stays(open_event, published):
    run, (anouk, *_others) = published
    first = runs.programme_of(run, anouk)[0]
    runs.Pin.objects.create(registration=anouk, round_id=first.round_id, session=first.session)
    workshops = {w.slug: w for w in open_event.workshops.all()}
    signup.change_preferences(anouk, [workshops[SLUGS[2]], workshops[SLUGS[1]]])
    assert titles(run, anouk)[0] == SLUGS[0]
