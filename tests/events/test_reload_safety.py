"""Reloading an event file never silently deletes what people made (issue 14, point 8).

A workshop, round or session that left the file is removed only when no workshop choices, placements or live
boards hang on it; otherwise the load is refused with the list, unless forced.
"""

from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from registration.factories import RegistrationFactory
from werkconferentie.events.loading import WouldLoseData, load_event_file
from werkconferentie.events.models import Workshop, WorkshopSession
from werkconferentie.live.boards import ensure_boards
from werkconferentie.live.models import Answer, Board
from werkconferentie.registration.models import Preference

pytestmark = pytest.mark.django_db


def changed_file(example_file, tmp_path, change) -> Path:
    data = yaml.safe_load(Path(example_file).read_text())
    change(data)
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def without_workshop(slug):
    def change(data):
        data["workshops"] = [w for w in data["workshops"] if w["key"] != slug]
        data["title"]["nl"] = "Nieuwe titel"

    return change


def test_removing_a_chosen_workshop_is_refused_and_changes_nothing(roden, example_file, tmp_path):
    RegistrationFactory(event=roden, preferences=[Workshop.objects.get(slug="diversiteit")])
    path = changed_file(example_file, tmp_path, without_workshop("diversiteit"))
    with pytest.raises(WouldLoseData) as refused:
        load_event_file(path)
    (loss,) = refused.value.losses
    assert "Diversiteit" in loss.row and loss.counts == {"workshopvoorkeur": 1}
    assert Workshop.objects.filter(slug="diversiteit").exists() and Preference.objects.count() == 1
    roden.refresh_from_db()
    assert roden.title_nl != "Nieuwe titel"  # all or nothing: not even the title changed


def test_forced_load_removes_and_says_what(roden, example_file, tmp_path):
    RegistrationFactory(event=roden, preferences=[Workshop.objects.get(slug="diversiteit")])
    result = load_event_file(changed_file(example_file, tmp_path, without_workshop("diversiteit")), force=True)
    assert [loss.counts for loss in result.removed] == [{"workshopvoorkeur": 1}]
    assert not Workshop.objects.filter(slug="diversiteit").exists() and not Preference.objects.exists()


def test_a_session_with_a_live_board_and_answers_is_kept(roden, example_file, tmp_path):
    ensure_boards(roden)
    session = WorkshopSession.objects.get(workshop__slug="diversiteit", round__key="ronde-2")
    Answer.objects.create(board=session.board, text="Meer speelplekken", idempotency_key="a")

    def only_round_one(data):
        workshop = next(w for w in data["workshops"] if w["key"] == "diversiteit")
        workshop["sessions"] = [s for s in workshop["sessions"] if s["round"] == "ronde-1"]

    with pytest.raises(WouldLoseData) as refused:
        load_event_file(changed_file(example_file, tmp_path, only_round_one))
    assert refused.value.losses[0].counts == {"live bord": 1, "antwoord": 1}
    assert Board.objects.filter(session=session).exists()


def test_parts_nobody_uses_are_still_removed(roden, example_file, tmp_path):
    result = load_event_file(changed_file(example_file, tmp_path, without_workshop("diversiteit")))
    assert result.removed == [] and not Workshop.objects.filter(slug="diversiteit").exists()


def test_command_lists_what_would_be_lost_and_forces(roden, example_file, tmp_path, capsys):
    RegistrationFactory(event=roden, preferences=[Workshop.objects.get(slug="diversiteit")])
    path = changed_file(example_file, tmp_path, without_workshop("diversiteit"))
    with pytest.raises(CommandError) as refused:
        call_command("load_event", str(path))
    message = str(refused.value)
    assert "niets veranderd" in message and "1 workshopvoorkeur" in message and "--force" in message
    call_command("load_event", str(path), "--force")
    assert "Verwijderd" in capsys.readouterr().out
