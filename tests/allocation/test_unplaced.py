"""Why the engine left someone unplaced: one reason per person, from the instance and the result (no Django)."""

from __future__ import annotations

from werkconferentie.allocation import Instance, Result, UnplacedCode, solve, unplaced_reasons


def instance(sessions, participants, rounds=("r1", "r2")) -> Instance:
    workshops = sorted({w for w, _r, _c in sessions})
    return Instance.from_dict(
        {
            "rounds": list(rounds),
            "workshops": workshops,
            "sessions": [{"workshop": w, "round": r, "capacity": c} for w, r, c in sessions],
            "participants": participants,
        }
    )


def test_everyone_placed_means_no_reasons():
    inst = instance([("a", "r1", 2), ("b", "r2", 2)], [{"id": "ann", "preferences": ["a", "b"]}])
    result = solve(inst, allow_unassigned=True)
    assert result.unassigned == [] and result.unplaced_reasons == {}


def test_all_her_choices_full():
    # Round 1 seats two of three; everyone ranked both workshops that run in it.
    inst = instance(
        [("a", "r1", 1), ("b", "r1", 1), ("a", "r2", 3), ("b", "r2", 3)],
        [{"id": pid, "preferences": ["a", "b"]} for pid in ("ann", "bo", "cas")],
    )
    result = solve(inst, allow_unassigned=True)
    (left,) = result.unassigned
    reason = result.unplaced_reasons[left]
    assert reason.code == UnplacedCode.CHOICES_FULL and reason.rounds == ("r1",)
    assert result.to_dict()["unplaced_reasons"] == {left: {"code": "choices_full", "rounds": ["r1"]}}


def test_no_choices_given():
    # One seat short in round 1: the one who ranked nothing costs most wherever she sits, so she is left out.
    inst = instance(
        [("a", "r1", 1), ("b", "r1", 1), ("a", "r2", 3), ("b", "r2", 3)],
        [
            {"id": "ann", "preferences": ["a", "b"]},
            {"id": "bo", "preferences": ["b", "a"]},
            {"id": "cas", "preferences": []},
        ],
    )
    result = solve(inst, allow_unassigned=True)
    assert result.unassigned == ["cas"]
    assert result.unplaced_reasons["cas"].code == UnplacedCode.NO_CHOICES
    assert result.unplaced_reasons["cas"].rounds == ("r1",)


def test_the_round_is_full_and_her_choices_do_not_run_in_it():
    inst = instance(
        [("a", "r1", 1), ("a", "r2", 3), ("c", "r2", 3)],
        [{"id": "ann", "preferences": ["a", "c"]}, {"id": "bo", "preferences": ["c"]}],
    )
    result = solve(inst, allow_unassigned=True)
    assert result.unassigned == ["bo"]
    reason = result.unplaced_reasons["bo"]
    # Round 2 has free seats, but she misses round 1, which is full and does not run the workshop she chose.
    assert reason.code == UnplacedCode.ROUND_FULL and reason.rounds == ("r1",)


def test_her_pins_leave_only_a_workshop_she_already_has():
    inst = instance(
        [("a", "r1", 5), ("b", "r1", 5), ("a", "r2", 5), ("b", "r2", 1)],
        [
            {"id": "xe", "preferences": ["a", "b"], "fixed": [{"round": "r1", "workshop": "a"}]},
            {"id": "yo", "preferences": ["b", "a"], "fixed": [{"round": "r2", "workshop": "b"}]},
        ],
    )
    result = solve(inst, allow_unassigned=True)
    assert result.unassigned == ["xe"]
    reason = result.unplaced_reasons["xe"]
    assert reason.code == UnplacedCode.PINS_CONFLICT and reason.rounds == ("r2",)


def test_pins_that_cannot_hold_together():
    inst = instance(
        [("a", "r1", 5), ("a", "r2", 5), ("b", "r2", 5)],
        [
            {
                "id": "xe",
                "preferences": ["a"],
                "fixed": [{"round": "r1", "workshop": "a"}, {"round": "r2", "workshop": "a"}],
            }
        ],
    )
    result = Result(assignments=[], objective=0, lower_bound=0, optimal=False, unassigned=["xe"])
    reason = unplaced_reasons(inst, result)["xe"]
    assert reason.code == UnplacedCode.PINS_CONFLICT and reason.rounds == ("r1", "r2")


def test_a_free_seat_she_could_take_means_the_engine_did_not_find_it():
    inst = instance([("a", "r1", 5), ("b", "r2", 5)], [{"id": "ann", "preferences": ["a", "b"]}])
    result = Result(assignments=[], objective=0, lower_bound=0, optimal=False, unassigned=["ann"])
    reason = unplaced_reasons(inst, result)["ann"]
    assert reason.code == UnplacedCode.NOT_FOUND and reason.rounds == ("r1", "r2")
