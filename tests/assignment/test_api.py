"""The assignment API: runs, publishing and check-in for organisers (401 without token, 404 for others)."""

import pytest
from django.contrib.auth import get_user_model

from werkconferentie.assignment.models import AssignmentRun, CheckIn
from werkconferentie.core.models import ApiToken
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.registration import signup
from werkconferentie.registration.enums import Status

from .helpers import SLUGS, register

pytestmark = pytest.mark.django_db

BASE = "/api/events/roden-2022"


@pytest.fixture
def event(open_event):
    for n in range(12):
        register(open_event, n)
    return open_event


def token_for(user) -> dict:
    _record, token = ApiToken.create_for(user, "test")
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def organiser(event):
    user = get_user_model().objects.create_user("organisator", is_staff=True)
    event.organisers.add(user)
    return token_for(user)


def post(client, url, data=None, **headers):
    """A POST with a JSON body, or with none at all (as `curl -X POST` sends it)."""
    return client.post(url, "" if data is None else data, content_type="application/json", headers=headers)


def test_run_list_detail_and_publish(client, event, organiser):
    answer = post(client, f"{BASE}/assignment-runs", **organiser)
    assert answer.status_code == 201, answer.content
    run = answer.json()
    assert run["number"] == 1 and run["optimal"] and run["published_at"] is None
    assert run["participants"] == run["placed"] == 12 and run["unplaced"] == 0
    assert sum(run["rank_histogram"].values()) == 24
    assert 0 < run["share_first_choice"] <= 1

    second = post(client, f"{BASE}/assignment-runs", {"time_limit": 5, "mix": True}, **organiser)
    assert second.status_code == 201 and second.json()["number"] == 2
    listed = client.get(f"{BASE}/assignment-runs", headers=organiser).json()
    assert [r["number"] for r in listed] == [2, 1]

    detail = client.get(f"{BASE}/assignment-runs/1", headers=organiser).json()
    assert len(detail["placements"]) == 24 and detail["unplaced_reasons"] == []
    first = detail["placements"][0]
    assert set(first) == {"registration", "round", "workshop", "room", "source"}
    assert first["workshop"] in SLUGS and first["round"].startswith("ronde-")

    OutboxMessage.objects.all().delete()
    published = post(client, f"{BASE}/assignment-runs/1/publish", **organiser)
    assert published.status_code == 200 and published.json() == {"mailed": 12}
    assert OutboxMessage.objects.filter(kind="registration").count() == 12
    again = post(client, f"{BASE}/assignment-runs/1/publish", **organiser)
    assert again.json() == {"mailed": 0}
    assert AssignmentRun.objects.get(event=event, number=1).is_published


def test_unplaced_people_are_listed_with_a_reason(client, event, organiser):
    event.capacity = 100
    event.save()
    for n in range(12, 40):  # 40 people, more than the sessions seat
        register(event, n)
    seats = sum(s.capacity for s in event.rounds.get(number=1).sessions.all())
    event.rounds.get(number=1).sessions.update(capacity=1)
    answer = post(client, f"{BASE}/assignment-runs", **organiser)
    assert answer.status_code == 201, answer.content
    run = answer.json()
    assert run["unplaced"] > 0 and run["placed"] + run["unplaced"] == 40
    detail = client.get(f"{BASE}/assignment-runs/{run['number']}", headers=organiser).json()
    assert len(detail["unplaced_reasons"]) == run["unplaced"]
    assert all(row["reason"] for row in detail["unplaced_reasons"])
    assert seats > 0


def test_check_in_by_id_twice_and_presence(client, event, organiser):
    person = event.registrations.first()
    url = f"{BASE}/check-ins"
    first = post(client, url, {"registration": person.pk}, **organiser)
    assert first.status_code == 201 and first.json()["already"] is False
    second = post(client, url, {"registration": person.pk}, **organiser)
    assert second.status_code == 201 and second.json()["already"] is True
    assert second.json()["checked_in_at"] == first.json()["checked_in_at"]
    assert CheckIn.objects.count() == 1
    assert client.get(url, headers=organiser).json() == {"present": 1, "confirmed": 12}


def test_check_in_with_a_badge_token(client, event, organiser):
    from werkconferentie.assignment import checkin

    person = event.registrations.last()
    answer = post(client, f"{BASE}/check-ins", {"token": checkin.badge_token(person)}, **organiser)
    assert answer.status_code == 201 and answer.json()["registration"] == person.pk
    forged = post(client, f"{BASE}/check-ins", {"token": checkin.badge_token(person) + "x"}, **organiser)
    assert forged.status_code == 404 and forged.json()["code"] == "unknown_badge"


@pytest.mark.parametrize(
    ("method", "path", "data", "allowed"),
    [
        ("post", "/assignment-runs", None, 201),
        ("get", "/assignment-runs", None, 200),
        ("get", "/assignment-runs/1", None, 200),
        ("post", "/assignment-runs/1/publish", None, 200),
        ("post", "/check-ins", {"registration": 1}, 201),
        ("get", "/check-ins", None, 200),
    ],
)
def test_roles(client, event, organiser, method, path, data, allowed):
    url = BASE + path
    if path != "/assignment-runs":
        post(client, f"{BASE}/assignment-runs", **organiser)
    if data:
        data = {"registration": event.registrations.first().pk}

    def call(**headers):
        if method == "get":
            return client.get(url, headers=headers)
        return post(client, url, data, **headers)

    assert call().status_code == 401
    assert call(Authorization="Bearer wkc_wrong").status_code == 401
    stranger = get_user_model().objects.create_user("ander", is_staff=True)
    assert call(**token_for(stranger)).status_code == 404
    assert call(**organiser).status_code == allowed
    superuser = get_user_model().objects.create_superuser("beheer")
    assert call(**token_for(superuser)).status_code == allowed


@pytest.mark.parametrize(
    ("method", "path", "data", "status"),
    [
        ("post", "/assignment-runs", {"time_limit": 0}, 422),
        ("post", "/assignment-runs", {"time_limit": 10_000}, 422),
        ("post", "/assignment-runs", {"time_limit": "lang"}, 422),
        ("post", "/assignment-runs", "[1, 2", 400),
        ("get", "/assignment-runs/99", None, 404),
        ("get", "/assignment-runs/-1", None, 404),
        ("get", "/assignment-runs/99999999999999999999", None, 404),
        ("get", "/assignment-runs/een", None, 422),
        ("post", "/assignment-runs/99/publish", None, 404),
        ("post", "/check-ins", {}, 422),
        ("post", "/check-ins", {"registration": 1, "token": "x"}, 422),
        ("post", "/check-ins", {"registration": 10**30}, 404),
        ("post", "/check-ins", {"registration": 999999}, 404),
        ("post", "/check-ins", {"registration": -5}, 404),
        ("post", "/check-ins", {"token": "geen-badge\x00"}, 404),
        ("post", "/check-ins", {"token": "x" * 600}, 422),
    ],
)
def test_bad_input_is_4xx(client, event, organiser, method, path, data, status):
    url = BASE + path
    if method == "get":
        answer = client.get(url, headers=organiser)
    elif isinstance(data, str):
        answer = client.post(url, data, content_type="application/json", headers=organiser)
    else:
        answer = post(client, url, data, **organiser)
    assert answer.status_code == status, answer.content


def test_cancelled_and_waitlisted_people_are_not_checked_in(client, event, organiser):
    person = event.registrations.first()
    signup.cancel(person)
    answer = post(client, f"{BASE}/check-ins", {"registration": person.pk}, **organiser)
    assert answer.status_code == 409 and answer.json()["code"] == "not_confirmed"
    other = get_user_model().objects.create_user("x")
    assert other.pk and not CheckIn.objects.exists()
    assert event.registrations.filter(status=Status.CONFIRMED).count() == 11


def test_unknown_event_is_404(client, event, organiser):
    assert post(client, "/api/events/nergens/assignment-runs", **organiser).status_code == 404
    assert client.get("/api/events/a%00b/check-ins", headers=organiser).status_code == 404


def test_everything_is_in_the_openapi_schema(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    runs = paths["/api/events/{slug}/assignment-runs"]
    assert {"get", "post"} <= set(runs)
    assert {"201", "404", "409"} <= set(runs["post"]["responses"])
    assert "get" in paths["/api/events/{slug}/assignment-runs/{number}"]
    assert "post" in paths["/api/events/{slug}/assignment-runs/{number}/publish"]
    check_ins = paths["/api/events/{slug}/check-ins"]
    assert {"get", "post"} <= set(check_ins)
    assert "schema" in check_ins["post"]["responses"]["201"]["content"]["application/json"]
