"""The children's page about their ideas is written in very simple Dutch: Flesch-Douma at least 80.

Flesch-Douma is Flesch's reading ease with Douma's constants for Dutch (206.84 − 0.93 × words per sentence − 77 ×
syllables per word; 80 and more is "very easy", what children of about 10 read); textstat computes it with Dutch
hyphenation (pyphen) for the syllables. Measured on the page's visible text as a child sees it, ideas included.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from textstat.backend.metrics import flesch_reading_ease

from werkconferentie.followup.commitments import update_commitment
from werkconferentie.followup.history import Actor
from werkconferentie.live.enums import BoardKind
from werkconferentie.live.models import Answer

pytestmark = pytest.mark.django_db


class MainText(HTMLParser):
    """The visible text inside <main>, one sentence-like piece per block element."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "label", "button", "div"}

    def __init__(self):
        super().__init__()
        self.depth, self.hidden, self.pieces, self.current = 0, 0, [], []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
        if tag in {"script", "style", "textarea"} or ("class", "visually-hidden") in attrs:
            self.hidden += 1
        if tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in {"script", "style", "textarea", "span"} and self.hidden:
            self.hidden -= 1
        if tag in self.BLOCKS:
            self._flush()
        if tag == "main":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.hidden:
            self.current.append(data)

    def _flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.pieces.append(text if text[-1] in ".!?:" else text + ".")
        self.current = []

    def text(self) -> str:
        self._flush()
        return " ".join(self.pieces)


def visible_text(html: str) -> str:
    parser = MainText()
    parser.feed(html)
    return parser.text()


def test_the_childrens_trail_page_is_very_easy_to_read(conference, commitment, organiser):
    update_commitment(
        commitment,
        Actor(user=organiser),
        status="voldaan",
        status_note="De kinderraad is er.",
        child_summary="Er komt een kinderraad. Daar praten kinderen mee.",
    )
    point = commitment.outcome_points.get()
    point.answers.add(Answer.objects.get(text="Meer plekken om te spelen na school"))
    board = conference.boards.get(kind=BoardKind.CHILDREN)
    text = visible_text(Client().get(reverse("followup:children", args=[board.code])).content.decode())
    assert "Het is klaar!" in text and "Meer plekken om te spelen na school" in text
    score = flesch_reading_ease(text, "nl")
    assert score >= 80, (score, text)


def test_the_measure_tells_hard_dutch_from_easy_dutch():
    """The measure itself: an official sentence scores far below a child's."""
    easy = "Jij gaf een idee. De stad doet er iets mee. Het is klaar!"
    hard = (
        "De gemeenteraad heeft middels een aangenomen motie het college verzocht om binnen de bestaande "
        "beleidskaders een structurele kinderparticipatievoorziening te realiseren."
    )
    assert flesch_reading_ease(easy, "nl") >= 80 > 30 > flesch_reading_ease(hard, "nl")
