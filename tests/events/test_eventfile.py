"""The event file: the example validates, and broken files list every problem with its line."""

import textwrap
from pathlib import Path

import pytest
import yaml

from werkconferentie.events.eventfile import EventFileError, parse_event_file


def test_example_is_valid(example_file):
    event = parse_event_file(Path(example_file).read_text())
    assert event.slug == "roden-2022"
    assert [w.key for w in event.workshops] == ["betekenisvolle-participatie", "kinderen-en-omgeving", "diversiteit"]
    assert len(event.rounds) == 2
    assert len(event.programme) == 9


def problems_of(text: str) -> list:
    with pytest.raises(EventFileError) as caught:
        parse_event_file(textwrap.dedent(text))
    return caught.value.problems


def broken(example_file, mutate) -> str:
    data = yaml.safe_load(Path(example_file).read_text())
    mutate(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_every_problem_is_listed_with_its_line():
    problems = problems_of(
        """\
        slug: Roden 2022
        title: Een titel
        date: 2022-13-01
        start: "13:00"
        end: "17:00"
        venue: {name: Health Hub, city: Roden}
        organiser: pnd
        contact_email: not-an-address
        registration: {capacity: -5}
        programme:
          - start: "13:00"
            kind: lunch
            title: Inloop
        colour: red
        """
    )
    by_field = {problem.path: problem for problem in problems}
    assert by_field[("slug",)].line == 1
    assert by_field[("date",)].line == 3
    assert by_field[("contact_email",)].line == 8
    assert by_field[("registration", "capacity")].line == 9
    assert by_field[("programme", 0, "kind")].line == 12
    assert by_field[("colour",)].line == 14
    assert "unknown field" in str(by_field[("colour",)]) or "onbekend veld" in str(by_field[("colour",)])
    assert len(problems) == 6


def test_references_to_unknown_keys_are_named(example_file):
    def mutate(data):
        data["workshops"][1]["hosts"] = ["nobody"]
        data["workshops"][2]["sessions"][0]["round"] = "ronde-9"
        data["programme"][1]["speakers"] = ["fenna-bolding", "ghost"]
        data["organiser"] = "unknown-org"

    problems = problems_of(broken(example_file, mutate))
    places = {problem.path for problem in problems}
    assert places == {
        ("workshops", 1, "hosts", 0),
        ("workshops", 2, "sessions", 0, "round"),
        ("programme", 1, "speakers", 1),
        ("organiser",),
    }
    assert all(problem.line for problem in problems)
    assert any("ghost" in problem.message for problem in problems)


def test_times_out_of_order_and_duplicates(example_file):
    def mutate(data):
        data["rounds"][0]["end"] = "14:00"  # before its start 14:15
        data["workshops"][0]["sessions"].append({"round": "ronde-1", "capacity": 10})
        data["speakers"].append(dict(data["speakers"][0]))
        data["programme"].append({"start": "18:30", "kind": "other", "title": "Borrel"})

    problems = problems_of(broken(example_file, mutate))
    assert {problem.path for problem in problems} == {
        ("rounds", 0, "end"),
        ("workshops", 0, "sessions", 2, "round"),
        ("speakers", 7, "key"),
        ("programme", 9, "start"),
    }


def test_not_yaml_at_all():
    problems = problems_of("slug: [unclosed\n")
    assert len(problems) == 1 and problems[0].line


def test_not_a_mapping():
    assert problems_of("- just\n- a list\n")[0].line == 1


def test_times_may_be_written_without_quotes():
    # YAML 1.1 reads 14:15 as the number 855 (minutes); the file format still means a time of day.
    event = parse_event_file(
        textwrap.dedent(
            """\
            slug: klein
            title: Klein
            date: 2023-01-01
            start: 9:00
            end: 12:30
            venue: {name: Zaal, city: Assen}
            organiser: org
            contact_email: info@example.org
            registration: {capacity: 10}
            organisations: [{key: org, name: Org}]
            programme: [{start: 9:00, kind: walk-in, title: Inloop}]
            """
        )
    )
    assert (event.start.hour, event.end.hour, event.end.minute) == (9, 12, 30)


def test_reserved_slug_is_refused(example_file):
    problems = problems_of(broken(example_file, lambda data: data.update(slug="kinderrechten")))
    assert [problem.path for problem in problems] == [("slug",)]
