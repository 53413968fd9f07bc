"""`solve`: the engine's one entry point, choosing the exact path for the instance at hand.

* Uniform instances (every workshop in every round with one capacity, everyone in every round, no pins):
  flow + equitable edge colouring, optimal by construction (see docs/allocation.md for the proof).
* Everything else: the LP bound of the type model by column generation (`relaxation.py`), a repair MIP
  around the LP's fractional part, then MIPs over the columns within a reduced-cost gap of the bound
  (`exact.py`) until the objective meets the bound or the time runs out.
"""

from __future__ import annotations

import math
import time

import numpy as np

from . import colouring, exact, flow, heuristic, relaxation, stability
from .compiled import Compiled, compile_instance
from .model import Assignment, InfeasibleError, Instance, Result
from .stats import check_feasible, fairness_report, statistics
from .unplaced import unplaced_reasons

DEFAULT_TIME_LIMIT = 60.0


def solve(
    instance: Instance, time_limit: float | None = None, allow_unassigned: bool = False, mix: bool = False
) -> Result:
    """Assign every participant one session per attended round at least total cost.

    Raises InfeasibleError (naming the round, session or participant) when no assignment exists, unless
    `allow_unassigned`, which places as many participants as possible first and lists the rest.
    `mix` spreads municipalities and roles over sessions among equally good assignments (`mixing.py`).
    Participants with `previous` seats keep as many of them as an equally good assignment allows (`stability.py`).
    """
    start = time.monotonic()
    deadline = start + (DEFAULT_TIME_LIMIT if time_limit is None else time_limit)
    c = compile_instance(instance, allow_unassigned=allow_unassigned)
    if allow_unassigned:
        timetables, unplaced, objective, bound = _solve_unassigned(c, deadline)
    else:
        timetables, objective, bound = _solve_complete(c, deadline)
        unplaced = []
    # Pinned seats are not decisions but still seats (kept even for the unplaced): a constant on both sides.
    offset = sum(int(c.type_cost[c.type_of[i], w]) for i in range(len(instance.participants)) for w, _ in c.pinned[i])
    objective, bound = objective + offset, bound + offset
    assignments = _assignments(c, timetables)
    if mix:
        from .mixing import mix_sessions

        assignments = mix_sessions(instance, assignments, deadline)
    if any(p.previous for p in instance.participants):
        # After mixing: staying put is what the organiser asked for when she pinned someone and ran again.
        kept = stability.keep_previous(instance, assignments, max(deadline, time.monotonic() + 1.0))
        unassigned = [instance.participants[i].id for i in unplaced]
        # Never at the price of the contract: with people left unplaced, a kept seat could conflict with who is
        # listed as unplaced (found by the property test); then the assignment stays as the solver made it.
        candidate = Result(
            assignments=kept, objective=objective, lower_bound=bound, optimal=False, unassigned=unassigned
        )
        if not check_feasible(instance, candidate):
            assignments = kept
    result = Result(
        assignments=assignments,
        objective=objective,
        lower_bound=bound,
        optimal=objective == bound,
        unassigned=[instance.participants[i].id for i in unplaced],
    )
    result.stats = statistics(instance, result, seconds=time.monotonic() - start)
    if any(p.previous for p in instance.participants):
        result.stats["moved"] = stability.moved(instance, assignments)
    result.fairness = fairness_report(instance, result)
    result.unplaced_reasons = unplaced_reasons(instance, result)
    return result


# A timetable is a list of (workshop, round) index pairs for one participant, pins excluded.
Timetables = list[list[tuple[int, int]]]


def _penalty(c: Compiled) -> int:
    """A cost per unplaced participant above the cost of seating everyone: placing people comes first."""
    seats = sum(len(r) * len(m) for r, m in zip(c.type_rounds, c.members, strict=True))
    return int(seats * int(c.type_cost.max(initial=0)) + 1)


def _solve_complete(c: Compiled, deadline: float) -> tuple[Timetables, int, int]:
    f = flow.solve_flow(c)
    if c.is_uniform():
        return _uniform(c, f), f.cost, f.cost
    timetables, unplaced, objective, bound = _solve_general(c, f, deadline, allow_unassigned=False)
    return timetables, objective, bound


def _solve_unassigned(c: Compiled, deadline: float) -> tuple[Timetables, list[int], int, int]:
    if c.is_uniform():
        try:
            f = flow.solve_flow(c)
        except InfeasibleError:
            f = None
        if f is not None:  # everyone fits: the exact uniform path places them all at least cost
            return _uniform(c, f), [], f.cost, f.cost
    return _solve_general(c, None, deadline, allow_unassigned=True)


def _solve_general(
    c: Compiled, f: flow.FlowSolution | None, deadline: float, allow_unassigned: bool
) -> tuple[Timetables, list[int], int, int]:
    """LP bound by column generation, a repair MIP around its fractional part, then complete MIPs.

    1. The LP (relaxation.py) gives the bound; on our instances it is almost integral.
    2. Repair: a MIP over the LP's support plus every column of the types it splits fractionally. When this
       reaches ⌈LP⌉ the solution is optimal.
    3. Otherwise MIPs over all columns whose reduced cost is within a growing gap of the bound (exact once
       the gap reaches the best objective), until the time limit.
    """
    penalty = _penalty(c)
    mip_penalty = penalty if allow_unassigned else None
    if f is None:
        f = _relaxed_flow(c)
    # In a child that is killed a second before the deadline, to leave time for the fallback and the report.
    lp = None
    small = int(c.type_allowed.sum()) * len(c.instance.rounds) < exact.SMALL
    if f is not None:
        lp_deadline = deadline - 1.0
        lp = exact.run_in_child(
            relaxation.lp_bound, (c, f, penalty, lp_deadline), lp_deadline - time.monotonic(), in_process=small
        )
    best: tuple[int, Timetables, list[int], int] | None = None
    status = "timeout"

    def consider(mip: exact.MipSolution) -> None:
        nonlocal best
        if mip.objective is not None and (best is None or mip.objective < best[0]):
            unplaced: list[int] = []
            timetables = _timetables(c, mip.seats, mip.unplaced, unplaced)
            best = (mip.objective, timetables, unplaced, sum(mip.unplaced.values()))

    if lp is None:
        bound = f.cost if (f is not None and not allow_unassigned) else 0
        columns = exact.candidate_columns(c)
        reduced = np.zeros(len(columns))
        base, lp_value = bound, float(bound)
    else:
        base = math.ceil(lp.value - 1e-6)
        if f is not None and not allow_unassigned:
            base = max(base, f.cost)
        if not allow_unassigned and base >= penalty:
            raise InfeasibleError(
                "no assignment satisfies every participant, round and session together "
                "(even the LP relaxation must leave people out; try --allow-unassigned)"
            )
        bound, columns, reduced, lp_value = base, lp.columns, lp.reduced_cost, lp.value
        fractional = np.abs(lp.primal - np.rint(lp.primal)) > 1e-6
        split_types = np.zeros(len(c.members), dtype=bool)
        split_types[columns[fractional, 0]] = True
        keep = (lp.primal > 1e-6) | split_types[columns[:, 0]]
        mip = exact.solve_mip(exact.build_model(c, columns[keep], mip_penalty), deadline - 0.3 - time.monotonic())
        status = mip.status
        consider(mip)
    gap = 0
    while best is None or best[0] > bound:
        # Without the LP a large model is hopeless in the time left (and costly to build): fall back.
        if time.monotonic() >= deadline - 0.5 or (lp is None and not small):
            break
        keep = reduced <= (base - lp_value) + gap + relaxation.TOLERANCE
        complete = bool(keep.all())
        mip = exact.solve_mip(exact.build_model(c, columns[keep], mip_penalty), deadline - 0.3 - time.monotonic())
        status = mip.status
        if mip.status == "infeasible":
            if complete:
                break
            bound = max(bound, base + gap + 1)
        elif mip.objective is not None:
            consider(mip)
            # Anything outside the model costs at least LP + (its reduced cost) > base + gap.
            inside = math.ceil(mip.bound - 1e-6)
            bound = max(bound, inside if complete else min(inside, base + gap + 1))
        if mip.status == "timeout" or complete:
            break
        gap = best[0] - base if best is not None else 4 * gap + 4
    if best is None and not allow_unassigned:
        seats, ok = heuristic.round_by_round(c)
        if ok:
            objective = sum(int(c.type_cost[t, w]) * k for t, got in seats.items() for (w, _), k in got.items())
            best = (objective, _timetables(c, seats), [], 0)
    if best is None:
        if status == "infeasible":
            raise InfeasibleError(
                "no assignment satisfies every participant, round and session together "
                "(try --allow-unassigned to see who cannot be placed)"
            )
        raise InfeasibleError("no assignment found within the time limit")
    objective, timetables, unplaced, n_unplaced = best
    objective -= penalty * n_unplaced if allow_unassigned else 0
    bound = min(bound - (penalty * n_unplaced if allow_unassigned else 0), objective)
    return timetables, unplaced, objective, max(bound, 0)


def _relaxed_flow(c: Compiled) -> flow.FlowSolution | None:
    """The flow only guides the LP's first columns here; unfilled seats keep it feasible when seats are short."""
    try:
        return flow.solve_flow(c, overflow_cost=4 * int(c.type_cost.max(initial=0)) + 100)
    except InfeasibleError:
        return None


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
    return [list(zip(ws, rs, strict=True)) for ws, rs in zip(per_person, rounds, strict=True)]


def _timetables(
    c: Compiled,
    seats: dict[int, dict[tuple[int, int], int]],
    unplaced_by_type: dict[int, int] | None = None,
    unplaced: list[int] | None = None,
) -> Timetables:
    out: Timetables = [[] for _ in c.type_of]
    for t, members in enumerate(c.members):
        skip = (unplaced_by_type or {}).get(t, 0)
        placed = members[: len(members) - skip]
        if unplaced is not None:
            unplaced.extend(members[len(members) - skip :])
        if not placed or not c.type_rounds[t]:
            continue
        split = colouring.split_type(seats.get(t, {}), c.type_rounds[t], len(placed))
        for person, timetable in zip(placed, split, strict=True):
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
            rows = [(r, w) for w, r in c.pinned[i]]  # unplaced: only her pins stand
        for r, w in sorted(rows):
            out.append(Assignment(p.id, inst.rounds[r], inst.workshops[w]))
    return out
