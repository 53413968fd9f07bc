"""The follow-up pages in a real browser: axe-core in Dutch and English, the update form by keyboard."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from followup import conftest as followup_fixtures
from outcomes import conftest as outcome_fixtures
from werkconferentie.followup import links
from werkconferentie.registration import links as personal_links

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_suggestions_at_once = outcome_fixtures._suggestions_at_once
answer_on = outcome_fixtures.answer_on
boards = outcome_fixtures.boards
conference = outcome_fixtures.conference
organiser = outcome_fixtures.organiser
commitment = followup_fixtures.commitment
contact = followup_fixtures.contact
noordenveld = followup_fixtures.noordenveld


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def pages(conference, contact, commitment):
    from werkconferentie.live.enums import BoardKind
    from werkconferentie.registration.models import Registration

    zoe = Registration.objects.get(email__startswith="zoe")
    children = conference.boards.get(kind=BoardKind.CHILDREN)
    return [
        reverse("followup:progress", args=[conference.slug]),
        reverse("followup:municipality", args=[conference.slug, "GM1699"]),
        reverse("followup:report", args=[conference.slug]),
        links.update_url(contact, absolute=False),
        reverse("followup:commitment", args=[links.update_token(contact), commitment.pk]),
        reverse("followup:my_ideas", args=[personal_links.personal_token(zoe)]),
        reverse("followup:children", args=[children.code]),
        reverse("followup:board", args=[_closed_workshop(conference).code]),
        reverse("privacy:event", args=[conference.slug]),  # with what the follow-up keeps
    ]


def _closed_workshop(conference):
    from werkconferentie.live.boards import set_open
    from werkconferentie.live.enums import BoardKind

    return set_open(conference.boards.filter(kind=BoardKind.WORKSHOP).first(), False)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_pages_are_axe_clean_in_both_languages(conference, contact, commitment, live_server, page, axe_check, language):
    if language == "en":
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    for path in pages(conference, contact, commitment):
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == language, path
        axe_check(page)


def test_a_contact_reports_progress_by_keyboard(conference, contact, commitment, live_server, page):
    page.goto(live_server.url + reverse("followup:commitment", args=[links.update_token(contact), commitment.pk]))
    note = page.locator("#id_status_note")
    for _ in range(120):
        if note.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("the state of affairs cannot be reached with Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("De eerste kinderraad was op 1 september.")
    status = page.locator("#id_status")
    status.focus()
    status.select_option("in-uitvoering")
    save = page.get_by_role("button", name="Opslaan", exact=True)
    save.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Opgeslagen.")).to_be_visible()
    commitment.refresh_from_db()
    assert commitment.status == "in-uitvoering"
    assert commitment.status_note == "De eerste kinderraad was op 1 september."


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_organiser_imports_a_csv_and_sees_the_bad_rows(
    conference, contact, commitment, organiser, live_server, page, axe_check, language, tmp_path
):
    from django.test import Client

    from werkconferentie.followup import spreadsheet

    client = Client()
    client.force_login(organiser)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    if language == "en":
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + reverse("followup:manage", args=[conference.slug]))
    axe_check(page)
    lines = spreadsheet.export_csv(conference).decode("utf-8-sig").splitlines()
    bad = tmp_path / "afspraken.csv"
    bad.write_text(lines[0] + "\n" + lines[1].replace("openstaand", "bijna klaar") + "\n", encoding="utf-8")
    page.get_by_label("CSV-bestand" if language == "nl" else "CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Inlezen" if language == "nl" else "Import", exact=True).click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Regel 2" if language == "nl" else "Line 2")
    axe_check(page)
    commitment.refresh_from_db()
    assert commitment.status == "openstaand"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_child_reacts_by_keyboard_and_the_organiser_reads_it(
    conference, organiser, live_server, page, axe_check, language
):
    from django.test import Client

    from werkconferentie.live.enums import BoardKind

    children = conference.boards.get(kind=BoardKind.CHILDREN)
    if language == "en":
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + reverse("followup:children", args=[children.code]))
    box = page.get_by_label("Wat wil je ons vertellen?" if language == "nl" else "What do you want to tell us?")
    box.focus()
    page.keyboard.type("Ik wil een groter speelveld. Bel 0612345678")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("organisator" if language == "nl" else "organiser")
    axe_check(page)
    client = Client()
    client.force_login(organiser)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + reverse("followup:manage_reactions", args=[conference.slug]))
    expect(page.locator("main")).to_contain_text("Ik wil een groter speelveld.")
    expect(page.locator("main")).not_to_contain_text("0612345678")
    axe_check(page)
    page.get_by_role("button", name="Markeer als gelezen" if language == "nl" else "Mark read").first.click()
    expect(page.locator("main")).to_contain_text("gelezen" if language == "nl" else "read")
