"""The outcome API: the public published outcome, and the organiser's endpoints for points."""

import pytest

from registration.factories import RegistrationFactory, UserFactory
from werkconferentie.core.models import ApiToken
from werkconferentie.live.enums import AnswerStatus, BoardKind
from werkconferentie.outcomes import points, report, themes
from werkconferentie.outcomes.models import OutcomeChange, OutcomePoint

pytestmark = pytest.mark.django_db

POINTS = "/api/events/roden-2022/outcomes/points"


@pytest.fixture
def filled(roden, boards, answer_on):
    workshop = next(b for b in boards if b.kind == BoardKind.WORKSHOP)
    children = next(b for b in boards if b.kind == BoardKind.CHILDREN)
    zoe = RegistrationFactory(event=roden, name="Zoë Jansen", email="zoe@tynaarlo.nl")
    adult = answer_on(workshop, "Kortere wachtlijsten in de jeugdzorg", votes=2, registration=zoe, role="raadslid")
    from werkconferentie.live.boards import update_answer

    child = answer_on(children, "Sneller hulp als het thuis niet goed gaat", from_children=True)
    update_answer(child, status=AnswerStatus.VISIBLE)
    theme = themes.create_theme(roden, "Wachtlijsten", [adult.pk, child.pk])
    first = points.point_from_theme(theme)
    points.update_point(first, is_request=True, request_nl="De werkconferentie vraagt de gemeenteraad …", sdgs=[3])
    points.create_point(roden, title_nl="Tweede punt")
    points.create_point(roden, title_nl="Derde punt", is_request=True)
    return roden


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {ApiToken.create_for(user, 'test')[1]}"}


def test_the_outcome_is_public_only_once_published(client, filled):
    assert client.get("/api/events/roden-2022/outcomes").status_code == 404
    report.publish(filled)
    body = client.get("/api/events/roden-2022/outcomes").json()
    assert [(p["number"], p["request_number"], p["title"]["nl"]) for p in body["points"]] == [
        (1, 1, "Wachtlijsten"),
        (2, None, "Tweede punt"),
        (3, 2, "Derde punt"),
    ]
    first = body["points"][0]
    assert first["supporting_answers"] == 2 and first["from_children"] == 1 and first["sdgs"] == [3]
    assert first["request"] == {"nl": "De werkconferentie vraagt de gemeenteraad …", "en": ""}
    raw = client.get("/api/events/roden-2022/outcomes").content.decode()
    assert "Zoë" not in raw and "tynaarlo" not in raw and "raadslid" not in raw
    report.unpublish(filled)
    assert client.get("/api/events/roden-2022/outcomes").status_code == 404
    assert client.get("/api/events/niet-bestaand/outcomes").status_code == 404


def test_who_may_use_the_organiser_endpoints(client, filled, organiser, other_event):
    point = OutcomePoint.objects.get(number=2)
    urls = [("get", POINTS), ("post", POINTS), ("patch", f"{POINTS}/{point.pk}"), ("delete", f"{POINTS}/{point.pk}")]
    people = {
        "anonymous": {},
        "participant": {"Authorization": "Bearer not-a-token"},
        "plain staff": bearer(UserFactory(username="medewerker", organiser=False)),
        "organiser of another event": bearer(UserFactory(username="andere", organiser_of=[other_event])),
    }
    for who, headers in people.items():
        for method, url in urls:
            response = client.generic(
                method.upper(), url, '{"title_nl": "x"}', content_type="application/json", headers=headers
            )
            expected = 401 if who in ("anonymous", "participant") else 404
            assert response.status_code == expected, f"{who} {method} {url}"
    assert OutcomePoint.objects.filter(event=filled).count() == 3
    assert client.get(POINTS, headers=bearer(organiser)).status_code == 200


def test_organiser_lists_creates_changes_and_removes_points(client, filled, organiser):
    headers = bearer(organiser)
    listed = client.get(POINTS, headers=headers).json()
    assert [p["number"] for p in listed] == [1, 2, 3] and len(listed[0]["answers"]) == 2
    response = client.post(
        POINTS,
        {
            "title_nl": "Kinderraad",
            "number": 1,
            "crc_articles": [12],
            "policy_areas": ["participatie"],
            "is_request": True,
        },
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201
    created = response.json()
    assert created["number"] == 1 and created["request_number"] == 1 and created["crc_articles"] == [12]
    response = client.patch(
        f"{POINTS}/{created['id']}",
        {"title_en": "Children's council", "number": 4},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    assert (
        response.json()["title"] == {"nl": "Kinderraad", "en": "Children's council"} and response.json()["number"] == 4
    )
    change = OutcomeChange.objects.filter(action="update", object_id=created["id"]).get()
    assert change.user == organiser and change.changes["title_en"] == ["", "Children's council"]
    assert client.delete(f"{POINTS}/{created['id']}", headers=headers).status_code == 204
    assert [p["number"] for p in client.get(POINTS, headers=headers).json()] == [1, 2, 3]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"title_nl": ""},
        {"title_nl": "x", "crc_articles": [999]},
        {"title_nl": "x", "sdgs": [99999999999999999999]},
        {"title_nl": "x", "answers": [2**70]},
        {"title_nl": "x", "answers": [123456]},
        {"title_nl": "x", "policy_areas": ["nope\x00"]},
        {"title_nl": "a\x00b"},
        {"title_nl": "x", "request_nl": "bad\x07bell"},
        {"title_nl": "x" * 301},
        {"title_nl": "x", "number": 0},
        {"title_nl": "x", "is_request": "misschien"},
    ],
)
def test_bad_input_is_422_with_a_reason(client, filled, organiser, body):
    response = client.post(POINTS, body, content_type="application/json", headers=bearer(organiser))
    assert response.status_code == 422, response.content
    problem = response.json()  # the API's problem format (werkconferentie/api.py), as every 422 of the API
    assert problem["code"] == "invalid"
    assert problem["detail"] and problem["errors"] and all(error["msg"] for error in problem["errors"])
    assert OutcomePoint.objects.filter(event=filled).count() == 3


@pytest.mark.parametrize("body", [{"title_nl": None}, {"number": "een"}, {"answers": [1, "x"]}, {"title_nl": ""}])
def test_bad_changes_are_422(client, filled, organiser, body):
    point = OutcomePoint.objects.get(number=1)
    response = client.patch(f"{POINTS}/{point.pk}", body, content_type="application/json", headers=bearer(organiser))
    assert response.status_code == 422


@pytest.mark.parametrize(("point_id", "status"), [("0", 404), ("99999999999999999999999", 404), ("abc", 422)])
def test_impossible_point_ids(client, filled, organiser, point_id, status):
    response = client.patch(
        f"{POINTS}/{point_id}", {"title_en": "x"}, content_type="application/json", headers=bearer(organiser)
    )
    assert response.status_code == status


def test_everything_is_in_the_openapi_schema(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "get" in paths["/api/events/{slug}/outcomes"]
    assert {"get", "post"} <= set(paths["/api/events/{slug}/outcomes/points"])
    assert {"patch", "delete"} <= set(paths["/api/events/{slug}/outcomes/points/{point_id}"])
    assert paths["/api/events/{slug}/outcomes/points"]["post"]["security"]
    assert "security" not in paths["/api/events/{slug}/outcomes"]["get"]
