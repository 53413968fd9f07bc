"""Text in the page's language everywhere (issue 13.12): the English phone page's hint, "CRC" on the English
console, the SDG pages that say they are in English, the back office's screen-reader texts in Dutch, and counts
with their singular ("1 stem", never "1 stemmen")."""

import importlib
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

import werkconferentie
from werkconferentie.live import access, boards, forms

STATIC = Path(werkconferentie.__file__).parent / "live" / "static" / "live"


def english() -> Client:
    client = Client(headers={"accept-language": "en"})
    client.cookies["django_language"] = "en"
    return client


def test_the_answer_hint_is_in_the_language_of_the_page_not_of_the_import():
    with translation.override("nl"):
        module = importlib.reload(forms)  # imported while a Dutch page was being served
    try:
        with translation.override("en"):
            assert str(module.AnswerForm().fields["text"].help_text).startswith("One idea per answer")
        with translation.override("nl"):
            assert not str(module.AnswerForm().fields["text"].help_text).startswith("One idea per answer")
    finally:
        importlib.reload(forms)


@pytest.mark.django_db
def test_the_english_console_says_crc_and_the_dutch_one_ivrk(board):
    script = (STATIC / "console.js").read_text()
    assert "IVRK" not in script and "Beleidsterrein" not in script and "SDG-indicatoren" not in script
    for client, short in [(english(), "CRC"), (Client(), "IVRK")]:
        client.get(access.host_url(board, absolute=False))
        response = client.get(reverse("live:console", args=[board.code]))
        assert response.context["live_config"]["texts"]["crc_short"] == short


@pytest.mark.django_db
def test_one_vote_is_one_vote(board, answer_on):
    answer = answer_on(board, "Meer speelplekken")
    boards.vote(answer, "b-one")
    for client, one in [(Client(), "stem"), (english(), "vote")]:
        for name in ("live:board", "live:screen"):
            html = client.get(reverse(name, args=[board.code])).content.decode()
            html = html.split('<script id="live-config"')[0]
            words = re.findall(r"<span data-votes>1</span>\s*<span[^>]*>([^<]+)</span>", html)
            assert words == [one], (name, words)
    boards.vote(answer, "b-two")
    html = Client().get(reverse("live:screen", args=[board.code])).content.decode()
    assert re.search(r"<span data-votes>2</span>\s*<span[^>]*>stemmen</span>", html)
    config = Client().get(reverse("live:board", args=[board.code])).context["live_config"]["texts"]
    assert (config["vote_word_one"], config["votes"]) == ("stem", "stemmen")


@pytest.mark.django_db
def test_the_sdg_pages_say_they_are_in_english(client):
    page = client.get(reverse("reference:sdg_goal", args=[3]))
    assert page.status_code == 200
    assert "grotendeels in het Engels" in page.content.decode()
    assert "mostly in English" not in english().get(reverse("reference:sdg_goal", args=[3])).content.decode()


@pytest.mark.django_db
def test_the_back_office_home_reads_dutch_to_a_screen_reader(organiser_of_roden):
    client = Client()
    client.force_login(organiser_of_roden)
    html = client.get(reverse("admin:index")).content.decode()
    hidden = re.search(r'<thead class="visually-hidden">(.*?)</thead>', html, re.S)
    assert hidden, "the app list has its screen-reader headers"
    assert "Model name" not in hidden.group(1) and "Onderdeel" in hidden.group(1)
    assert "Add link" not in html and "Change or view list link" not in html
    english_html = english()
    english_html.force_login(organiser_of_roden)
    assert "Model name" in english_html.get(reverse("admin:index")).content.decode()
