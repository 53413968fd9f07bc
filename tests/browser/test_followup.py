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
    ]


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
