"""A whole live session in the browser, at a real server with two worker processes (the streams need ASGI).

The host opens her board from the host link; three phones join by typing the code, answer and vote with the
keyboard only; the host merges two answers and marks a priority; the room screen shows it all without reloading.
The phone page and the children's page pass axe-core.
"""

import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

import served

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FUTURE = """
import datetime as dt
from werkconferentie.events.models import Event
Event.objects.filter(slug="roden-2022").update(date=dt.date.today() + dt.timedelta(days=30), registration_closes=None)
"""
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    with served.example_environment(tmp_path_factory.mktemp("live-browser"), {"SECRET_KEY": "live"}, FUTURE) as env:
        yield env


@pytest.fixture(scope="module")
def site(environment):
    with served.server(environment, workers=2) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def boards(environment, site):
    rows = json.loads(served.werkconferentie(environment, "live-codes", "roden-2022", "--json", "--host-links"))
    return {row["workshop"] if row["round"] is None else (row["workshop"], row["round"]): row for row in rows}


def path(url: str) -> str:
    return urlsplit(url).path


def tab_to(page, locator, limit: int = 80):
    """Press Tab until `locator` has the focus: no mouse."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {locator} with the Tab key")


def join(page, site: str, code: str):
    page.goto(site + "/doe-mee/")
    tab_to(page, page.get_by_label("Code"))
    page.keyboard.type(code.lower())
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Betekenisvolle participatie")


def answer(page, text: str):
    tab_to(page, page.get_by_label("Jouw antwoord"))
    page.keyboard.type(text)
    tab_to(page, page.get_by_role("button", name="Stuur antwoord"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("Jouw antwoord")).to_have_value("")


def vote(page, text: str):
    item = page.locator(".live-answer", has_text=text)
    button = item.get_by_role("button")
    tab_to(page, button)
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-pressed", "true")


def test_a_whole_session(site, boards, new_page, axe_check):
    board = boards[("Betekenisvolle participatie", 1)]
    code = board["code"]

    host = new_page()
    host.goto(site + path(board["host_link"]))
    expect(host.get_by_role("heading", level=1)).to_contain_text("Console")
    expect(host.locator("[data-console-state]")).to_have_text("Het bord is gesloten.")

    screen = new_page(viewport={"width": 1920, "height": 1080})
    screen.goto(site + f"/doe-mee/{code}/scherm/")
    expect(screen.locator(".live-screen__code")).to_have_text(code)
    screen.evaluate("window.notReloaded = true")

    host.get_by_role("button", name="Open het bord").click()
    expect(host.locator("[data-console-state]")).to_have_text("Het bord is open.")

    phones = [new_page(viewport=PHONE, is_mobile=True, has_touch=True) for _ in range(3)]
    for phone in phones:
        join(phone, site, code)
    axe_check(phones[0])
    texts = ["Meer speelplekken in elke wijk", "Meer speelplekken in iedere wijk", "Geen wachtlijsten in de jeugdzorg"]
    for phone, text in zip(phones, texts, strict=True):
        answer(phone, text)
    for phone in phones:  # everyone sees everyone's answers appear, without reloading
        for text in texts:
            expect(phone.locator("[data-live-list]")).to_contain_text(text)
    vote(phones[1], texts[2])
    vote(phones[2], texts[2])
    vote(phones[0], texts[0])
    axe_check(phones[0])

    # The host sees the answers and the suggested duplicate, merges the pair and marks it a priority.
    console = host.locator("[data-console-list]")
    for text in texts:
        expect(console).to_contain_text(text)
    expect(console).to_contain_text("Zegt misschien hetzelfde als")
    host.get_by_label(f"Kies om samen te voegen: {texts[0]}", exact=True).check()
    host.get_by_label(f"Kies om samen te voegen: {texts[1]}", exact=True).check()
    host.get_by_label(re.compile("Tekst van het samengevoegde antwoord")).fill(
        "Meer speelplekken in iedere wijk, voor alle leeftijden"
    )
    host.get_by_role("button", name="Voeg gekozen antwoorden samen").click()
    merged = host.locator(".live-console__answer", has_text="voor alle leeftijden")
    expect(merged).to_contain_text("Samengevoegd uit 2 antwoorden")
    merged.get_by_role("button", name="Markeer als prioriteit").click()
    expect(merged.get_by_role("button", name="Geen prioriteit meer")).to_be_visible()

    # The screen shows it all without reloading: the merged answer once, highlighted, the originals gone.
    answers = screen.locator("[data-live-list] > li")
    expect(answers).to_have_count(2)
    expect(screen.locator(".live-answer--priority")).to_contain_text("voor alle leeftijden")
    expect(screen.locator(".live-answer--priority")).to_contain_text("2 antwoorden samengevoegd")
    expect(answers.first).to_contain_text(texts[2])  # two votes: on top
    assert screen.evaluate("window.notReloaded") is True
    # And the phones see the merge too.
    expect(phones[2].locator("[data-live-list] > li")).to_have_count(2)

    # Script, HTML and odd Unicode arrive as text on every screen: no dialog opens, the characters show.
    dialogs = []
    for each in [host, screen, *phones]:
        each.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    nasty = '<img src=x onerror="alert(1)"><script>alert(2)</script> Zoë ’t \u202eevil\u202c 👍🏽'
    answer(phones[0], nasty)
    for each, where in [(screen, "[data-live-list]"), (host, "[data-console-list]"), (phones[1], "[data-live-list]")]:
        expect(each.locator(where)).to_contain_text("<script>alert(2)</script> Zoë ’t")
        assert each.locator(f"{where} img, {where} script").count() == 0
    assert dialogs == []
    axe_check(host)
    axe_check(screen)


def test_childrens_page_by_keyboard_and_accessible(site, boards, new_page, axe_check, environment):
    children = boards["Kinderen en jongeren"]
    served.werkconferentie(environment, "live-codes", "roden-2022", "--open")
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(site + path(children["url"]))
    expect(page).to_have_url(re.compile("/jongeren/"))
    axe_check(page)
    tab_to(page, page.get_by_role("button", name="Buiten spelen"))
    page.keyboard.press("Enter")
    page.keyboard.type("meer schommels in het park")
    tab_to(page, page.get_by_role("button", name="Stuur mijn idee"))
    page.keyboard.press("Enter")
    # serve loaded the de-identification model before it said it was up: the first idea waits for nothing.
    expect(page.get_by_role("status")).to_contain_text("Eerst leest een volwassene je idee")
    axe_check(page)
    host = new_page()
    host.goto(site + path(children["host_link"]))
    expect(host.locator("[data-console-list]")).to_contain_text("Buiten spelen: meer schommels in het park")
    expect(host.locator("[data-console-list]")).to_contain_text("Wacht op goedkeuring")
