"""The follow-up API: the public commitments of an event, and the organiser's endpoints; who may use which."""

import pytest
from django.contrib.auth import get_user_model

from registration.factories import UserFactory
from werkconferentie.core.models import ApiToken
from werkconferentie.followup.commitments import create_commitment, update_commitment
from werkconferentie.followup.history import Actor
from werkconferentie.followup.models import Commitment, CommitmentChange

pytestmark = pytest.mark.django_db

PUBLIC = "/api/events/roden-2022/commitments"
ALL = "/api/events/roden-2022/followup/commitments"


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {ApiToken.create_for(user, 'test')[1]}"}


@pytest.fixture
def hidden(conference, tynaarlo, organiser, commitment):
    """A commitment of Tynaarlo not public yet, and a milestone of Noordenveld's public one."""
    actor = Actor(user=organiser)
    create_commitment(
        conference,
        commitment.municipality,
        actor,
        parent=commitment,
        title="Verordening",
        status_note="Klaar.",
        status="voldaan",
        weight=3,
    )
    create_commitment(
        conference,
        commitment.municipality,
        actor,
        parent=commitment,
        title="Eerste vergadering",
        status_note="Nog niet.",
        weight=1,
    )
    return create_commitment(conference, tynaarlo, actor, title="Geheim plan", status_note="Concept.")


def test_the_public_list_holds_public_commitments_only(client, conference, commitment, hidden):
    body = client.get(PUBLIC).json()
    assert [(c["municipality"]["code"], c["number"], c["title"]) for c in body] == [
        ("GM1699", 1, "Kinderraad per 1 september")
    ]
    first = body[0]
    assert [m["title"] for m in first["milestones"]] == ["Verordening", "Eerste vergadering"]
    assert first["progress"] == 75  # (100 × 3 + 0 × 1) / 4
    assert first["outcome_points"] == [1] and first["target_date"] == "2022-11-20"
    raw = client.get(PUBLIC).content.decode()
    assert "Geheim" not in raw and "griffie" not in raw and "organisator" not in raw
    assert client.get(PUBLIC, {"municipality": "gm1730"}).json() == []
    assert len(client.get(PUBLIC, {"municipality": "GM1699"}).json()) == 1
    update_commitment(hidden, Actor.system(), is_public=True)
    assert len(client.get(PUBLIC).json()) == 2
    assert client.get("/api/events/niet-bestaand/commitments").status_code == 404


def test_who_may_use_which_endpoint(world, conference, commitment, organiser):
    other = get_user_model().objects.get(username="andere")
    headers = {"organiser of another event": bearer(other), "organiser": bearer(organiser)}
    one = f"{ALL}/{commitment.pk}"
    for who, client in world.items():
        auth = headers.get(who, {})
        assert client.get(PUBLIC, headers=auth).status_code == 200, who
        answers = [
            client.get(ALL, headers=auth),
            client.post(
                ALL,
                {"municipality": "GM1699", "title": "x", "status_note": "y"},
                content_type="application/json",
                headers=auth,
            ),
            client.patch(one, {"status": "voldaan"}, content_type="application/json", headers=auth),
        ]
        expected = {"organiser": [200, 201, 200], "organiser of another event": [404, 404, 404]}.get(who, [401] * 3)
        assert [a.status_code for a in answers] == expected, who
    # Only the organiser's two changes happened.
    assert Commitment.objects.filter(title="x").count() == 1
    assert Commitment.objects.get(pk=commitment.pk).status == "voldaan"


def test_organiser_lists_adds_and_changes(client, conference, commitment, hidden, organiser):
    headers = bearer(organiser)
    listed = client.get(ALL, headers=headers).json()
    assert len(listed) == 4 and {c["title"] for c in listed} >= {"Geheim plan", "Verordening"}
    milestone = next(c for c in listed if c["title"] == "Verordening")
    assert milestone["parent"] == commitment.pk and milestone["weight"] == 3
    response = client.post(
        ALL,
        {
            "municipality": "GM1699",
            "title": "Speelplekken",
            "kind": "motie",
            "status_note": "Motie aangenomen.",
            "document_links": [{"title": "Motie", "url": "https://noordenveld.example/motie.pdf"}],
            "crc_articles": [31],
            "is_public": True,
        },
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    added = response.json()
    # Number 4: the milestones 2 and 3 share the municipality's numbering.
    assert (added["number"], added["target_date"], added["crc_articles"]) == (4, "2022-11-20", [31])
    assert added["document_links"] == [{"title": "Motie", "url": "https://noordenveld.example/motie.pdf"}]
    response = client.patch(
        f"{ALL}/{added['id']}",
        {"status": "in-uitvoering", "status_note": "Plan in de maak.", "progress": 30, "committed_on": None},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200 and response.json()["progress"] == 30
    change = CommitmentChange.objects.filter(commitment_id=added["id"], action="update").get()
    assert change.user == organiser and change.changes["status"] == ["openstaand", "in-uitvoering"]
    milestone = client.post(
        ALL,
        {"municipality": "GM1699", "parent": added["id"], "title": "Locaties", "status_note": "Gekozen."},
        content_type="application/json",
        headers=headers,
    ).json()
    assert milestone["parent"] == added["id"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"municipality": "GM9999", "title": "x", "status_note": "y"}, "GM9999"),
        ({"municipality": "GM1699", "title": "x", "status_note": "y", "status": "bijna"}, "status"),
        ({"municipality": "GM1699", "title": "x", "status_note": "y", "parent": 999999}, "999999"),
        ({"municipality": "GM1730", "title": "x", "status_note": "y", "parent": "PARENT"}, "zelfde gemeente"),
        ({"municipality": "GM1699", "title": "x", "status_note": "y", "sdgs": [18]}, "17"),
        (
            {"municipality": "GM1699", "title": "x", "status_note": "y", "document_links": [{"url": "javascript:x"}]},
            "https",
        ),
        ({"municipality": "GM1699", "title": "x"}, "status_note"),
        ({"municipality": "GM1699", "title": "x", "status_note": "y", "progress": 101}, "progress"),
    ],
)
def test_bad_input_is_422_with_a_reason(client, conference, commitment, organiser, body, message):
    if body.get("parent") == "PARENT":
        body["parent"] = commitment.pk
    before = Commitment.objects.count()
    response = client.post(ALL, body, content_type="application/json", headers=bearer(organiser))
    assert response.status_code == 422, response.content
    problem = response.json()
    assert problem["code"] == "invalid" and message in problem["detail"] + str(problem["errors"])
    assert Commitment.objects.count() == before


@pytest.mark.parametrize(
    "body", [{"title": None}, {"status_note": ""}, {"status": "klaar"}, {"target_date": "morgen"}, {"progress": -1}]
)
def test_bad_changes_are_422(client, commitment, organiser, body):
    url = f"{ALL}/{commitment.pk}"
    response = client.patch(url, body, content_type="application/json", headers=bearer(organiser))
    assert response.status_code == 422
    assert not CommitmentChange.objects.filter(action="update").exists()


@pytest.mark.parametrize(
    ("commitment_id", "status"), [("0", 404), ("99999999999999999999999", 404), ("abc", 422), ("999999", 404)]
)
def test_impossible_commitment_ids(client, commitment, organiser, commitment_id, status):
    response = client.patch(
        f"{ALL}/{commitment_id}", {"title": "x"}, content_type="application/json", headers=bearer(organiser)
    )
    assert response.status_code == status


def test_a_commitment_of_another_event_is_404(client, commitment, other_event):
    """An organiser of both events cannot reach this event's commitment through the other event's address."""
    both = UserFactory(username="beide", organiser_of=[commitment.event, other_event])
    url = f"/api/events/{other_event.slug}/followup/commitments/{commitment.pk}"
    response = client.patch(url, {"title": "x"}, content_type="application/json", headers=bearer(both))
    assert response.status_code == 404
    assert Commitment.objects.get(pk=commitment.pk).title == "Kinderraad per 1 september"


def test_everything_is_in_the_openapi_schema(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "get" in paths["/api/events/{slug}/commitments"]
    assert "security" not in paths["/api/events/{slug}/commitments"]["get"]
    assert {"get", "post"} <= set(paths["/api/events/{slug}/followup/commitments"])
    assert "patch" in paths["/api/events/{slug}/followup/commitments/{commitment_id}"]
    assert paths["/api/events/{slug}/followup/commitments"]["post"]["security"]


@pytest.mark.parametrize(
    "extra",
    [
        {"crc_articles": [10**30]},
        {"outcome_points": [10**30]},
        {"answers": [-1, 10**20]},
        {"title": "x\x00"},
        {"policy_areas": ["geen-terrein"]},
        {"committed_on": "2022-02-30"},
    ],
)
def test_odd_values_are_422_never_500(client, commitment, organiser, extra):
    headers = bearer(organiser)
    body = {"municipality": "GM1699", "title": "x", "status_note": "y", **extra}
    assert client.post(ALL, body, content_type="application/json", headers=headers).status_code == 422
    url = f"{ALL}/{commitment.pk}"
    assert client.patch(url, extra, content_type="application/json", headers=headers).status_code == 422


@pytest.mark.parametrize("code", ["GM\x001699", "GM" + "1" * 5000, 10**30])
def test_odd_municipality_codes(client, commitment, organiser, code):
    body = {"municipality": code, "title": "x", "status_note": "y"}
    response = client.post(ALL, body, content_type="application/json", headers=bearer(organiser))
    assert response.status_code == 422
    assert client.get(PUBLIC, {"municipality": str(code)}).json() == []
