"""The browser harness itself: Debian's chromium against live_server, the language switch and axe-core."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_about_page_in_dutch_then_english(live_server, page, axe_check):
    response = page.goto(live_server.url + "/over/")
    assert response is not None and response.ok, f"GET /over/ answered {response and response.status}"

    html = page.locator("html")
    expect(html).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    axe_check(page)

    switch = page.get_by_role("button", name="English")
    expect(switch).to_be_visible()
    with page.expect_navigation():
        switch.click()

    expect(html).to_have_attribute("lang", "en")
    assert page.url.rstrip("/").endswith("/over"), page.url
    # The switch now offers Dutch, in Dutch.
    expect(page.get_by_role("button", name=re.compile("^Nederlands$"))).to_be_visible()
    axe_check(page)

    # The choice sticks (language cookie) on the next page load.
    page.goto(live_server.url + "/over/")
    expect(html).to_have_attribute("lang", "en")


def test_about_page_at_320_px_has_no_horizontal_scroll(live_server, new_page):
    page = new_page(viewport={"width": 320, "height": 640})
    page.goto(live_server.url + "/over/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a 320px screen"
