"""Loading event files into the database: all or nothing, rows kept on reload."""

import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from werkconferentie.events.eventfile import EventFileError
from werkconferentie.events.loading import load_event_file
from werkconferentie.events.models import Event, ProgrammeItem, Round, Speaker, Workshop, WorkshopSession

pytestmark = pytest.mark.django_db


def test_example_loads_completely(roden):
    assert roden.title_nl == "Mini-werkconferentie Kinderrechten"
    assert roden.starts_at.isoformat() == "2022-04-22T13:00:00+02:00"
    assert roden.organisations.count() == 9
    assert Speaker.objects.filter(event=roden).count() == 7
    assert Workshop.objects.filter(event=roden).count() == 3
    assert WorkshopSession.objects.filter(workshop__event=roden).count() == 6
    assert ProgrammeItem.objects.filter(event=roden).count() == 9
    talk = ProgrammeItem.objects.get(event=roden, start_time="13:35")
    assert [s.name for s in talk.ordered_speakers] == ["Huri Sahin", "Anita van der Noord"]
    roden.refresh_from_db()
    assert roden.registration_closes == dt.datetime(2022, 4, 20, 21, 59, tzinfo=dt.UTC)


def test_reload_updates_in_place(roden, example_file, tmp_path):
    workshop_ids = set(Workshop.objects.values_list("pk", flat=True))
    session_ids = set(WorkshopSession.objects.values_list("pk", flat=True))
    data = yaml.safe_load(Path(example_file).read_text())
    data["workshops"][0]["sessions"][0]["capacity"] = 30
    data["workshops"].reverse()  # numbers change, rows stay
    data["rounds"][1]["start"], data["rounds"][1]["end"] = "15:10", "15:50"
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True))

    result = load_event_file(changed)
    assert not result.created
    assert Event.objects.count() == 1
    assert set(Workshop.objects.values_list("pk", flat=True)) == workshop_ids
    assert set(WorkshopSession.objects.values_list("pk", flat=True)) == session_ids
    assert Workshop.objects.get(slug="diversiteit").number == 1
    session = WorkshopSession.objects.get(workshop__slug="betekenisvolle-participatie", round__key="ronde-1")
    assert session.capacity == 30
    assert Round.objects.get(key="ronde-2").start_time.minute == 10


def test_removed_parts_are_removed(roden, example_file, tmp_path):
    data = yaml.safe_load(Path(example_file).read_text())
    data["workshops"][2]["sessions"] = data["workshops"][2]["sessions"][:1]  # diversiteit only in round 1
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True))
    load_event_file(changed)
    assert list(WorkshopSession.objects.filter(workshop__slug="diversiteit").values_list("round__key", flat=True)) == [
        "ronde-1"
    ]


def test_broken_file_changes_nothing(roden, example_file, tmp_path):
    before = Event.objects.get().title_nl
    data = yaml.safe_load(Path(example_file).read_text())
    data["title"] = {"nl": "Nieuwe titel"}
    data["workshops"][0]["sessions"][0]["capacity"] = "many"
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(EventFileError):
        load_event_file(broken)
    assert Event.objects.get().title_nl == before


def test_missing_file_is_a_problem_not_a_traceback(tmp_path):
    with pytest.raises(EventFileError) as caught:
        load_event_file(tmp_path / "nothing.yaml")
    assert caught.value.problems


def test_load_event_command_lists_problems_in_dutch(example_file, tmp_path, capsys):
    data = yaml.safe_load(Path(example_file).read_text())
    del data["venue"]["city"]
    data["registration"]["capacity"] = 0
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with pytest.raises(CommandError) as caught:
        call_command("load_event", str(broken))
    message = str(caught.value)
    assert "er is niets veranderd" in message
    assert "venue.city: dit veld is verplicht" in message
    assert "registration.capacity: moet groter zijn dan 0" in message
    assert Event.objects.count() == 0


def test_load_event_command_creates_then_updates(example_file, capsys):
    call_command("load_event", str(example_file))
    call_command("load_event", str(example_file))
    out = capsys.readouterr().out
    assert "aangemaakt" in out and "bijgewerkt" in out
