"""The phone page takes a municipality as people type it, and explains one it does not know.

A trial run found "Noordenveld" refused (the API took at most 10 characters) and the phone showing a red
"[object Object]": pydantic's error list printed as text. Here a phone answers with a long name, a common name
and an unknown one, with the keyboard only.
"""

import json

import pytest
from playwright.sync_api import expect

import served
from browser.test_live import FUTURE, PHONE, join, path, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    with served.example_environment(tmp_path_factory.mktemp("live-municipality"), {"SECRET_KEY": "m"}, FUTURE) as env:
        yield env


@pytest.fixture(scope="module")
def site(environment):
    with served.server(environment, workers=1) as port:
        yield f"http://127.0.0.1:{port}"


def send(page, text: str, municipality: str):
    tab_to(page, page.get_by_label("Jouw antwoord"))
    page.keyboard.type(text)
    field = page.get_by_label("Je gemeente (hoeft niet)")
    tab_to(page, field)
    field.fill("")
    page.keyboard.type(municipality)
    tab_to(page, page.get_by_role("button", name="Stuur antwoord"))
    page.keyboard.press("Enter")


def test_long_and_common_names_are_taken_and_an_unknown_one_is_explained(environment, site, new_page, axe_check):
    rows = json.loads(served.werkconferentie(environment, "live-codes", "roden-2022", "--open", "--json"))
    code = next(row["code"] for row in rows if row["round"] == 1)
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    join(phone, site, code)
    for text, municipality in [("Een kinderraad", "Noordenveld"), ("Speelplekken", "den haag")]:
        send(phone, text, municipality)
        expect(phone.get_by_label("Jouw antwoord")).to_have_value("")
        expect(phone.locator("[data-live-list]")).to_contain_text(text)

    send(phone, "Iets anders", "Atlantis")
    error = phone.locator("[data-live-error]")
    expect(error).to_contain_text("We kennen geen Nederlandse gemeente die \u201cAtlantis\u201d heet")
    expect(error).not_to_contain_text("object")
    field = phone.get_by_label("Je gemeente (hoeft niet)")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(phone.get_by_label("Jouw antwoord")).to_have_value("Iets anders")  # nothing typed is lost
    axe_check(phone)
    assert path(phone.url) == f"/doe-mee/{code}/"
