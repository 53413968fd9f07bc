import pytest

from werkconferentie.core.management.commands.demo import example_event_file
from werkconferentie.events.loading import load_event_file
from werkconferentie.events.models import Event


@pytest.fixture
def example_file():
    """The bundled example event file, as the installed package holds it."""
    return str(example_event_file())


@pytest.fixture
def roden(db, example_file) -> Event:
    """The bundled Roden 2022 conference, loaded from its event file."""
    return load_event_file(example_file).event
