"""Checking someone in from the search results by keyboard keeps the focus where the button was, and the result
is said (issue 13.21): the button is replaced by "Binnen sinds ..." and that text gets the focus."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from werkconferentie.events.examples import example_event_file
from werkconferentie.events.loading import load_event_file
from werkconferentie.reference.models import Municipality
from werkconferentie.registration import signup
from werkconferentie.registration.enums import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_check_in_by_keyboard_keeps_the_focus_and_says_the_result(live_server, new_page, axe_check):
    from registration.factories import PASSWORD, UserFactory

    event = load_event_file(example_event_file()).event
    event.registration_opens = None
    event.registration_closes = timezone.now() + dt.timedelta(days=30)
    event.save()
    for name in ("Anouk de Vries", "Bram Bakker"):
        signup.register(
            event,
            signup.SignupData(
                name=name,
                email=f"{name.split()[0].lower()}@example.org",
                role=Role.COUNCIL_MEMBER,
                municipality=Municipality.objects.get(pk="GM1730"),
                preferences=list(event.workshops.order_by("number"))[:2],
            ),
        )
    user = UserFactory(username="organisator", organiser_of=[event])
    page = new_page()
    target = f"{live_server.url}/beheer-dag/{event.slug}/inchecken/?q=Anouk"
    page.goto(f"{live_server.url}/beheer/login/?next=/beheer-dag/{event.slug}/inchecken/%3Fq%3DAnouk")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    if page.url != target:
        page.goto(target)
    button = page.get_by_role("button", name="Inchecken Anouk de Vries")
    for _ in range(80):
        if button.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    done = page.locator(".wc-in", has_text="Binnen sinds")
    expect(done).to_be_focused()  # not <body>
    expect(page.locator("#wc-result")).not_to_be_empty()
    expect(page.locator("#wc-result")).to_have_attribute("role", "status")
    axe_check(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
