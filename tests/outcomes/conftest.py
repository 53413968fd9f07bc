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


NAMES = ["Zoë Quackenbush-Ŧest", "Ægidius van 't Oosterwijk"]
EMAILS = ["zoe.quackenbush@unusual-name.example", "aegidius@oosterwijk.example"]


@pytest.fixture
def conference(roden, boards, answer_on):
    """Two participants from Noordenveld, one from Weesp (Amsterdam since 2022); answers, a child's idea, a request."""
    from registration.factories import RegistrationFactory
    from werkconferentie.live.boards import update_answer
    from werkconferentie.outcomes import points
    from werkconferentie.reference.models import Municipality
    from werkconferentie.registration.enums import Role

    noordenveld = Municipality.objects.get(code="GM1699")
    weesp = Municipality.objects.get(code="GM0457")
    people = [
        RegistrationFactory(
            event=roden, name=NAMES[0], email=EMAILS[0], role=Role.COUNCIL_MEMBER, municipality=noordenveld
        ),
        RegistrationFactory(event=roden, name=NAMES[1], email=EMAILS[1], role=Role.ALDERMAN, municipality=noordenveld),
        RegistrationFactory(event=roden, role=Role.POLICY_MAKER, municipality=weesp),
    ]
    workshop = next(b for b in boards if b.kind == "workshop")
    children = next(b for b in boards if b.kind == "children")
    answer_on(
        workshop,
        "Een kinderraad die echt meebeslist",
        votes=4,
        role=Role.COUNCIL_MEMBER,
        municipality=noordenveld,
        registration=people[0],
    )
    answer_on(
        workshop,
        "Kortere wachtlijsten in de jeugdzorg",
        votes=2,
        role=Role.ALDERMAN,
        municipality=noordenveld,
        registration=people[1],
    )
    answer_on(workshop, "Speelplekken voor alle kinderen", votes=1, role=Role.POLICY_MAKER, municipality=weesp)
    idea = answer_on(children, "Meer plekken om te spelen na school", votes=0, from_children=True)
    update_answer(idea, status="visible")  # a moderator approved it
    points.create_point(
        roden,
        title_nl="Kinderraad",
        request_nl="Stel vóór 20 november een kinderraad in.",
        is_request=True,
        title_en="Children's council",
        request_en="Set up a children's council.",
    )
    return roden
