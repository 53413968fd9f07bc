"""The children's board asks its own question in very simple words; its screen shows it and no vote counts; the
children's page says truthfully what happens with an idea (issue 13.3)."""

import pytest
from django.test import Client
from django.urls import reverse

from werkconferentie.live.boards import update_answer
from werkconferentie.live.enums import AnswerStatus


@pytest.fixture(autouse=True)
def _patterns_only(monkeypatch):
    monkeypatch.setenv("WERKCONFERENTIE_DEDUCE", "off")


@pytest.fixture
def approved(children_board, answer_on):
    answer = answer_on(children_board, "Meer speeltuinen")
    return update_answer(answer, status=AnswerStatus.VISIBLE)


@pytest.mark.parametrize(
    ("language", "question", "votes"),
    [
        ("nl", "Wat moet beter voor kinderen waar jij woont?", "stemmen"),
        ("en", "What should be better for children where you live?", "votes"),
    ],
)
def test_the_childrens_screen_shows_their_question_and_no_votes(
    children_board, approved, roden, language, question, votes
):
    client = Client(headers={"accept-language": language})
    client.cookies["django_language"] = language
    screen = client.get(reverse("live:screen", args=[children_board.code])).content.decode()
    assert question in screen and "Meer speeltuinen" in screen
    assert roden.central_question_nl not in screen and roden.central_question_en not in screen
    assert '"showVotes": false' in screen  # live.js draws new ideas without counts too
    shown = screen.split('<script id="live-config"')[0]  # the page, without the words live.js may use
    assert "live-answer__votes" not in shown and votes not in shown
    page = client.get(reverse("live:children", args=[children_board.code])).content.decode()
    assert question in page


def test_an_adults_screen_keeps_the_central_question_and_the_counts(board, answer_on, roden):
    answer_on(board, "Meer speelplekken")
    screen = Client().get(reverse("live:screen", args=[board.code])).content.decode()
    assert roden.central_question_nl in screen and "live-answer__votes" in screen


def test_the_childrens_page_promises_only_what_happens(client, children_board):
    page = client.get(reverse("live:children", args=[children_board.code])).content.decode()
    # What the software does: a report and letters to the councils exist (outcomes), without children's names.
    assert "in een verslag over deze dag" in page and "Jouw naam staat er nooit in" in page
    assert "Als het verslag klaar is, komt het op deze website." in page  # nothing published yet
    english = Client(headers={"accept-language": "en"})
    english.cookies["django_language"] = "en"
    page = english.get(reverse("live:children", args=[children_board.code])).content.decode()
    assert "go into a report about this day" in page and "Your name is never in it" in page
