"""The `solve` command: the JSON contract, exit status 2 with a named culprit, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from werkconferentie.allocation import Instance, check_feasible
from werkconferentie.allocation.cli import main
from werkconferentie.allocation.model import Result

SMALL = {
    "rounds": ["r1", "r2"],
    "workshops": ["participatie", "omgeving", "diversiteit"],
    "sessions": [
        {"workshop": w, "round": r, "capacity": 2}
        for w in ["participatie", "omgeving", "diversiteit"]
        for r in ["r1", "r2"]
    ],
    "participants": [
        {"id": "p1", "preferences": ["omgeving", "participatie"]},
        {"id": "p2", "preferences": ["omgeving", "diversiteit"], "rounds": ["r2"]},
        {"id": "p3", "preferences": ["participatie"], "fixed": [{"round": "r1", "workshop": "diversiteit"}]},
    ],
}


def run(tmp_path: Path, data, *args: str, capsys=None) -> tuple[int, str, str]:
    path = tmp_path / "instance.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    code = main([str(path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_solves_and_writes_the_result_contract(tmp_path, capsys):
    code, out, err = run(tmp_path, SMALL, capsys=capsys)
    assert code == 0, err
    result = json.loads(out)
    assert set(result) >= {"assignments", "objective", "lower_bound", "optimal", "stats"}
    assert result["optimal"] is True and result["objective"] == result["lower_bound"]
    inst = Instance.from_dict(SMALL)
    assert check_feasible(inst, Result.from_dict(result)) == []
    assert {"participant": "p3", "round": "r1", "workshop": "diversiteit"} in result["assignments"]
    stats = result["stats"]
    assert {
        "rank_histogram",
        "share_first_choice",
        "worst_rank",
        "participants_with_unranked",
        "sessions",
        "seconds",
    } <= set(stats)
    assert result["fairness"]["p2"] == {"r2": 1}


def test_output_file_and_stdin(tmp_path):
    out = tmp_path / "result.json"
    proc = subprocess.run(
        [sys.executable, "-m", "werkconferentie.allocation", "-o", str(out)],
        input=json.dumps(SMALL),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text())["optimal"] is True


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ("{not json", "line 1"),
        ({"rounds": "r1"}, "rounds"),
        ({**SMALL, "sessions": [{"workshop": "x", "round": "r1", "capacity": 1}]}, "sessions[0].workshop"),
        ({**SMALL, "sessions": [{"workshop": "omgeving", "round": "r1", "capacity": -1}]}, "sessions[0].capacity"),
        ({**SMALL, "participants": [{"id": "p1", "preferences": ["nope"]}]}, "participants[0].preferences[0]"),
        ({**SMALL, "participants": [{"id": "p1", "preferences": [], "rounds": ["r9"]}]}, "participants[0].rounds[0]"),
        ({**SMALL, "participants": [{"id": "p1", "fixed": [{"round": "r1"}]}]}, "participants[0].fixed[0].workshop"),
        ({**SMALL, "participants": [{"id": "p1"}, {"id": "p1"}]}, "participants[1].id"),
        ({**SMALL, "rank_costs": [0, 1.5]}, "rank_costs[1]"),
        ({**SMALL, "unranked_cost": "high"}, "unranked_cost"),
        ([1, 2], "instance"),
    ],
)
def test_malformed_input_exits_2_naming_the_field(tmp_path, capsys, data, named):
    code, out, err = run(tmp_path, data, capsys=capsys)
    assert code == 2
    assert named in err
    assert "Traceback" not in err and out == ""


def _people(n, **extra):
    return [{"id": f"p{i}", "preferences": ["participatie"], **extra} for i in range(n)]


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({**SMALL, "participants": _people(7)}, "round r1"),
        (
            {
                **SMALL,
                "participants": [
                    {
                        "id": "a",
                        "fixed": [{"round": "r1", "workshop": "omgeving"}, {"round": "r2", "workshop": "omgeving"}],
                    }
                ],
            },
            "participant a",
        ),
        (
            {
                **SMALL,
                "participants": [
                    {
                        "id": "b",
                        "fixed": [{"round": "r1", "workshop": "omgeving"}, {"round": "r1", "workshop": "diversiteit"}],
                    }
                ],
            },
            "participant b",
        ),
        (
            {
                **SMALL,
                "sessions": SMALL["sessions"][1:],
                "participants": [{"id": "c", "fixed": [{"round": "r1", "workshop": "participatie"}]}],
            },
            "participatie does not run in r1",
        ),
        (
            {**SMALL, "participants": _people(3, fixed=[{"round": "r1", "workshop": "omgeving"}])},
            "session omgeving in round r1",
        ),
        (
            {
                **SMALL,
                "participants": [{"id": "d", "rounds": ["r2"], "fixed": [{"round": "r1", "workshop": "omgeving"}]}],
            },
            "participant d",
        ),
        (
            {
                **SMALL,
                "workshops": ["omgeving", "participatie", "diversiteit"],
                "sessions": [{"workshop": "omgeving", "round": r, "capacity": 5} for r in ["r1", "r2"]],
                "participants": [{"id": "e"}],
            },
            "participant e",
        ),
    ],
)
def test_infeasible_input_exits_2_naming_the_culprit(tmp_path, capsys, data, named):
    code, out, err = run(tmp_path, data, capsys=capsys)
    assert code == 2
    assert named in err, err
    assert "Traceback" not in err


def test_allow_unassigned_lists_who_is_left_out(tmp_path, capsys):
    data = {**SMALL, "participants": _people(7)}
    code, out, err = run(tmp_path, data, "--allow-unassigned", capsys=capsys)
    assert code == 0, err
    result = json.loads(out)
    assert len(result["unassigned"]) == 1  # 6 seats per round for 7 people
    assert check_feasible(Instance.from_dict(data), Result.from_dict(result)) == []


def test_explain_from_an_earlier_result(tmp_path, capsys):
    code, out, _ = run(tmp_path, SMALL, capsys=capsys)
    (tmp_path / "result.json").write_text(out)
    code = main([str(tmp_path / "instance.json"), "--result", str(tmp_path / "result.json"), "--explain", "p3"])
    text = capsys.readouterr().out
    assert code == 0
    assert "p3" in text and "participatie" in text


def test_same_input_same_output(tmp_path, capsys):
    first = run(tmp_path, SMALL, capsys=capsys)[1]
    second = run(tmp_path, SMALL, capsys=capsys)[1]
    strip = lambda s: {k: v for k, v in json.loads(s).items() if k != "stats"}  # noqa: E731
    assert strip(first) == strip(second)
