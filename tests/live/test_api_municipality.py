"""The live API takes a municipality as people type it, and every refusal is a problem a page can show."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from werkconferentie.live.models import Answer

pytestmark = pytest.mark.django_db


def send(client, board, **payload):
    payload.setdefault("idempotency_key", f"k{Answer.objects.count()}-{payload.get('municipality')}")
    url = f"/api/live/{board.code}/answers"
    return client.post(url, json.dumps({"text": "Een kinderraad", **payload}), content_type="application/json")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Noordenveld", "GM1699"),
        ("Midden-Drenthe", "GM1731"),
        ("Den Haag", "GM0518"),
        ("sudwest fryslan", "GM1900"),
        ("Roden", "GM1699"),  # the village the conference is in: its municipality
    ],
)
def test_municipality_names_of_any_length_are_taken(board, typed, code):
    response = send(Client(), board, municipality=typed)
    assert response.status_code == 201, response.json()
    assert Answer.objects.get().municipality_id == code


def test_the_name_the_personal_link_fills_in_is_taken_on_the_page_too(client, board):
    page = client.get(reverse("live:board", args=[board.code]))
    key = page.context["form"].initial["idempotency_key"]
    data = {"text": "Iets", "municipality": "Borger-Odoorn", "idempotency_key": key}
    response = client.post(reverse("live:board", args=[board.code]), data)
    assert response.status_code == 302
    assert Answer.objects.get().municipality.name == "Borger-Odoorn"


def test_an_unknown_municipality_is_explained_in_the_users_language(board):
    client = Client()
    problem = send(client, board, municipality="Atlantis").json()
    assert problem["code"] == "unknown_municipality"
    assert problem["detail"].startswith("We kennen geen Nederlandse gemeente die \u201cAtlantis\u201d heet")
    client.cookies["django_language"] = "en"
    assert send(client, board, municipality="Atlantis").json()["detail"].startswith("We do not know a Dutch")
    assert not Answer.objects.exists()


def test_a_name_of_two_municipalities_offers_both(board):
    problem = send(Client(), board, municipality="Bergen").json()
    assert problem["code"] == "unknown_municipality"
    assert "Bergen (L.)" in problem["detail"] and "Bergen (NH.)" in problem["detail"]
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"municipality": "x" * 101},
        {"text": ""},
        {"text": 12},
        {"role": "koning"},
        {"idempotency_key": ""},
        {"municipality": ["Assen"]},
    ],
)
def test_validation_errors_use_the_problem_format(board, payload):
    response = send(Client(), board, **payload)
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "invalid"
    assert isinstance(problem["detail"], str) and problem["detail"] and "{" not in problem["detail"]
    assert problem["errors"] and all(isinstance(error["msg"], str) for error in problem["errors"])
    assert not Answer.objects.exists()
