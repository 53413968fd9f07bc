"""Vote and answer stuffing (issue 14.3): a voter id costs a join, one address adds a bounded number of votes to
one answer, and yet a room of 200 people behind one Wi-Fi address joins, answers and votes within minutes."""

import time
import uuid

import pytest
from django.core.cache import caches
from django.test import Client

from werkconferentie.core.ratelimit import Rate
from werkconferentie.live.identity import COOKIE
from werkconferentie.live.models import Answer, Vote

pytestmark = pytest.mark.django_db
VENUE = "198.51.100.20"  # the venue's Wi-Fi: every phone's requests come from this one address


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    caches[settings.RATELIMIT_CACHE].clear()
    yield
    caches[settings.RATELIMIT_CACHE].clear()


def phone() -> Client:
    return Client(REMOTE_ADDR=VENUE)


def join(client, board):
    return client.get(f"/doe-mee/{board.code}/")


def answer(client, board, text):
    return client.post(
        f"/api/live/{board.code}/answers",
        {"text": text, "idempotency_key": uuid.uuid4().hex},
        content_type="application/json",
    )


def vote(client, board, answer_id):
    return client.post(f"/api/live/{board.code}/answers/{answer_id}/vote")


def test_api_responses_hand_out_no_voter_ids(board, answer_on):
    target = answer_on(board, "Meer speelplekken")
    client = Client()
    for _ in range(5):
        response = client.get(f"/api/live/{board.code}/answers")
        assert response.status_code == 200 and COOKIE not in response.cookies
        assert vote(client, board, target.pk).status_code == 403  # no voter: open the board first
    assert answer(client, board, "Zonder cookie").status_code == 201
    assert COOKIE not in client.cookies
    assert Vote.objects.count() == 0


def test_a_script_that_joins_again_and_again_is_bounded(board, answer_on, settings):
    settings.LIVE_JOIN_RATE = Rate(20, 600)
    settings.LIVE_VOTE_RATE = Rate(15, 3600)
    target = answer_on(board, "Meer speelplekken")
    statuses = []
    for _ in range(40):
        client = phone()  # a fresh browser each time: no cookie kept
        join(client, board)
        statuses.append(vote(client, board, target.pk).status_code)
    # 20 new voter ids from this address, of which 15 votes counted for this answer; the rest is refused.
    assert Vote.objects.filter(answer=target).count() == 15
    assert statuses.count(200) == 15 and statuses.count(429) == 5 and statuses.count(403) == 20
    # Another address is not affected.
    other = Client(REMOTE_ADDR="203.0.113.7")
    join(other, board)
    assert vote(other, board, target.pk).status_code == 200


def test_fresh_browsers_do_not_escape_the_answer_limit_of_an_address(board, settings):
    settings.LIVE_ADDRESS_ANSWER_RATE = Rate(10, 600)
    statuses = []
    for number in range(15):
        client = phone()
        join(client, board)
        statuses.append(answer(client, board, f"Idee nummer {number}").status_code)
    assert statuses.count(201) == 10 and statuses.count(429) == 5
    assert Answer.objects.filter(board=board).count() == 10


@pytest.mark.slow
def test_a_room_of_200_behind_one_address_joins_answers_and_votes_within_minutes(board):
    """With the default limits: 200 phones on one address open the board, each answers, each votes for the
    first answer and for the answer of the phone before it."""
    started = time.monotonic()
    phones = [phone() for _ in range(200)]
    for client in phones:
        assert join(client, board).status_code == 200
        assert COOKIE in client.cookies
    ids = []
    for number, client in enumerate(phones):
        response = answer(client, board, f"Idee {number}: meer plek om te spelen in wijk {number}")
        assert response.status_code == 201, (number, response.json())
        ids.append(response.json()["id"])
    for number, client in enumerate(phones):
        assert vote(client, board, ids[0]).status_code == 200, number
        assert vote(client, board, ids[number - 1]).status_code == 200, number
    seconds = time.monotonic() - started
    assert Vote.objects.filter(answer_id=ids[0]).count() == 200
    assert Vote.objects.count() == 200 + 199  # the first phone's second vote is for the last answer
    assert seconds < 120, f"the room needed {seconds:.0f} s"
