"""A person registers in the browser with the keyboard only, gets the mail, changes her choices and cancels."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from werkconferentie.events.examples import example_event_file
from werkconferentie.events.loading import load_event_file
from werkconferentie.outbox.mailing import send_due
from werkconferentie.registration.enums import Status
from werkconferentie.registration.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = {
    "nl": {
        "register": "Nu aanmelden",
        "name": "Naam",
        "email": "E-mailadres",
        "role": "Raadslid",
        "municipality": "Gemeente",
        "choice": "Keuze",
        "consent": "Ik ga ermee akkoord",
        "submit": "Aanmelden",
        "thanks": "U hebt een plaats",
        "seat": "U hebt een plaats.",
        "save": "Keuzes bewaren",
        "saved": "bewaard",
        "cancel": "Afmelden",
        "confirm": "Ja, meld mij af",
        "cancelled": "Afgemeld.",
        "errors": "Kijk deze velden na",
    },
    "en": {
        "register": "Register now",
        "name": "Name",
        "email": "E-mail address",
        "role": "Council member",
        "municipality": "Municipality",
        "choice": "Choice",
        "consent": "I agree",
        "submit": "Register",
        "thanks": "You have a seat",
        "seat": "You have a seat.",
        "save": "Save choices",
        "saved": "saved",
        "cancel": "Cancel registration",
        "confirm": "Yes, cancel my registration",
        "cancelled": "Cancelled.",
        "errors": "Please check these fields",
    },
}


@pytest.fixture
def site(live_server, settings):
    event = load_event_file(example_event_file()).event
    event.registration_opens = None
    event.registration_closes = timezone.now() + dt.timedelta(days=30)
    event.save()
    settings.SITE_URL = live_server.url
    return live_server.url


def focus_and_type(page, label: str, text: str):
    """Tab until the field with this label has focus, then type: no mouse."""
    field = page.get_by_label(label, exact=True)
    for _ in range(60):
        if field.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError(f"the field {label!r} could not be reached with the Tab key")
    page.keyboard.type(text)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_register_by_keyboard_then_manage_by_link(site, new_page, axe_check, smtp_server, language):
    text = TEXTS[language]
    page = new_page()
    if language == "en":
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": site}])
    page.goto(site + "/conferenties/roden-2022/")
    register = page.get_by_role("link", name=text["register"])
    register.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(text["submit"])
    axe_check(page)

    # Sending the empty form shows the error summary, which is accessible too.
    page.get_by_role("button", name=text["submit"], exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(text["errors"])
    axe_check(page)

    focus_and_type(page, text["name"], "Anouk de Vriës")
    focus_and_type(page, text["email"], "anouk@tynaarlo.nl")
    page.get_by_label(text["role"], exact=True).focus()
    page.keyboard.press("Space")
    focus_and_type(page, text["municipality"], "Tynaarlo")
    page.get_by_label(f"{text['choice']} 1", exact=True).focus()
    page.keyboard.press("ArrowDown")  # first workshop
    page.get_by_label(f"{text['choice']} 2", exact=True).focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # second workshop
    page.get_by_label(re.compile(text["consent"])).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name=text["submit"], exact=True).focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text(text["thanks"])
    axe_check(page)
    registration = Registration.objects.get()
    assert registration.name == "Anouk de Vriës" and registration.municipality_id == "GM1730"
    assert registration.language == language and registration.status == Status.CONFIRMED
    assert [p.rank for p in registration.preferences.all()] == [1, 2]

    # The outbox worker delivers to the real SMTP server on loopback.
    send_due()
    (message,) = smtp_server.messages
    assert message["To"] == "anouk@tynaarlo.nl"
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://\S+/aanmelding/\S+/", body).group(0)
    calendar = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert calendar and "BEGIN:VEVENT" in str(calendar[0].get_content())

    page.goto(link)
    expect(page.get_by_text(text["seat"])).to_be_visible()
    axe_check(page)
    page.get_by_label(f"{text['choice']} 1", exact=True).select_option("diversiteit")
    page.get_by_role("button", name=text["save"]).click()
    expect(page.get_by_role("status")).to_contain_text(text["saved"])
    assert registration.ranked_workshops()[0].slug == "diversiteit"

    page.get_by_role("link", name=text["cancel"]).click()
    axe_check(page)
    page.get_by_role("button", name=text["confirm"]).click()
    expect(page.get_by_text(text["cancelled"], exact=True)).to_be_visible()
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED
