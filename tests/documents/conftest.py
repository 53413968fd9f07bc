from pathlib import Path

import pytest

from werkconferentie.documents.qr import qr_png_data_uri

TEMPLATES = Path(__file__).resolve().parent / "templates"


@pytest.fixture
def sample_templates(settings):
    """The test templates of tests/documents/templates next to the project's."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0].get("DIRS", []), TEMPLATES]}]


@pytest.fixture
def sample_context():
    return {
        "heading": "Opbrengst werkconferentie",
        "answer": "Meer speelplekken a\x0bb",
        "themes": [("Spelen", 12), ("Veilig naar school", 7), ("=1+1", 0)],
        "qr": qr_png_data_uri("https://example.org/verslag"),
    }
