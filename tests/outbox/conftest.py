"""Test mail templates for the outbox tests; the SMTP server (`smtp_server`) is a fixture in tests/conftest.py."""

from pathlib import Path

import pytest

TEMPLATES_DIR = Path(__file__).parent / "templates"


@pytest.fixture
def mail_templates(settings):
    """Templates of a test mail under outbox_test/ (subject, text and HTML)."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES_DIR]}]
