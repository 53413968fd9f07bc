"""The public outcome report page in Debian's chromium: axe-clean in Dutch and English, usable by keyboard, 320 px."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from werkconferentie.events.examples import example_event_file
from werkconferentie.events.loading import load_event_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUEST = "Stel in elke gemeente één vast aanspreekpunt voor kinderen in."


@pytest.fixture
def report_live(live_server, settings):
    """The example conference with answers on its boards, one request and a published report."""
    import datetime as dt

    from werkconferentie.live import boards as live
    from werkconferentie.live.enums import AnswerStatus, BoardKind
    from werkconferentie.outcomes import points, report

    settings.LIVE_SUGGEST_IN_BACKGROUND = False
    event = load_event_file(example_event_file()).event
    event.date = dt.date.today() + dt.timedelta(days=30)
    event.save()
    answers = []
    for n, board in enumerate(live.ensure_boards(event)):
        live.set_open(board, True)
        text = f"Meer plekken om te spelen, idee {n}"
        children = board.kind == BoardKind.CHILDREN
        submission = live.Submission(text=text, idempotency_key=uuid.uuid4().hex, from_children=children)
        answer = live.submit_answer(board, submission)[0]
        if board.kind == BoardKind.CHILDREN:
            live.update_answer(answer, status=AnswerStatus.VISIBLE)
        for voter in range(n % 4):
            live.vote(answer, f"b{answer.pk}-{voter}")
        answers.append(answer)
    points.create_point(
        event,
        title_nl="Eén aanspreekpunt",
        title_en="One contact point",
        request_nl=REQUEST,
        request_en="Appoint one fixed contact point for children in every municipality.",
        is_request=True,
        crc_articles=[12],
        sdgs=[16],
        policy_areas=["participatie"],
        answers=[a.pk for a in answers[:3]],
    )
    report.publish(event)
    return live_server.url + "/conferenties/roden-2022/opbrengst/"


def test_report_page_in_dutch_and_english_passes_axe(report_live, page, axe_check):
    page.goto(report_live)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Opbrengst: Mini-werkconferentie Kinderrechten")
    expect(page.get_by_role("heading", level=2, name="Samenvatting")).to_be_visible()
    expect(page.get_by_text(REQUEST).first).to_be_visible()
    # Nobody registered, so no chart of roles: votes per board and per outcome point.
    expect(page.get_by_role("img", name=re.compile("^Staafdiagram"))).to_have_count(2)
    expect(page.locator(".report-concept")).to_have_count(0)  # published, with a point: not a draft
    axe_check(page)

    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Outcome report: Mini work conference on children's rights"
    )
    expect(page.get_by_text("Appoint one fixed contact point").first).to_be_visible()
    axe_check(page)


def test_report_page_by_keyboard(report_live, page):
    page.goto(report_live)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name=re.compile("Naar de inhoud|Skip"))).to_be_focused()
    page.keyboard.press("Enter")
    # From the content, Tab reaches the tag links and then the downloads, in reading order.
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent.trim()"))
        if reached[-1] == "Verslag als pdf":
            break
    assert any(name.startswith("Artikel 12") for name in reached)
    assert reached[-1] == "Verslag als pdf"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    with page.expect_response(lambda response: "/opbrengst.pdf" in response.url) as opened:
        page.keyboard.press("Enter")  # the PDF opens in the browser (inline)
    assert opened.value.status == 200 and opened.value.headers["content-type"] == "application/pdf"


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_report_page_fits_320_px(report_live, new_page, axe_check, locale):
    page = new_page(viewport={"width": 320, "height": 640})
    if locale == "en":
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": report_live}])
    page.goto(report_live)
    expect(page.locator("html")).to_have_attribute("lang", locale)
    axe_check(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
