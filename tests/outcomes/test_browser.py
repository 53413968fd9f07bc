"""The Opbrengst page in the browser: axe-core in Dutch and English, and the forms by keyboard only."""

import os

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from werkconferentie.live.enums import BoardKind
from werkconferentie.outcomes import points, themes
from werkconferentie.outcomes.models import Theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def filled(roden, boards, answer_on, organiser):
    workshop = [b for b in boards if b.kind == BoardKind.WORKSHOP]
    children = next(b for b in boards if b.kind == BoardKind.CHILDREN)
    texts = [
        "Kortere wachtlijsten in de jeugdzorg",
        "Geen wachttijden meer voor jeugdhulp",
        "Meer speeltuinen in de wijk",
        "Veilige speelplekken dichtbij huis",
        "Een kinderraad in elke gemeente",
        "Iets heel anders",
    ]
    for n, text in enumerate(texts):
        answer_on(workshop[n % len(workshop)], text, votes=n % 3, role="raadslid" if n % 2 else "")
    from werkconferentie.live.boards import update_answer
    from werkconferentie.live.enums import AnswerStatus

    update_answer(answer_on(children, "Ik wil meer speeltuinen", from_children=True), status=AnswerStatus.VISIBLE)
    themes.propose_themes(roden, organiser)
    points.point_from_theme(Theme.objects.filter(event=roden).first(), organiser)
    return roden


def logged_in(page, live_server, organiser):
    client = Client()
    client.force_login(organiser)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_axe_clean_in_both_languages(filled, organiser, live_server, page, axe_check, language):
    logged_in(page, live_server, organiser)
    if language == "en":
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + reverse("outcomes_admin:page", args=[filled.slug]))
    assert page.locator("html").get_attribute("lang") == language
    heading = "Outcome points" if language == "en" else "Opbrengstpunten"
    assert page.get_by_role("heading", name=heading).is_visible()
    axe_check(page)
    if os.environ.get("OUTCOMES_SCREENSHOT_DIR"):  # for docs/screenshots: set it to that directory
        page.set_viewport_size({"width": 1280, "height": 1100})
        page.screenshot(path=os.path.join(os.environ["OUTCOMES_SCREENSHOT_DIR"], f"opbrengst-{language}.png"))


def test_rename_and_move_by_keyboard(filled, organiser, live_server, page):
    logged_in(page, live_server, organiser)
    page.goto(live_server.url + reverse("outcomes_admin:page", args=[filled.slug]))
    theme = Theme.objects.filter(event=filled).order_by("order").first()
    title = page.locator(f"#title-{theme.pk}")
    for _ in range(200):  # Tab through the page to the theme's title: no mouse
        if title.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("the title field cannot be reached with Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("Hulp zonder wachten")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Het thema heeft een andere naam.")).to_be_visible()
    expect(page.get_by_role("heading", name="Hulp zonder wachten")).to_have_count(1)
    # Tick an answer with the space bar, choose "outside the themes" and press the Move button.
    answer_id = theme.memberships.first().answer_id
    box = page.locator(f"#answer-{answer_id}")
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    page.locator(f"#move-{theme.pk}").focus()
    page.keyboard.press("End")
    expect(page.locator(f"#move-{theme.pk}")).to_have_value("")  # the last option: outside the themes
    page.locator(f"#move-{theme.pk} ~ button").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Antwoorden verplaatst: 1.")).to_be_visible()
    assert not theme.memberships.filter(answer_id=answer_id).exists()
