"""The sending pages in the browser: axe-core in Dutch and English, and sending by keyboard only."""

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from werkconferentie.outcomes import demo, dispatch, report
from werkconferentie.outcomes.models import GriffieAddress, LetterDispatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ready(roden, boards, organiser):
    demo.load_demo_answers(roden)
    GriffieAddress.objects.create(
        municipality_id="GM1699", email="griffie@noordenveld.example", postal_address="Postbus 109\n9300 AC Roden"
    )
    GriffieAddress.objects.create(municipality_id="GM0106", email="griffie@assen.example")
    GriffieAddress.objects.create(municipality_id="GM1730", postal_address="Postbus 5\n9480 AA Vries")
    dispatch.forget_facts()
    return roden


def logged_in(page, live_server, organiser, language):
    client = Client()
    client.force_login(organiser)
    cookies = [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    if language == "en":
        cookies.append({"name": "django_language", "value": "en", "url": live_server.url})
    page.context.add_cookies(cookies)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_axe_clean_in_both_languages(ready, organiser, live_server, page, axe_check, language):
    logged_in(page, live_server, organiser, language)
    page.goto(live_server.url + reverse("outcomes_sending:send", args=[ready.slug]))
    assert page.locator("html").get_attribute("lang") == language
    expect(page.get_by_text("Geachte griffie,")).to_be_visible()  # the mail is Dutch in both
    axe_check(page)
    dispatch.queue_letters(ready, ["GM1699"], organiser)
    page.goto(live_server.url + reverse("outcomes_sending:dispatches", args=[ready.slug]))
    axe_check(page)
    page.goto(live_server.url + reverse("admin:outcomes_griffieaddress_import"))
    axe_check(page)
    page.goto(live_server.url + reverse("admin:outcomes_griffieaddress_changelist"))
    axe_check(page)
    report.publish(ready)
    page.goto(live_server.url + "/over/")
    expect(page.locator('a[href="/conferenties/roden-2022/opbrengst/"]')).to_be_visible()
    axe_check(page)


def tab_to(page, locator, presses=300):
    for _ in range(presses):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} cannot be reached with Tab")


def test_choose_confirm_and_note_by_keyboard(ready, organiser, live_server, page):
    logged_in(page, live_server, organiser, "nl")
    page.goto(live_server.url + reverse("outcomes_sending:send", args=[ready.slug]))
    # Choose "every municipality of one province", Drenthe, and show the list: keyboard only.
    tab_to(page, page.locator("#id_choice_0"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_choice_2").is_checked()
    tab_to(page, page.locator("#id_province"))
    page.keyboard.type("Drenthe")  # a select takes typed letters
    tab_to(page, page.get_by_role("button", name="Toon de ontvangers en de mail"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="3. De ontvangers")).to_be_visible()
    expect(page.get_by_text("Niet te versturen: 10 gemeenten")).to_be_visible()
    assert not LetterDispatch.objects.exists()
    confirm = page.get_by_role("button", name="Bevestigen en versturen")
    tab_to(page, confirm)
    page.keyboard.press("Enter")
    expect(page.get_by_text("2 brieven staan klaar")).to_be_visible()
    assert sorted(LetterDispatch.objects.values_list("municipality_id", flat=True)) == ["GM0106", "GM1699"]
    # Note the handling for Assen.
    record = LetterDispatch.objects.get(municipality_id="GM0106")
    handling = page.locator(f"#id_d{record.pk}-handling")
    tab_to(page, handling)
    page.keyboard.type("in handen")
    tab_to(page, page.get_by_role("button", name="Opslaan voor Assen"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Opgeslagen voor Assen.")).to_be_visible()
    record.refresh_from_db()
    assert record.handling == "executive"
