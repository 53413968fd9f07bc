"""Reflow (WCAG 1.4.10) and text spacing on the public pages: at 320 px, and with text at 200 % on a phone, no page
scrolls sideways; and the layout faults a trial run found (a bullet over the text, an empty band above a card's
title, no icon)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from werkconferentie.assignment import runs
from werkconferentie.events.examples import example_event_file
from werkconferentie.events.loading import load_event_file
from werkconferentie.live.boards import ensure_boards, set_open
from werkconferentie.live.enums import BoardKind
from werkconferentie.reference.models import Municipality
from werkconferentie.registration import links, signup
from werkconferentie.registration.enums import Role

from .test_backoffice import UNNAMED_SCROLL_BOXES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_EMAIL = "burgemeester.van.de.gemeente.midden-drenthe.en.omstreken@gemeente-midden-drenthe.example.org"


@pytest.fixture
def site(live_server, settings):
    event = load_event_file(example_event_file()).event
    event.date = timezone.localdate() + dt.timedelta(days=30)  # host links and boards work until the event
    event.registration_opens = None
    event.registration_closes = None
    event.save()
    settings.SITE_URL = live_server.url
    workshops = list(event.workshops.order_by("number"))
    person = signup.register(
        event,
        signup.SignupData(
            name="Gerdina Hoogeveen-Kinderrechtenambassadeursvergadering",
            email=LONG_EMAIL,
            role=Role.MAYOR,
            municipality=Municipality.objects.get(pk="GM1699"),
            preferences=workshops,
        ),
    ).registration
    runs.publish(runs.run_engine(event))
    boards = [set_open(board, True) for board in ensure_boards(event)]
    workshop_board = next(b for b in boards if b.kind == BoardKind.WORKSHOP)
    children_board = next(b for b in boards if b.kind == BoardKind.CHILDREN)
    token = links.personal_token(person)
    return {
        "url": live_server.url,
        "event": event,
        "pages": [
            "/conferenties/roden-2022/",
            "/conferenties/roden-2022/programma/",
            "/conferenties/roden-2022/workshops/",
            "/conferenties/roden-2022/workshops/diversiteit/",
            reverse("registration:register", args=[event.slug]),
            reverse("registration:thanks", args=[event.slug]),
            reverse("registration:manage", args=[token]),
            reverse("registration:cancel", args=[token]),
            reverse("assignment:programme", args=[token]),
            "/privacy/",
            "/over/",
            "/kinderrechten/",
            "/kinderrechten/artikel/12/",
            "/kinderrechten/sdg/16/",
            "/kinderrechten/gemeenten/",
            "/doe-mee/",
            reverse("live:board", args=[workshop_board.code]),
            reverse("live:children", args=[children_board.code]),
            "/bestaat-niet/",
        ],
    }


def thanks_session(site) -> dict:
    """The thank-you page shows the address just registered: a session that holds the long one."""
    client = Client()
    session = client.session
    session["registration.thanks"] = LONG_EMAIL
    session.save()
    return {"name": "sessionid", "value": session.session_key, "url": site["url"]}


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("text_size", ["100%", "200%"])
def test_no_public_page_scrolls_sideways_at_320_px(site, new_page, text_size):
    """With 200 % text on a phone almost every page scrolled sideways (the site name, the card grid's fixed minimum,
    long compound words); the thank-you page with a long e-mail address was 445 px wide."""
    page = new_page(viewport={"width": 320, "height": 640})
    page.context.add_cookies([thanks_session(site)])
    wide = []
    for path in site["pages"]:
        page.goto(site["url"] + path)
        if text_size != "100%":
            # What a phone's text-size setting does: every size in rem and em grows with the root's.
            page.evaluate(f"document.documentElement.style.fontSize = '{text_size}'")
        if (extra := overflow(page)) > 0:
            wide.append(f"{path}: {extra}px too wide")
        # What does scroll (a wide timetable) is a box keyboard users can focus and screen readers can name.
        if unnamed := page.evaluate(UNNAMED_SCROLL_BOXES):
            wide.append(f"{path}: scroll boxes without tabindex, role or name: {unnamed}")
    assert not wide, "\n".join(wide)


def test_layout_faults_of_the_trial_run(site, new_page):
    page = new_page()
    page.goto(site["url"] + "/kinderrechten/artikel/12/")
    # The "other articles" list is a row of links: no list bullets drawn over the first link's text.
    markers = page.locator("nav ul.actions li").evaluate_all(
        "items => items.map(li => getComputedStyle(li).listStyleType)"
    )
    assert markers and set(markers) == {"none"}, markers

    page.goto(site["url"] + "/conferenties/roden-2022/workshops/")
    gaps = page.locator(".card").evaluate_all(
        """cards => cards.map(card => card.firstElementChild.getBoundingClientRect().top
                                      - card.getBoundingClientRect().top)"""
    )
    assert gaps and max(gaps) <= 20, f"space above the titles: {gaps}"  # the card's padding and border, no band

    # An icon, linked from every page (no 404 for /favicon.ico in the server's log).
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(site["url"] + icon).ok
    assert page.request.get(site["url"] + "/favicon.ico").ok
