"""Fixtures of the outcome tests: the example event's boards with answers and votes."""

import uuid

import pytest


@pytest.fixture(autouse=True)
def _suggestions_at_once(settings):
    """Duplicate suggestions in the test's own thread (a background thread cannot see the test's transaction)."""
    settings.LIVE_SUGGEST_IN_BACKGROUND = False


@pytest.fixture
def boards(roden):
    import datetime as dt

    from werkconferentie.live.boards import ensure_boards, set_open

    roden.date = dt.date.today() + dt.timedelta(days=30)
    roden.registration_closes = None
    roden.save()
    return [set_open(board, True) for board in ensure_boards(roden)]


@pytest.fixture
def answer_on(db):
    """answer_on(board, text, votes=0, **fields): an answer as a participant sends it, with `votes` votes."""
    from werkconferentie.live.boards import Submission, submit_answer, vote

    def make(board, text, votes=0, **fields):
        answer = submit_answer(board, Submission(text=text, idempotency_key=uuid.uuid4().hex, **fields))[0]
        for n in range(votes):
            vote(answer, f"b{answer.pk}-{n}")
        return answer

    return make


@pytest.fixture
def organiser(roden):
    from registration.factories import UserFactory

    return UserFactory(username="organisator", organiser_of=[roden])
