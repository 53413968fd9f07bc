"""The demo's example answers (outcomes/data/demo-answers.yaml): loaded once by `werkconferentie demo`, on every
kind of board, with votes, priorities, tags and outcome points, so that themes, a draft report and letters show."""

import pytest
from django.core.management import call_command

from werkconferentie.live.enums import AnswerStatus, BoardKind
from werkconferentie.live.models import Answer, Vote
from werkconferentie.outcomes import demo, raadsadres
from werkconferentie.outcomes.models import OutcomePoint

pytestmark = pytest.mark.django_db


def example_counts(data):
    answers = [a for board in data["boards"] for a in board["answers"]]
    return len(answers), sum(a.get("votes", 0) for a in answers)


def test_the_example_answers_load_once(roden):
    data = demo.read_data()
    assert "demo" in data["note"] and "Voorbeeld" in data["note"]  # marked as example data, in the file itself
    answers, votes = example_counts(data)
    loaded = demo.load_demo_answers(roden)
    assert (loaded.answers, loaded.votes, loaded.points) == (answers, votes, 3)
    again = demo.load_demo_answers(roden)
    assert (again.answers, again.votes, again.points) == (0, 0, 0)
    assert Answer.objects.filter(board__event=roden).count() == answers
    assert Vote.objects.filter(answer__board__event=roden).count() == votes
    assert OutcomePoint.objects.filter(event=roden).count() == 3


def test_every_kind_of_board_gets_answers_children_approved(roden):
    demo.load_demo_answers(roden)
    example = Answer.objects.filter(board__event=roden)
    kinds = set(example.values_list("board__kind", flat=True))
    assert kinds == {BoardKind.WORKSHOP, BoardKind.ROUND_TABLE, BoardKind.CHILDREN}
    children = example.filter(from_children=True)
    assert children.count() == 4 and set(children.values_list("status", flat=True)) == {AnswerStatus.VISIBLE}
    assert not children.exclude(role="").exists() and not children.exclude(municipality=None).exists()
    assert example.filter(priority=True).count() >= 5
    assert example.exclude(policy_areas=[]).count() == example.count()
    assert example.filter(crc_articles__number=12).exists()
    # Every workshop session has answers.
    assert example.filter(board__kind=BoardKind.WORKSHOP).values("board").distinct().count() == 6


def test_a_newcomer_sees_themes_requests_and_letters(roden):
    demo.load_demo_answers(roden)
    requests = OutcomePoint.objects.filter(event=roden, is_request=True)
    assert requests.count() == 2 and all("Voorbeeld voor de demo" in p.explanation_nl for p in requests)
    assert all(p.answers.exists() for p in OutcomePoint.objects.filter(event=roden))
    # Material for several themes: answers in many policy areas, on every board.
    areas = {
        area
        for areas in Answer.objects.filter(board__event=roden).values_list("policy_areas", flat=True)
        for area in areas
    }
    assert len(areas) >= 8
    facts = raadsadres.event_facts(roden)
    assert not facts.draft and len(facts.requests_by_language["nl"]) == 2
    recipients = {m.name for m in raadsadres.recipients(facts)}
    assert {"Noordenveld", "Tynaarlo", "Assen", "Groningen", "Emmen", "Midden-Drenthe"} <= recipients
    letter = raadsadres.letter(facts, next(m for m in raadsadres.recipients(facts) if m.name == "Noordenveld"))
    assert letter.contributions and letter.children


def test_the_demo_command_loads_them_once(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("demo", "--no-serve", stdout=open(tmp_path / "out.txt", "w"))
    first = Answer.objects.filter(idempotency_key__startswith=demo.KEY_PREFIX).count()
    call_command("demo", "--no-serve", stdout=open(tmp_path / "out2.txt", "w"))
    assert first == example_counts(demo.read_data())[0]
    assert Answer.objects.filter(idempotency_key__startswith=demo.KEY_PREFIX).count() == first
    assert OutcomePoint.objects.count() == 3
    assert "Voorbeeldantwoorden" in (tmp_path / "out.txt").read_text()
    assert "Voorbeeldantwoorden" not in (tmp_path / "out2.txt").read_text()
