"""`werkconferentie assign EVENT [--publish]`: runs the engine, prints the statistics, publishes on request."""

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from werkconferentie.assignment.models import AssignmentRun
from werkconferentie.cli import DJANGO_COMMANDS
from werkconferentie.outbox.models import OutboxMessage

from .helpers import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(open_event):
    for n in range(9):
        register(open_event, n)
    return open_event


def assign(*args, language="en") -> str:
    with translation.override(language):
        from io import StringIO

        out = StringIO()
        call_command("assign", *args, stdout=out)
    return out.getvalue()


def test_prints_the_statistics_without_publishing(event):
    OutboxMessage.objects.all().delete()
    out = assign("roden-2022")
    assert "Run 1 of roden-2022" in out
    assert "People: 9, placed: 9, not placed: 0" in out
    assert "First choice:" in out and "Seats per rank: 1:" in out and "Worst rank:" in out
    assert "optimal" in out and "Not published" in out
    run = AssignmentRun.objects.get(event=event)
    assert not run.is_published and run.placements.count() == 18
    assert not OutboxMessage.objects.exists()


def test_publish_mails_everyone_once(event):
    OutboxMessage.objects.all().delete()
    out = assign("roden-2022", "--publish", "--time-limit", "5", "--mix")
    assert "Run 1 published; 9 people mailed their programme." in out
    assert OutboxMessage.objects.filter(kind="registration").count() == 9
    out = assign("roden-2022", "--publish")
    assert "Run 2 published; 0 people mailed" in out


def test_speaks_dutch_by_language(event):
    out = assign("roden-2022", language="nl")
    assert "roden-2022" in out  # the texts are translated once locale/ has them; the figures are there either way
    assert "9" in out


@pytest.mark.parametrize("slug", ["nergens", "a\x00b", "x" * 300])
def test_unknown_event_is_a_clear_error(event, slug):
    with pytest.raises(CommandError, match="no event"):
        assign(slug)
    assert not AssignmentRun.objects.exists()


@pytest.mark.parametrize("limit", ["0", "-3", "lang", "100000"])
def test_bad_time_limit_is_refused(event, limit):
    with pytest.raises(CommandError):
        assign("roden-2022", "--time-limit", limit)


def test_listed_in_the_cli_and_exits_non_zero_without_traceback(tmp_path):
    assert "assign" in DJANGO_COMMANDS
    environment = {"WERKCONFERENTIE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "LANGUAGE_CODE": "en"}
    subprocess.run(
        [sys.executable, "-m", "werkconferentie", "migrate", "-v0"], env=environment, check=True, timeout=300
    )
    result = subprocess.run(
        [sys.executable, "-m", "werkconferentie", "assign", "nergens"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "nergens" in result.stderr
