"""`solve`: the engine's one entry point, choosing the exact path for the instance at hand.

* Uniform instances (every workshop in every round with one capacity, everyone in every round, no pins):
  flow + equitable edge colouring, optimal by construction (see docs/allocation.md for the proof).
* Everything else: the flow's bound and duals fix most arcs, then a MIP on participant types over the arcs
  left (`exact.py`). Starting from a small gap Δ, each MIP either returns a solution within bound + Δ —
  optimal, because everything it left out costs more — or a solution that sets Δ for the next, complete, MIP.
"""

from __future__ import annotations

import math
import time

import numpy as np

from . import colouring, exact, flow
from .compiled import Compiled, compile_instance
from .model import Assignment, Instance, InfeasibleError, Result
from .stats import fairness_report, statistics

DEFAULT_TIME_LIMIT = 60.0


def solve(instance: Instance, time_limit: float | None = None, allow_unassigned: bool = False,
          mix: bool = False) -> Result:
    """Assign every participant one session per attended round at least total cost.

    Raises InfeasibleError (naming the round, session or participant) when no assignment exists, unless
    `allow_unassigned`, which places as many participants as possible first and lists the rest.
    `mix` spreads municipalities and roles over sessions among equally good assignments (`mixing.py`).
    """
    start = time.monotonic()
    deadline = start + (DEFAULT_TIME_LIMIT if time_limit is None else time_limit)
    c = compile_instance(instance, allow_unassigned=allow_unassigned)
    if allow_unassigned:
        timetables, unplaced, objective, bound = _solve_unassigned(c, deadline)
    else:
        timetables, objective, bound = _solve_complete(c, deadline)
        unplaced = []
    # Pinned seats are not decisions but still seats: their cost is a constant added to both sides.
    placed = set(range(len(instance.participants))) - set(unplaced)
    offset = sum(int(c.type_cost[c.type_of[i], w]) for i in placed for w, _ in c.pinned[i])
    objective, bound = objective + offset, bound + offset
    assignments = _assignments(c, timetables)
    if mix:
        from .mixing import mix_sessions

        assignments = mix_sessions(instance, assignments, deadline)
    result = Result(assignments=assignments, objective=objective, lower_bound=bound, optimal=objective == bound,
                    unassigned=[instance.participants[i].id for i in unplaced])
    result.stats = statistics(instance, result, seconds=time.monotonic() - start)
    result.fairness = fairness_report(instance, result)
    return result


# A timetable is a list of (workshop, round) index pairs for one participant, pins excluded.
Timetables = list[list[tuple[int, int]]]


def _solve_complete(c: Compiled, deadline: float) -> tuple[Timetables, int, int]:
    f = flow.solve_flow(c)
    if c.is_uniform():
        return _uniform(c, f), f.cost, f.cost
    best: tuple[int, Timetables] | None = None
    bound = f.cost
    gap = 0
    while True:
        allowed, forced = flow.fix_arcs(c, f, gap)
        model = exact.build_model(c, allowed, forced, penalty=None)
        mip = exact.solve_mip(model, max(deadline - time.monotonic(), 0.1))
        if mip.status == "infeasible":
            bound = max(bound, f.cost + gap + 1)
        elif mip.objective is not None:
            if best is None or mip.objective < best[0]:
                best = (mip.objective, _timetables(c, mip.seats))
            # Solutions outside the model cost at least bound + gap + 1 (all costs are whole numbers).
            bound = max(bound, min(math.ceil(mip.bound - 1e-6), f.cost + gap + 1))
        if best is not None and best[0] <= bound:
            break
        if time.monotonic() >= deadline or mip.status == "timeout":
            break
        gap = best[0] - f.cost if best is not None else 4 * gap + 8
    if best is None:
        raise InfeasibleError("no assignment found within the time limit" if mip.status == "timeout" else
                              "no assignment satisfies every participant, round and session")
    return best[1], best[0], min(bound, best[0])


def _solve_unassigned(c: Compiled, deadline: float) -> tuple[Timetables, list[int], int, int]:
    """Lexicographic: unplaced participants cost more than all seats together, then seat cost."""
    n = c.count
    worst = int(c.type_cost.max(initial=0))
    penalty = int(sum(len(r) * int(k) for r, k in zip(c.type_rounds, n)) * worst + 1)
    allowed = c.type_allowed.copy()
    forced = np.zeros_like(allowed)
    model = exact.build_model(c, allowed, forced, penalty=penalty)
    mip = exact.solve_mip(model, max(deadline - time.monotonic(), 0.1))
    if mip.objective is None:
        raise InfeasibleError("no assignment found within the time limit")
    unplaced_count = sum(mip.unplaced.values())
    objective = mip.objective - penalty * unplaced_count
    bound = math.ceil(mip.bound - 1e-6) - penalty * unplaced_count
    unplaced: list[int] = []
    timetables = _timetables(c, mip.seats, mip.unplaced, unplaced)
    return timetables, unplaced, objective, max(0, min(bound, objective))


def _uniform(c: Compiled, f: flow.FlowSolution) -> Timetables:
    """Deal each type's workshops to its members round robin, then colour rounds equitably."""
    k = len(c.instance.rounds)
    per_person: list[list[int]] = [[] for _ in c.type_of]
    for t, members in enumerate(c.members):
        seq = [w for w in np.nonzero(f.seats[t])[0] for _ in range(int(f.seats[t, w]))]
        m = len(members)
        for j, w in enumerate(seq):  # each workshop's run is at most m long, so members get distinct ones
            per_person[members[j % m]].append(int(w))
    rounds = colouring.equitable_rounds(per_person, len(c.instance.workshops), k)
    return [list(zip(ws, rs)) for ws, rs in zip(per_person, rounds)]


def _timetables(c: Compiled, seats: dict[int, dict[tuple[int, int], int]],
                unplaced_by_type: dict[int, int] | None = None, unplaced: list[int] | None = None) -> Timetables:
    out: Timetables = [[] for _ in c.type_of]
    for t, members in enumerate(c.members):
        skip = (unplaced_by_type or {}).get(t, 0)
        placed = members[: len(members) - skip]
        if unplaced is not None:
            unplaced.extend(members[len(members) - skip:])
        if not placed or not c.type_rounds[t]:
            continue
        for person, timetable in zip(placed, colouring.split_type(seats.get(t, {}), c.type_rounds[t], len(placed))):
            out[person] = timetable
    if unplaced is not None:
        unplaced.sort()
    return out


def _assignments(c: Compiled, timetables: Timetables) -> list[Assignment]:
    inst = c.instance
    out = []
    for i, p in enumerate(inst.participants):
        rows = [(r, w) for w, r in timetables[i]] + [(r, w) for w, r in c.pinned[i]]
        if not timetables[i] and c.type_rounds[c.type_of[i]]:
            continue  # unplaced: no seat at all, pins included
        for r, w in sorted(rows):
            out.append(Assignment(p.id, inst.rounds[r], inst.workshops[w]))
    return out
