"""The reference pages in a real browser: axe-core finds nothing in either language, and 320 px fits."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from werkconferentie.reference.loading import load_reference

pytestmark = pytest.mark.browser

PATHS = ["/kinderrechten/", "/kinderrechten/artikel/3/", "/kinderrechten/sdg/4/", "/kinderrechten/gemeenten/"]


@pytest.fixture
def reference_server(live_server):
    """live_server's tests empty the database after each test, so load the data again (it is idempotent)."""
    load_reference()
    return live_server


@pytest.mark.parametrize("language", ["nl", "en"])
def test_reference_pages_pass_axe(reference_server, new_page, axe_check, language):
    page = new_page()
    host = reference_server.url.split("//")[1].split(":")[0]
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}])
    for path in PATHS:
        response = page.goto(reference_server.url + path)
        assert response is not None and response.ok, path
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        axe_check(page)


def test_reference_pages_fit_a_320_px_screen(reference_server, new_page):
    page = new_page(viewport={"width": 320, "height": 640})
    for path in PATHS:
        page.goto(reference_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a 320px screen"


def test_breadcrumbs_lead_back_to_the_index(reference_server, page):
    page.goto(reference_server.url + "/kinderrechten/sdg/4/")
    crumbs = page.get_by_role("navigation", name="Kruimelpad")
    expect(crumbs.get_by_role("link", name="Kinderrechten en SDG's")).to_have_attribute("href", "/kinderrechten/")
