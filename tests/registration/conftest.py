import pytest

from werkconferentie.events.models import Workshop


@pytest.fixture
def other_event_workshop(other_event) -> Workshop:
    """A workshop of another event, to check that rankings stay within their event."""
    return Workshop.objects.create(event=other_event, slug="elders", number=1, title_nl="Elders")


# --- The back office (admin, dashboard, exports, permission walk) ---------------------------------------------


@pytest.fixture
def filled_event(db):
    """An event of 3 seats with 3 workshops: 3 confirmed, 2 on the waiting list, 1 cancelled.

    The names carry the characters exports must keep: Zoë, ’t Hart, the Ĳ ligature, Öztürk.
    """
    from .factories import EventFactory, RegistrationFactory, RoundFactory, WorkshopFactory, WorkshopSessionFactory
    from .factories import municipality as gemeente

    event = EventFactory(slug="zuidlaren-2026", title_nl="Werkconferentie Zuidlaren", capacity=3)
    rounds = [RoundFactory(event=event, number=1), RoundFactory(event=event, number=2)]
    w1, w2, w3 = (WorkshopFactory(event=event, number=n, title_nl=f"Werkplaats {n}") for n in (1, 2, 3))
    for workshop, capacities in ((w1, [2, 2]), (w2, [3]), (w3, [1])):
        for round_, capacity in zip(rounds, capacities, strict=False):
            WorkshopSessionFactory(workshop=workshop, round=round_, capacity=capacity)
    RegistrationFactory(
        event=event, name="Zoë Jansen", email="zoe@tynaarlo.nl", municipality=gemeente("GM1730"), preferences=[w1, w2]
    )
    RegistrationFactory(
        event=event,
        name="Sebastiaan ’t Hart",
        email="s.thart@ijsselstein.nl",
        role="wethouder",
        municipality=gemeente("GM0353"),
        preferences=[w1, w3],
    )
    RegistrationFactory(
        event=event,
        name="Ĳsbrand Öztürk",
        email="ijsbrand@jeugdzorg.example",
        role="jeugdhulpverlener",
        organisation_only=True,
        dietary_needs="halal",
        preferences=[w2],
    )
    RegistrationFactory(
        event=event, name="Fenna Bakker", email="fenna@example.org", waitlisted=True, preferences=[w3, w1]
    )
    RegistrationFactory(
        event=event,
        name="Daan de Vries",
        email="daan@assen.nl",
        role="beleidsmaker",
        municipality=gemeente("GM0106"),
        waitlisted=True,
        preferences=[w3],
    )
    RegistrationFactory(
        event=event, name="Kees Afgemeld", email="kees@assen.nl", municipality=gemeente("GM0106"), cancelled=True
    )
    return event


@pytest.fixture
def elsewhere_event(db):
    """Another event with one registration, organised by someone else."""
    from .factories import EventFactory, RegistrationFactory, WorkshopSessionFactory

    event = EventFactory(slug="emmen-2026", title_nl="Werkconferentie Emmen", capacity=5)
    session = WorkshopSessionFactory(workshop__event=event)
    RegistrationFactory(event=event, name="Elders Persoon", email="elders@emmen.nl", preferences=[session.workshop])
    return event


@pytest.fixture
def organiser(filled_event):
    """The organiser of filled_event."""
    from .factories import UserFactory

    return UserFactory(username="organisator", organiser_of=[filled_event])


@pytest.fixture
def other_organiser(elsewhere_event):
    """An organiser of elsewhere_event only."""
    from .factories import UserFactory

    return UserFactory(username="andere-organisator", organiser_of=[elsewhere_event])


@pytest.fixture
def plain_staff(db):
    """A staff account without the organisers' rights."""
    from .factories import UserFactory

    return UserFactory(username="medewerker", organiser=False)


@pytest.fixture
def superuser(db):
    from .factories import UserFactory

    return UserFactory(username="beheerder", superuser=True)
