"""The commitments' rules: values checked, every change in the history, milestones, merged municipalities."""

import datetime as dt

import pytest

from werkconferentie.followup import commitments
from werkconferentie.followup.commitments import create_commitment, update_commitment
from werkconferentie.followup.errors import FollowupError
from werkconferentie.followup.history import Actor, trail_of
from werkconferentie.followup.models import Commitment, CommitmentChange
from werkconferentie.reference.models import Municipality

pytestmark = pytest.mark.django_db


def test_a_new_commitment_gets_the_events_target_date_a_number_and_a_history(commitment, conference, organiser):
    assert commitment.target_date == dt.date(2022, 11, 20)
    assert commitment.number == 1
    assert commitment.status == "openstaand" and commitment.progress == 0
    change = trail_of(commitment).get()
    assert change.action == "create" and change.user == organiser
    assert change.changes["title"] == [None, "Kinderraad per 1 september"]
    assert change.changes["outcome_points"][1] == [commitment.outcome_points.get().pk]


def test_a_new_deadline_keeps_the_old_one_in_the_history(commitment, contact):
    changes = update_commitment(
        commitment,
        Actor(contact=contact),
        target_date="2023-03-01",
        status="in-uitvoering",
        status_note="Eerste bijeenkomst gepland.",
        progress=30,
    )
    assert changes["target_date"] == ["2022-11-20", "2023-03-01"]
    last = trail_of(commitment).last()
    assert last.by_contact and last.contact == contact and last.user is None
    assert last.changes["status"] == ["openstaand", "in-uitvoering"]
    assert last.changes["progress"] == [0, 30]


def test_nothing_changed_records_nothing(commitment, organiser):
    assert update_commitment(commitment, Actor(user=organiser), title=commitment.title) == {}
    assert trail_of(commitment).count() == 1


def test_done_means_100_percent_unless_said_otherwise(commitment, organiser):
    update_commitment(commitment, Actor(user=organiser), status="voldaan", status_note="De kinderraad is er.")
    assert commitment.progress == 100


@pytest.mark.parametrize(
    "values, message",
    [
        ({"status_note": ""}, "Stand van zaken"),
        ({"status": "klaar"}, "status"),
        ({"progress": 120}, "tussen 0 en 100"),
        ({"progress": "veel"}, "heel getal"),
        ({"target_date": "20-11-2022"}, "geen datum"),
        ({"target_date": ""}, "verplicht"),
        ({"document_links": ["javascript:alert(1)"]}, "geen webadres"),
        ({"crc_articles": [55]}, "artikel 1 tot en met 54"),
        ({"policy_areas": ["ruimtevaart"]}, "beleidsterreinen"),
        ({"title": "x" * 301}, "te lang"),
        ({"title": "a\x00b"}, "tekens"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(commitment, organiser, values, message):
    with pytest.raises(FollowupError) as refused:
        update_commitment(commitment, Actor(user=organiser), **values)
    assert message.lower() in str(refused.value).lower()
    assert trail_of(commitment).count() == 1


def test_answers_must_be_public_answers_of_the_event(commitment, organiser, other_event, answer_on):
    from werkconferentie.live.boards import ensure_boards, set_open

    foreign = answer_on(set_open(ensure_boards(other_event)[0], True), "Elders")
    with pytest.raises(FollowupError):
        update_commitment(commitment, Actor(user=organiser), answers=[foreign.pk])


def test_a_contact_cannot_touch_another_municipality(commitment, other_contact, conference, noordenveld):
    with pytest.raises(FollowupError, match="eigen gemeente"):
        update_commitment(commitment, Actor(contact=other_contact), status_note="Niet van mij")
    with pytest.raises(FollowupError, match="eigen gemeente"):
        create_commitment(conference, noordenveld, Actor(contact=other_contact), title="x", status_note="y")
    with pytest.raises(FollowupError):
        commitments.delete_commitment(commitment, Actor(contact=other_contact))
    assert Commitment.objects.filter(pk=commitment.pk).exists()


def test_milestones_give_the_weighted_average_and_one_level_only(commitment, organiser, conference, noordenveld):
    actor = Actor(user=organiser)
    first = create_commitment(
        conference, noordenveld, actor, parent=commitment, title="Werving", status_note="Klaar", progress=100, weight=1
    )
    create_commitment(
        conference, noordenveld, actor, parent=commitment, title="Eerste vergadering", status_note="-", weight=3
    )
    assert commitments.progress_of(commitment) == 25  # (100·1 + 0·3) / 4
    with pytest.raises(FollowupError, match="geen eigen mijlpalen"):
        create_commitment(conference, noordenveld, actor, parent=first, title="Te diep", status_note="-")


def test_merged_municipalitys_commitments_go_to_the_successor(conference, organiser):
    weesp = Municipality.objects.get(code="GM0457")  # part of Amsterdam since 2022
    amsterdam = commitments.municipality_for("GM0457")
    assert amsterdam.code == "GM0363"
    create_commitment(conference, amsterdam, Actor(user=organiser), title="Al in Amsterdam", status_note="-")
    old = create_commitment(conference, weesp, Actor(user=organiser), title="Speelplekken Weesp", status_note="-")
    assert commitments.take_over_merged(conference) == 1
    old.refresh_from_db()
    assert old.municipality == amsterdam and old.number == 2
    change = CommitmentChange.objects.filter(commitment=old, action="take-over").get()
    assert change.changes["municipality"] == ["GM0457", "GM0363"]
    with pytest.raises(FollowupError, match="GM9999"):
        commitments.municipality_for("GM9999")


def test_deleting_keeps_the_history(commitment, organiser):
    pk = commitment.pk
    commitments.delete_commitment(commitment, Actor(user=organiser))
    assert not Commitment.objects.filter(pk=pk).exists()
    assert CommitmentChange.objects.filter(action="delete", commitment_label__contains="Kinderraad").exists()
