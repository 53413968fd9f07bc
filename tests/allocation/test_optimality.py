"""Property tests: on small random instances the engine matches an independent MILP optimum."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings

from werkconferentie.allocation import InfeasibleError, check_feasible, solve
from werkconferentie.allocation.generate import general_instance, uniform_instance

from .reference import reference_optimum
from .strategies import instances

# ALLOCATION_EXAMPLES=500 for a deeper run than the default suite's.
EXAMPLES = int(os.environ.get("ALLOCATION_EXAMPLES", "60"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_against_reference(inst):
    ref = reference_optimum(inst)
    if ref is None:
        with pytest.raises(InfeasibleError):
            solve(inst, time_limit=20)
        return
    result = solve(inst, time_limit=20)
    assert check_feasible(inst, result) == []
    assert result.optimal
    assert result.objective == result.lower_bound == ref[1]


@SETTINGS
@given(instances(uniform=True))
def test_uniform_instances_match_the_milp_optimum(inst):
    _check_against_reference(inst)


@SETTINGS
@given(instances())
def test_general_instances_match_the_milp_optimum(inst):
    _check_against_reference(inst)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_allow_unassigned_places_as_many_as_possible_then_minimises_cost(inst):
    ref = reference_optimum(inst, allow_unassigned=True)
    if ref is None:  # pins are never dropped: over-pinned sessions stay infeasible
        with pytest.raises(InfeasibleError):
            solve(inst, time_limit=20, allow_unassigned=True)
        return
    unplaced, cost = ref
    result = solve(inst, time_limit=20, allow_unassigned=True)
    assert check_feasible(inst, result) == []
    assert len(result.unassigned) == unplaced
    assert result.objective == cost
    assert result.optimal


@pytest.mark.parametrize("make", [uniform_instance, general_instance])
def test_generated_medium_instances_are_feasible_and_proven(make):
    inst = make(300, 12, 3, seed=7)
    result = solve(inst, time_limit=30)
    assert check_feasible(inst, result) == []
    assert result.optimal and result.objective == result.lower_bound


def test_same_input_gives_the_same_output():
    inst = general_instance(200, 10, 3, seed=3)
    assert solve(inst).to_dict()["assignments"] == solve(inst).to_dict()["assignments"]


def test_allow_unassigned_with_too_few_seats_on_a_generated_instance():
    inst = general_instance(300, 12, 3, seed=1, slack=0.97)
    with pytest.raises(InfeasibleError):
        solve(inst)
    result = solve(inst, allow_unassigned=True, time_limit=30)
    assert check_feasible(inst, result) == []
    assert result.unassigned and result.optimal
