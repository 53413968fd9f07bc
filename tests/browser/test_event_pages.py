"""The event, programme and workshop pages as a visitor sees them in Debian's chromium."""

import re

import pytest
from playwright.sync_api import expect

from werkconferentie.events.examples import example_event_file
from werkconferentie.events.loading import load_event_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/conferenties/roden-2022/",
    "/conferenties/roden-2022/programma/",
    "/conferenties/roden-2022/workshops/",
    "/conferenties/roden-2022/workshops/diversiteit/",
    "/privacy/",
    "/bestaat-niet/",
]


@pytest.fixture
def roden_live(live_server):
    load_event_file(example_event_file())
    return live_server.url


def test_event_page_in_dutch_then_english(roden_live, page, axe_check):
    page.goto(roden_live + "/")  # the start page leads to the only event
    expect(page).to_have_url(re.compile(r"/conferenties/roden-2022/$"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mini-werkconferentie Kinderrechten")
    expect(page.get_by_role("heading", name="De centrale vraag in elke workshop")).to_be_visible()
    expect(page.get_by_text("1e Energieweg 13")).to_be_visible()
    axe_check(page)

    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mini work conference on children's rights")
    expect(page.get_by_role("cell", name=re.compile("Round-table conversation with children"))).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Programme on a page of its own").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Programme")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe_check(page)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("locale", ["nl", "en"])
def test_pages_pass_axe_and_fit_320_px(roden_live, new_page, axe_check, path, locale):
    page = new_page(viewport={"width": 320, "height": 640})
    if locale == "en":
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": roden_live}])
    page.goto(roden_live + path)
    expect(page.locator("html")).to_have_attribute("lang", locale)
    axe_check(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than a 320px screen"


def test_skip_link_and_keyboard_focus(roden_live, page):
    page.goto(roden_live + "/conferenties/roden-2022/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#inhoud$"))


def test_calendar_download(roden_live, page):
    page.goto(roden_live + "/conferenties/roden-2022/programma/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Het programma voor uw agenda (.ics)").click()
    assert download.value.suggested_filename == "roden-2022-programma.ics"
    assert b"BEGIN:VCALENDAR" in open(download.value.path(), "rb").read()
