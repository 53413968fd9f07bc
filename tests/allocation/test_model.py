"""Parsing defaults, the time limit and the JSON round trip."""

from __future__ import annotations

import time

from werkconferentie.allocation import Instance, Result, check_feasible, solve
from werkconferentie.allocation.generate import general_instance


def test_defaults_are_convex_rank_costs_and_a_high_unranked_cost():
    inst = Instance.from_dict(
        {
            "rounds": ["r"],
            "workshops": ["a", "b", "c", "d"],
            "sessions": [],
            "participants": [{"id": "p", "preferences": ["a", "b", "c"]}],
        }
    )
    assert inst.rank_costs == (0, 1, 4)
    assert inst.unranked_cost == 100
    p = inst.participants[0]
    assert [inst.cost(p, w) for w in "abcd"] == [0, 1, 4, 100]
    assert p.rounds == ("r",)


def test_ranks_beyond_rank_costs_cost_its_last_entry():
    inst = Instance.from_dict(
        {
            "rounds": ["r"],
            "workshops": ["a", "b", "c"],
            "sessions": [],
            "participants": [{"id": "p", "preferences": ["a", "b", "c"]}],
            "rank_costs": [0, 3],
            "unranked_cost": 7,
        }
    )
    assert [inst.cost(inst.participants[0], w) for w in "abc"] == [0, 3, 3]


def test_instance_and_result_round_trip():
    inst = general_instance(60, 6, 3, seed=2)
    assert Instance.from_dict(inst.to_dict()) == inst
    result = solve(inst)
    again = Result.from_dict(result.to_dict())
    assert again.assignments == result.assignments and again.objective == result.objective


def test_time_limit_is_respected_with_a_feasible_answer():
    inst = general_instance(3000, 40, 4, seed=1)
    start = time.monotonic()
    result = solve(inst, time_limit=1.5)
    # Without the limit this instance may use the default minute; the margin is for a busy machine, not a target.
    assert time.monotonic() - start < 1.5 + 20
    assert check_feasible(inst, result) == []
    assert result.lower_bound <= result.objective
