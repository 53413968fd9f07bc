"""Fixtures of the live-board tests: the example event's boards, one of them open."""

import pytest


@pytest.fixture(autouse=True)
def _suggestions_at_once(settings):
    """Duplicate suggestions in the test's own thread: a background thread cannot see the test's transaction."""
    settings.LIVE_SUGGEST_IN_BACKGROUND = False


@pytest.fixture
def boards(roden):
    """The example event's boards, with the event a month ahead (host links expire after the event)."""
    import datetime as dt

    from werkconferentie.live.boards import ensure_boards

    roden.date = dt.date.today() + dt.timedelta(days=30)
    roden.registration_closes = None
    roden.save()
    return ensure_boards(roden)


@pytest.fixture
def board(boards):
    """Workshop 1, round 1 ("Betekenisvolle participatie"), open."""
    from werkconferentie.live.boards import set_open
    from werkconferentie.live.enums import BoardKind

    first = next(b for b in boards if b.kind == BoardKind.WORKSHOP and b.session.round.number == 1)
    return set_open(first, True)


@pytest.fixture
def children_board(boards):
    from werkconferentie.live.boards import set_open
    from werkconferentie.live.enums import BoardKind

    return set_open(next(b for b in boards if b.kind == BoardKind.CHILDREN), True)


@pytest.fixture
def answer_on(db):
    """answer_on(board, text, key=None, **fields): submit an answer as a participant would."""
    import uuid

    from werkconferentie.live.boards import Submission, submit_answer

    def make(board, text, key=None, **fields):
        return submit_answer(board, Submission(text=text, idempotency_key=key or uuid.uuid4().hex, **fields))[0]

    return make


@pytest.fixture
def organiser_of_roden(roden):
    from registration.factories import UserFactory

    return UserFactory(username="organisator", organiser_of=[roden])
