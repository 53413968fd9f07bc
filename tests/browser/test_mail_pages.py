"""The organiser writes a message to participants and reads the sent mail in the back office (issue 13, points 9
and 10): by keyboard and mouse, axe-clean in Dutch and English."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assignment.helpers import SLUGS, register
from werkconferentie.events.examples import example_event_file
from werkconferentie.events.loading import load_event_file
from werkconferentie.outbox.mailing import send_due
from werkconferentie.registration.enums import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def conference(live_server, settings):
    event = load_event_file(example_event_file()).event
    event.registration_opens = None
    event.registration_closes = timezone.now() + dt.timedelta(days=30)
    event.save()
    settings.SITE_URL = live_server.url
    register(event, 1, ranking=SLUGS)
    register(event, 2, ranking=SLUGS, language="en", role=Role.ALDERMAN)
    register(event, 3, ranking=SLUGS, role=Role.MAYOR)
    return event


@pytest.fixture
def organiser(conference):
    from registration.factories import PASSWORD, UserFactory

    return UserFactory(username="organisator", organiser_of=[conference]).username, PASSWORD


@pytest.mark.parametrize("language", ["nl", "en"])
def test_write_preview_send_and_read_the_mail(conference, organiser, live_server, new_page, axe_check, language):
    site = live_server.url
    english = language == "en"
    page = new_page(locale="en-GB" if english else "nl-NL")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])
    mail_url = f"{site}/beheer/registration/registration/dashboard/{conference.slug}/mail/"
    page.goto(f"{site}/beheer/login/?next={mail_url}")
    page.locator("#id_username").fill(organiser[0])
    page.locator("#id_password").fill(organiser[1])
    page.locator("#id_password").press("Enter")
    expect(page.locator("#content-main")).to_contain_text("d1@example.org")  # the confirmations so far
    axe_check(page)

    page.get_by_role(
        "link", name="Write a message to participants" if english else "Bericht aan deelnemers schrijven"
    ).click()
    axe_check(page)
    page.get_by_label("Subject (Dutch)" if english else "Onderwerp (Nederlands)").fill("Tot morgen")
    page.get_by_label("Message (Dutch)" if english else "Bericht (Nederlands)").fill("We beginnen om 13.00 uur.")
    page.get_by_label("Alderman" if english else "Wethouder", exact=True).check()
    page.get_by_label("Mayor" if english else "Burgemeester", exact=True).check()
    page.get_by_role("button", name="Preview" if english else "Voorbeeld bekijken").click()
    expect(page.locator("#content-main")).to_contain_text(re.compile("2 (people|mensen)"))
    expect(page.locator(".wc-letter").first).to_contain_text("We beginnen om 13.00 uur.")
    axe_check(page)
    page.get_by_role("button", name=re.compile("(Send to|Versturen naar) 2")).click()
    expect(page.locator(".messagelist")).to_contain_text("2")
    axe_check(page)
    send_due()

    page.get_by_role("link", name="Tot morgen").first.click()
    expect(page.locator("#content-main")).to_contain_text("d2@example.org")
    axe_check(page)
    page.get_by_role("link", name="d3@example.org").click()
    expect(page.locator(".wc-letter")).to_contain_text("Beste Deelnemer 3")
    axe_check(page)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_publish_confirmation_is_accessible(conference, organiser, live_server, new_page, axe_check, language):
    from werkconferentie.assignment import runs

    runs.run_engine(conference)
    site = live_server.url
    page = new_page(locale="en-GB" if language == "en" else "nl-NL")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])
    assignment_url = f"{site}/beheer/assignment/assignmentrun/event/{conference.slug}/"
    page.goto(f"{site}/beheer/login/?next={assignment_url}")
    page.locator("#id_username").fill(organiser[0])
    page.locator("#id_password").fill(organiser[1])
    page.locator("#id_password").press("Enter")
    page.get_by_role("button", name=re.compile("^(Publish|Publiceren)$")).click()
    expect(page.locator(".wc-mail")).to_contain_text("Deelnemer 1")
    axe_check(page)
