"""Fairness report, explanations, baselines and the optional mixing of municipalities."""

from __future__ import annotations

import time

from werkconferentie.allocation import Assignment, Instance, Result, check_feasible, explain, solve
from werkconferentie.allocation.baselines import first_come_first_served, random_serial_dictatorship
from werkconferentie.allocation.generate import general_instance, uniform_instance
from werkconferentie.allocation.mixing import mix_sessions
from werkconferentie.allocation.stats import statistics


def crowded() -> Instance:
    # Three people want "a" first; it has two seats in its only round.
    return Instance.from_dict(
        {
            "rounds": ["r1", "r2"],
            "workshops": ["a", "b", "c"],
            "sessions": [
                {"workshop": "a", "round": "r1", "capacity": 2},
                {"workshop": "b", "round": "r1", "capacity": 2},
                {"workshop": "b", "round": "r2", "capacity": 2},
                {"workshop": "c", "round": "r2", "capacity": 2},
            ],
            "participants": [
                {"id": "ann", "preferences": ["a", "b", "c"]},
                {"id": "bo", "preferences": ["a", "c", "b"]},
                {"id": "cas", "preferences": ["a", "c", "b"]},
            ],
        }
    )


def test_explain_names_the_full_session_of_keen_people():
    inst = crowded()
    result = solve(inst)
    unlucky = next(p.id for p in inst.participants if result.fairness[p.id].get("r1") != 1)
    text = "\n".join(explain(inst, result, unlucky))
    assert "a was full (2 seats), all taken by people who ranked it at least as high" in text
    lucky = next(p.id for p in inst.participants if p.id != unlucky)
    assert "has a (her 1st choice) in round r1" in explain(inst, result, lucky)[0]


def test_explain_says_when_a_workshop_does_not_run():
    inst = crowded()
    result = solve(inst)
    text = "\n".join(explain(inst, result, "ann", "c"))
    assert "round r1: c does not run" in text or "has c" in text


def test_fairness_report_gives_rank_per_round():
    inst = crowded()
    result = solve(inst)
    for p in inst.participants:
        assert set(result.fairness[p.id]) == {"r1", "r2"}


def test_baselines_are_feasible_and_no_better_than_the_engine():
    inst = general_instance(400, 15, 3, seed=5)
    best = solve(inst)
    for baseline in (first_come_first_served(inst), random_serial_dictatorship(inst, seed=1)):
        assert check_feasible(inst, baseline) == []
        if not baseline.unassigned:
            assert baseline.objective >= best.objective


def test_uniform_engine_beats_first_come_first_served_on_first_choices():
    inst = uniform_instance(1000, 20, 3, seed=2)
    assert solve(inst).stats["share_first_choice"] > first_come_first_served(inst).stats["share_first_choice"]


def test_mixing_keeps_the_objective_and_never_concentrates_more():
    base = uniform_instance(240, 8, 3, seed=4).to_dict()
    for i, p in enumerate(base["participants"]):
        p["municipality"] = f"m{i // 30}"
        if i % 2:
            p["role"] = "youth" if i % 3 else "official"
    inst = Instance.from_dict(base)
    plain = solve(inst)
    mixed = solve(inst, mix=True)
    assert check_feasible(inst, mixed) == []
    assert mixed.objective == plain.objective and mixed.optimal
    assert mixed.stats["largest_municipality_share"] <= plain.stats["largest_municipality_share"]


def test_mixing_spreads_a_segregated_assignment_without_changing_costs():
    # Two municipalities of four, all wanting a then b; the given assignment keeps them apart.
    inst = Instance.from_dict(
        {
            "rounds": ["r1", "r2"],
            "workshops": ["a", "b"],
            "sessions": [{"workshop": w, "round": r, "capacity": 4} for w in "ab" for r in ["r1", "r2"]],
            "participants": [
                {"id": f"p{i}", "preferences": ["a", "b"], "municipality": "north" if i < 4 else "south"}
                for i in range(8)
            ],
        }
    )
    segregated = [
        Assignment(f"p{i}", r, w)
        for i in range(8)
        for r, w in ((("r1", "a"), ("r2", "b")) if i < 4 else (("r1", "b"), ("r2", "a")))
    ]
    mixed = mix_sessions(inst, segregated, deadline=time.monotonic() + 10)
    result = Result(mixed, objective=8, lower_bound=8, optimal=True)
    assert check_feasible(inst, result) == []
    shares = statistics(inst, result, 0.0)["largest_municipality_share"]
    assert shares == 0.5
