import pytest

from werkconferentie.events.models import Event, Workshop


@pytest.fixture
def other_event_workshop(db) -> Workshop:
    """A workshop of another event, to check that rankings stay within their event."""
    event = Event.objects.create(
        slug="assen-2023",
        title_nl="Werkconferentie Assen",
        date="2023-04-21",
        start_time="13:00",
        end_time="17:00",
        venue_name="Stadhuis",
        venue_city="Assen",
        contact_email="info@example.org",
        capacity=50,
    )
    return Workshop.objects.create(event=event, slug="elders", number=1, title_nl="Elders")
