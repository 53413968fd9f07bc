"""A child's text is stored scrubbed whatever the way in (issue 13.4), and a moderator edits it before and after
approving: only the edited text is kept, and the edit is in the answer's history."""

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from werkconferentie.live import access, boards
from werkconferentie.live.boards import Submission, submit_answer
from werkconferentie.live.enums import AnswerStatus
from werkconferentie.live.models import Answer, AnswerEdit

PERSONAL = "Ik ben Sanne uit Roden, bel me op 0612345678 of mail sanne@example.org"


@pytest.fixture(autouse=True)
def _patterns_only(monkeypatch):
    """The pattern layer of the scrubber is enough to see that scrubbing happened (and it is quick)."""
    monkeypatch.setenv("WERKCONFERENTIE_DEDUCE", "off")


def scrubbed(text: str) -> bool:
    return "0612345678" not in text and "sanne@example.org" not in text and "Sanne" not in text and "[telefoon]" in text


def test_the_domain_scrubs_whatever_the_caller_says(children_board):
    """A caller that forgets to say "from children" (or to scrub) still cannot store a child's details."""
    answer, _created = submit_answer(children_board, Submission(text=PERSONAL, idempotency_key="k1"))
    answer.refresh_from_db()
    assert scrubbed(answer.text) and "Roden" in answer.text
    assert answer.from_children and answer.status == AnswerStatus.PENDING


def test_the_childrens_page_form_stores_the_scrubbed_text(client, children_board):
    url = reverse("live:children", args=[children_board.code])
    client.post(url, {"text": PERSONAL, "idempotency_key": uuid.uuid4().hex})
    assert scrubbed(Answer.objects.get(board=children_board).text)


def test_the_api_stores_the_scrubbed_text(children_board):
    body = json.dumps({"text": PERSONAL, "idempotency_key": "api-1"})
    response = Client().post(f"/api/live/{children_board.code}/answers", body, content_type="application/json")
    assert response.status_code == 201 and scrubbed(response.json()["text"])
    assert scrubbed(Answer.objects.get(board=children_board).text)


def host(board) -> tuple[Client, dict]:
    client = Client(enforce_csrf_checks=True)
    client.get(access.host_url(board, absolute=False))
    token = client.get(reverse("live:console", args=[board.code])).context["live_config"]["csrf"]
    return client, {"X-CSRFToken": token}


def patch(client, board, answer, body, headers=None):
    url = f"/api/live/{board.code}/host/answers/{answer.pk}"
    return client.patch(url, json.dumps(body), "application/json", headers=headers or {})


def test_the_moderator_edits_before_approving_and_after(children_board, answer_on):
    answer = answer_on(children_board, "Meer speeltuinen bij basisschool De Regenboog in Roden")
    assert answer.text == "Meer speeltuinen bij [school] in Roden"
    client, headers = host(children_board)
    edited = patch(client, children_board, answer, {"text": "Meer speeltuinen bij de school in Roden"}, headers)
    assert edited.status_code == 200
    assert edited.json()["text"] == "Meer speeltuinen bij de school in Roden"
    assert edited.json()["status"] == AnswerStatus.PENDING  # an edit does not approve
    assert [edit["by"] for edit in edited.json()["edits"]] == [""]  # a host through the host link
    approved = patch(client, children_board, answer, {"status": "visible"}, headers).json()
    assert approved["status"] == "visible"
    # After approving: the console's edit goes through the scrubber again, like the child's text did.
    again = patch(client, children_board, answer, {"text": "Speeltuin, bel Noah 0612345678"}, headers).json()
    assert "0612345678" not in again["text"] and "[telefoon]" in again["text"]
    assert len(again["edits"]) == 2
    # Only the edited text is stored: neither the child's words nor a text in between are anywhere.
    stored = [answer.text for answer in Answer.objects.all()] + [edit.text for edit in AnswerEdit.objects.all()]
    assert not any("Regenboog" in text or "0612345678" in text for text in stored)
    # The room screen shows the edited text.
    screen = Client().get(reverse("live:screen", args=[children_board.code])).content.decode()
    assert "Speeltuin, bel" in screen and "Regenboog" not in screen


def test_an_organiser_edit_records_her_name_and_a_workshop_answer_is_not_scrubbed(board, answer_on, organiser_of_roden):
    answer = answer_on(board, "Meer speelplekken")
    client = Client()
    client.force_login(organiser_of_roden)
    text = "Meer speelplekken, zegt wethouder Jansen (06 12345678)"  # adults' text: theirs to write
    response = patch(client, board, answer, {"text": text})
    assert response.status_code == 200 and response.json()["text"] == text
    assert AnswerEdit.objects.get().editor == "organisator"


def test_a_bad_text_is_refused_with_a_message(board, answer_on, organiser_of_roden):
    answer = answer_on(board, "Meer speelplekken")
    client = Client()
    client.force_login(organiser_of_roden)
    for text in ["   ", "x" * 281]:
        response = patch(client, board, answer, {"text": text})
        assert response.status_code == 422 and response.json()["code"] == "invalid"
    assert Answer.objects.get(pk=answer.pk).text == "Meer speelplekken" and not AnswerEdit.objects.exists()


def test_who_may_edit_a_text(board, answer_on, other_event, roden):
    from registration.factories import RegistrationFactory, UserFactory

    answer = answer_on(board, "Meer speelplekken")
    participant = Client()
    registration = RegistrationFactory(event=roden)
    from werkconferentie.registration import links

    participant.get(reverse("live:from_personal_link", args=[links.personal_token(registration), board.code]))
    others = Client()
    others.force_login(UserFactory(username="assen", organiser_of=[other_event]))
    # Not logged in as its host: 401 (the API's "who are you"); an organiser of another event: not found.
    statuses = [
        patch(client, board, answer, {"text": "Anders"}).status_code for client in (Client(), participant, others)
    ]
    assert statuses == [401, 401, 404]
    assert Answer.objects.get(pk=answer.pk).text == "Meer speelplekken"


def test_a_merge_text_of_childrens_answers_is_scrubbed(children_board, answer_on):
    a = answer_on(children_board, "Meer speeltuinen")
    b = answer_on(children_board, "Speeltuin graag")
    merged = boards.merge([a, b], text="Meer speeltuinen, zegt Noah (0612345678)")
    assert "0612345678" not in merged.text and merged.from_children
