"""Generated input at the live API: never a 5xx, and an answer is saved only when the API says so."""

import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkconferentie.live.models import Answer

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
garbage = st.text(max_size=400) | st.text(st.characters(categories=["Cc", "Cs", "Zs", "So"]), min_size=1, max_size=10)
wrong = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.lists(st.integers(), max_size=3)
texts = st.sampled_from(["Meer speelplekken", "<b>x</b>", "x" * 281, " "]) | garbage | wrong
keys = st.sampled_from(["k1", "k2", "", "x" * 65, "a\x00b"]) | garbage | wrong
roles = st.sampled_from(["raadslid", "koning", ""]) | wrong
municipalities = st.sampled_from(["GM1730", "Tynaarlo", "GM0001", "tynaarlo", "a\x00"]) | garbage | wrong
payloads = st.fixed_dictionaries(
    {},
    optional={"text": texts, "idempotency_key": keys, "role": roles, "municipality": municipalities, "extra": wrong},
)


@pytest.mark.django_db
@FUZZ
@given(payload=payloads | wrong)
def test_answers(client, board, payload):
    with transaction.atomic():
        before = Answer.objects.count()
        response = client.post(f"/api/live/{board.code}/answers", json.dumps(payload), content_type="application/json")
        assert response.status_code < 500, response.content
        added = Answer.objects.count() - before
        assert added == (1 if response.status_code == 201 else 0)
        transaction.set_rollback(True)


tags = st.fixed_dictionaries(
    {},
    optional={
        "priority": wrong,
        "status": st.sampled_from(["visible", "hidden", "pending", "gone"]) | wrong,
        "policy_areas": st.lists(st.sampled_from(["participatie", "armoede", "geheim"]) | garbage, max_size=4) | wrong,
        "crc_articles": st.lists(st.integers(-5, 10**20), max_size=4) | wrong,
        "sdgs": st.lists(st.integers(-5, 40), max_size=4) | wrong,
        "indicators": st.lists(st.sampled_from(["1.1.1", "4.1.1"]) | garbage, max_size=3) | wrong,
    },
)


@pytest.mark.django_db
@FUZZ
@given(patch=tags | wrong, merge=st.lists(st.integers(-3, 10**19), max_size=5) | wrong)
def test_host_endpoints(client, board, answer_on, organiser_of_roden, patch, merge):
    client.force_login(organiser_of_roden)
    with transaction.atomic():
        answer = answer_on(board, "Speelplekken")
        base = f"/api/live/{board.code}/host/"
        response = client.patch(base + f"answers/{answer.pk}", json.dumps(patch), content_type="application/json")
        assert response.status_code < 500, response.content
        response = client.post(base + "merge", json.dumps({"answers": merge}), content_type="application/json")
        assert response.status_code < 500, response.content
        transaction.set_rollback(True)
