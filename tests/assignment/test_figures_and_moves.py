"""Issue 14, point 12: one set of run figures for page and API, move refusals by code, the engine's reasons."""

import pytest
from django.urls import reverse

from registration.factories import UserFactory
from registration.roles import ROLES, role_client
from werkconferentie.allocation.model import UnplacedCode
from werkconferentie.assignment import runs
from werkconferentie.assignment.enums import MoveRefusal
from werkconferentie.assignment.models import Pin
from werkconferentie.core.models import ApiToken
from werkconferentie.events.models import WorkshopSession

from .helpers import register

pytestmark = pytest.mark.django_db

BASE = "/api/events/roden-2022"


@pytest.fixture
def people(open_event):
    open_event.capacity = 100
    open_event.save()
    return [register(open_event, n) for n in range(24)]


@pytest.fixture
def organiser(open_event):
    return UserFactory(username="organisator", organiser_of=[open_event])


def bearer(user) -> dict:
    _record, token = ApiToken.create_for(user, "test")
    return {"Authorization": f"Bearer {token}"}


def post(client, url, data, headers):
    return client.post(url, data, content_type="application/json", headers=headers)


def page(client, event, run):
    url = reverse("admin:assignment_assignmentrun_event", args=[event.slug]) + f"?run={run.number}"
    response = client.get(url, headers={"Accept-Language": "nl"})
    assert response.status_code == 200
    return response


def a_first_choice_given_up(run, people):
    """(person, session): a session in the round of one of her first choices, of a workshop she has nowhere."""
    for person in people:
        first = person.preferences.get(rank=1).workshop_id
        mine = {p.round_id: p for p in run.placements.filter(registration=person)}
        for round_id, placement in mine.items():
            if placement.workshop_id != first:
                continue
            others = {p.workshop_id for p in mine.values()}
            target = WorkshopSession.objects.filter(round_id=round_id).exclude(workshop__in=others).first()
            if target is not None:
                return person, target
    raise AssertionError("no first choice to give up")


def test_page_and_api_show_the_same_figures_after_a_manual_move(client, open_event, people, organiser):
    run = runs.run_engine(open_event)
    headers = bearer(organiser)
    person, target = a_first_choice_given_up(run, people)
    moved = post(
        client,
        f"{BASE}/assignment-runs/{run.number}/moves",
        {
            "registration": person.pk,
            "round": target.round.key,
            "workshop": target.workshop.slug,
            "accept_warnings": True,
        },
        headers,
    )
    assert moved.status_code == 200, moved.content
    assert run.placements.get(registration=person, round=target.round).session == target

    api = client.get(f"{BASE}/assignment-runs/{run.number}", headers=headers).json()
    client.force_login(organiser)
    shown = page(client, open_event, run)
    context = shown.context
    figures = context["figures"]
    assert api["placed"] == figures.placed == context["placed"] == 24
    assert api["unplaced"] == figures.unplaced == 0
    assert api["got_first_choice"] == figures.got_first == context["got_first"]
    assert api["share_first_choice"] == figures.share_first_choice
    assert api["rank_histogram"] == figures.rank_histogram
    assert {(b["label"], b["count"]) for b in context["histogram"]} == {
        (rank, n) for rank, n in api["rank_histogram"].items()
    }
    page_fill = {(row["session"].round.key, row["session"].workshop.slug): row["used"] for row in context["sessions"]}
    api_fill = {(row["round"], row["workshop"]): row["used"] for row in api["sessions"]}
    assert page_fill == api_fill and api_fill[(target.round.key, target.workshop.slug)] >= 1
    body = shown.content.decode()
    assert f"<dd>{figures.first_percent}%</dd>" in body and f"<dd>{figures.placed}</dd>" in body
    # The move is in them: the engine's own statistics (kept in the run) no longer agree.
    assert api["rank_histogram"] != run.stats["rank_histogram"]


def move_url(run) -> str:
    return f"{BASE}/assignment-runs/{run.number}/moves"


def test_move_refusals_answer_with_their_code(client, open_event, people, organiser):
    run = runs.run_engine(open_event)
    headers = bearer(organiser)
    person = people[0]
    mine = {p.round.key: p for p in run.placements.filter(registration=person).select_related("round", "workshop")}
    # Her round-2 workshop in round 1: a workshop twice.
    twice = {"registration": person.pk, "round": "ronde-1", "workshop": mine["ronde-2"].workshop.slug}
    answer = post(client, move_url(run), twice, headers)
    assert answer.status_code == 409 and answer.json()["code"] == MoveRefusal.WORKSHOP_TWICE == "workshop_twice"
    assert answer.json()["detail"]
    # A full session: refused with its code until the warning is accepted.
    target = (
        WorkshopSession.objects.filter(round__key="ronde-1", workshop__event=open_event)
        .exclude(workshop__in=[p.workshop_id for p in mine.values()])
        .first()
    )
    target.capacity = run.placements.filter(session=target).count()
    target.save()
    full = {"registration": person.pk, "round": "ronde-1", "workshop": target.workshop.slug, "pin": False}
    answer = post(client, move_url(run), full, headers)
    assert answer.status_code == 409 and answer.json()["code"] == "session_full"
    assert run.placements.get(registration=person, round__key="ronde-1").session == mine["ronde-1"].session
    answer = post(client, move_url(run), {**full, "accept_warnings": True}, headers)
    assert answer.status_code == 200 and answer.json()["warnings"] == ["session_full"]
    assert answer.json()["pinned"] is False and not Pin.objects.exists()
    assert run.placements.get(registration=person, round__key="ronde-1").session == target
    # A published run: its code.
    runs.publish(run)
    answer = post(client, move_url(run), {**full, "workshop": mine["ronde-1"].workshop.slug}, headers)
    assert answer.status_code == 409 and answer.json()["code"] == "run_published"


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"registration": 999999, "round": "ronde-1", "workshop": "diversiteit"}, 404),
        ({"registration": -1, "round": "ronde-1", "workshop": "diversiteit"}, 404),
        ({"registration": "PERSON", "round": "ronde-9", "workshop": "diversiteit"}, 404),
        ({"registration": "PERSON", "round": "ronde-1", "workshop": "bestaat-niet"}, 404),
        ({"registration": "PERSON", "round": "ronde-1"}, 422),
        ({"registration": "PERSON", "round": "ronde-1", "workshop": "diversiteit", "pin": "ja"}, 422),
    ],
)
def test_bad_moves_are_4xx(client, open_event, people, organiser, data, status):
    run = runs.run_engine(open_event)
    if data["registration"] == "PERSON":
        data = {**data, "registration": people[0].pk}
    answer = post(client, move_url(run), data, bearer(organiser))
    assert answer.status_code == status, answer.content


def test_a_move_in_an_unknown_run_is_not_found(client, open_event, people, organiser):
    data = {"registration": people[0].pk, "round": "ronde-1", "workshop": "diversiteit"}
    answer = post(client, f"{BASE}/assignment-runs/99/moves", data, bearer(organiser))
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organiser_may_move_through_the_api(open_event, people, role):
    run = runs.run_engine(open_event)
    person = people[0]
    placement = run.placements.filter(registration=person).select_related("round", "workshop").first()
    data = {"registration": person.pk, "round": placement.round.key, "workshop": placement.workshop.slug}
    client = role_client(role, open_event, person)
    headers = {}
    if role in ("other_organiser", "organiser"):
        user = UserFactory(username=f"api-{role}", organiser_of=[open_event] if role == "organiser" else [])
        headers = bearer(user)
    answer = post(client, move_url(run), data, headers)
    expected = {"anonymous": 401, "participant": 401, "host": 401, "other_organiser": 404, "organiser": 200}
    assert answer.status_code == expected[role], (role, answer.content)


def test_page_and_api_show_the_engines_reason_for_the_unplaced(client, open_event, people, organiser):
    # Round 1 seats 20 of the 24.
    sessions = list(WorkshopSession.objects.filter(round__key="ronde-1", workshop__event=open_event).order_by("pk"))
    for session, seats in zip(sessions, (10, 10, 0), strict=True):
        session.capacity = seats
        session.save()
    run = runs.run_engine(open_event)
    headers = {**bearer(organiser), "Accept-Language": "nl"}
    api = client.get(f"{BASE}/assignment-runs/{run.number}", headers=headers).json()
    assert api["unplaced"] == 4 and len(api["unplaced_reasons"]) == 4
    codes = {row["code"] for row in api["unplaced_reasons"]}
    # Everyone ranked all three workshops, which all run in round 1 (one with no seats): her choices are full.
    assert codes == {UnplacedCode.CHOICES_FULL.value}
    assert all(row["rounds"] == ["ronde-1"] for row in api["unplaced_reasons"])
    client.force_login(organiser)
    body = page(client, open_event, run).content.decode()
    for row in api["unplaced_reasons"]:
        assert row["reason"] in body  # the same sentence, in Dutch, on the page
        assert "Ronde 1" in row["reason"] or "ronde 1" in row["reason"].lower()


def test_the_move_endpoint_is_in_the_openapi_schema(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    move = paths["/api/events/{slug}/assignment-runs/{number}/moves"]["post"]
    assert {"200", "404", "409"} <= set(move["responses"])
