"""Tie-break: among equally good assignments, keep people in the sessions a previous run gave them.

After a pin or a late sign-up the engine's optimum is usually one of many equally good ones, and a new solve
picks any of them: people would move between sessions for nothing. This step changes no seat cost (so the
objective and bound stay), no capacity and no pin; it only rearranges who sits where:

* Exact: the type model of `exact.py` once more, with types split by previous seats, the seat costs bounded
  by the optimum just found (one extra row), and as objective the number of previous seats kept. HiGHS
  solves it in well under a second for a conference of a few hundred (tests/allocation/test_stability.py).
* When that cannot run (people left unplaced, a model too large) or does not finish in time, a heuristic:
  participants with the same rounds, pins and ranking are interchangeable, so their timetables are dealt
  out again as a small transportation problem (min-cost flow) that maximises the seats kept; then local
  moves, each keeping the total cost and every capacity (a person back into her previous session, alone or
  in exchange with someone seated there, or her two workshops swapping rounds, alone or with someone who
  has them the other way).
"""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np
from ortools.graph.python import min_cost_flow

from . import colouring, exact
from .compiled import compile_instance
from .model import Assignment, InfeasibleError, Instance

Where = dict[tuple[str, str], str]  # (participant, round) -> workshop


def moved(instance: Instance, assignments: list[Assignment]) -> int:
    """How many participants with a previous placement are not exactly where it put them."""
    now: dict[str, dict[str, str]] = defaultdict(dict)
    for a in assignments:
        now[a.participant][a.round] = a.workshop
    return sum(
        1
        for p in instance.participants
        if p.previous and {f.round: f.workshop for f in p.previous} != now.get(p.id, {})
    )


def keep_previous(instance: Instance, assignments: list[Assignment], deadline: float) -> list[Assignment]:
    """The same seats at the same total cost, rearranged so that as many as possible keep their previous ones."""
    previous = {(p.id, f.round): f.workshop for p in instance.participants for f in p.previous}
    if not previous:
        return assignments
    where: Where = {(a.participant, a.round): a.workshop for a in assignments}
    best = None
    if all((p.id, r) in where for p in instance.participants for r in p.rounds):
        best = _exact(instance, where, deadline)
    if best is not None:
        where = best
    else:
        _regroup_interchangeable(instance, where, previous)
        _local_moves(instance, where, previous, deadline)
    order_of = {p.id: i for i, p in enumerate(instance.participants)}
    rix = {r: i for i, r in enumerate(instance.rounds)}
    return [
        Assignment(pid, r, w)
        for (pid, r), w in sorted(where.items(), key=lambda kv: (order_of[kv[0][0]], rix[kv[0][1]]))
    ]


def _exact(instance: Instance, where: Where, deadline: float) -> Where | None:
    """The seats that keep most previous ones at no more total cost than `where`; None when out of time."""
    try:
        c = compile_instance(instance, keep_previous=True)
    except InfeasibleError:
        return None
    columns = exact.candidate_columns(c)
    # Large instances (thousands of people, each her own type) make a model HiGHS does not finish in seconds:
    # they get the heuristic.
    if not len(columns) or len(columns) >= exact.SMALL or time.monotonic() > deadline:
        return None
    model = exact.build_model(c, columns, None)
    budget = sum(
        int(c.type_cost[c.type_of[i], c.workshop_index[where[(p.id, r)]]])
        for i, p in enumerate(instance.participants)
        for r in p.rounds
        if (c.workshop_index[where[(p.id, r)]], c.round_index[r]) not in c.pinned[i]
    )
    kept = np.zeros(len(columns))
    for k, (t, w, r) in enumerate(columns.tolist()):
        first = instance.participants[c.members[t][0]]
        if any(c.round_index[f.round] == r and c.workshop_index[f.workshop] == w for f in first.previous):
            kept[k] = 1.0
    seat_cost = c.type_cost[columns[:, 0], columns[:, 1]].astype(np.float64)
    got = _solve_kept(model, kept, seat_cost, float(budget), max(deadline - time.monotonic(), 0.1))
    if got is None:
        return None
    out: Where = {}
    for t, members in enumerate(c.members):
        seats: dict[tuple[int, int], int] = {}
        for (tt, w, r), v in zip(columns.tolist(), got, strict=True):
            if tt == t and v > 0:
                seats[(w, r)] = v
        rounds = c.type_rounds[t]
        if rounds:
            for person, table in zip(members, colouring.split_type(seats, rounds, len(members)), strict=True):
                for w, r in table:
                    out[(instance.participants[person].id, instance.rounds[r])] = instance.workshops[w]
        for person in members:
            for w, r in c.pinned[person]:
                out[(instance.participants[person].id, instance.rounds[r])] = instance.workshops[w]
    return out


def _solve_kept(
    model: exact.Model, kept: np.ndarray, seat_cost: np.ndarray, budget: float, time_limit: float
) -> list[int] | None:
    """Maximise the seats kept (a whole number) subject to the model's rows and total seat cost ≤ budget."""
    h, highspy = exact._quiet_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", max(time_limit, 0.05))
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.999)
    lp = highspy.HighsLp()
    lp.num_col_ = len(kept)
    lp.num_row_ = len(model.row_lower)
    lp.col_cost_ = -kept
    lp.col_lower_ = np.zeros(len(kept))
    lp.col_upper_ = model.upper
    lp.row_lower_ = model.row_lower
    lp.row_upper_ = model.row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = model.starts
    lp.a_matrix_.index_ = model.index
    lp.a_matrix_.value_ = model.values
    lp.integrality_ = [highspy.HighsVarType.kInteger] * lp.num_col_
    h.passModel(lp)
    nonzero = np.nonzero(seat_cost)[0].astype(np.int32)
    h.addRow(-highspy.kHighsInf, budget, len(nonzero), nonzero, seat_cost[nonzero])
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return np.rint(np.array(h.getSolution().col_value)).astype(np.int64).tolist()


def _regroup_interchangeable(instance: Instance, where: Where, previous: dict[tuple[str, str], str]) -> None:
    groups: dict[tuple, list[str]] = defaultdict(list)
    for p in instance.participants:
        groups[(p.rounds, tuple(sorted((f.round, f.workshop) for f in p.fixed)), p.preferences)].append(p.id)
    for (rounds, _, _), members in groups.items():
        if len(members) < 2:
            continue
        tables = [tuple(where.get((pid, r)) for r in rounds) for pid in members]
        olds = [tuple(previous.get((pid, r)) for r in rounds) for pid in members]
        new_kinds = sorted(set(tables), key=repr)
        old_kinds = sorted(set(olds), key=repr)
        if len(new_kinds) == 1:
            continue
        # Transportation: previous timetables (supply) -> new timetables (demand), cost = -(seats kept).
        o_ix = {k: i for i, k in enumerate(old_kinds)}
        n_ix = {k: i for i, k in enumerate(new_kinds)}
        n_old, sink = len(old_kinds), len(old_kinds) + len(new_kinds)
        mcf = min_cost_flow.SimpleMinCostFlow()
        arcs = []
        for i, old in enumerate(old_kinds):
            for j, new in enumerate(new_kinds):
                kept = sum(1 for a, b in zip(old, new, strict=True) if a is not None and a == b)
                arcs.append((i, j, mcf.add_arc_with_capacity_and_unit_cost(i, n_old + j, len(members), -kept)))
        supply = [0] * (sink + 1)
        for old in olds:
            supply[o_ix[old]] += 1
        for new in tables:
            supply[n_old + n_ix[new]] -= 1
        for node, s in enumerate(supply):
            mcf.set_node_supply(node, s)
        if mcf.solve() != mcf.OPTIMAL:
            continue
        deal: dict[int, list[tuple]] = defaultdict(list)
        for i, j, arc in arcs:
            deal[i].extend([new_kinds[j]] * mcf.flow(arc))
        for pid, old in zip(members, olds, strict=True):
            table = deal[o_ix[old]].pop()
            for r, w in zip(rounds, table, strict=True):
                if w is None:  # an unplaced timetable (allow_unassigned)
                    where.pop((pid, r), None)
                else:
                    where[(pid, r)] = w


def _local_moves(instance: Instance, where: Where, previous: dict[tuple[str, str], str], deadline: float) -> None:
    people = {p.id: p for p in instance.participants}
    capacity = {(s.workshop, s.round): s.capacity for s in instance.sessions}
    pinned = {(p.id, f.round) for p in instance.participants for f in p.fixed}
    seated: dict[tuple[str, str], set[str]] = defaultdict(set)
    mine: dict[str, dict[str, str]] = defaultdict(dict)
    for (pid, r), w in where.items():
        seated[(w, r)].add(pid)
        mine[pid][r] = w

    def kept(pid: str, r: str, w: str) -> int:
        return int(previous.get((pid, r)) == w)

    def move(pid: str, r: str, w: str) -> None:
        seated[(where[(pid, r)], r)].discard(pid)
        seated[(w, r)].add(pid)
        where[(pid, r)] = w
        mine[pid][r] = w

    def free(w: str, r: str) -> bool:
        return len(seated[(w, r)]) < capacity.get((w, r), 0)

    def cost(pid: str, w: str) -> int:
        return instance.cost(people[pid], w)

    def try_back(pid: str, r: str) -> bool:
        """Put pid back into her previous session of round r, alone or in exchange with someone seated there."""
        a, b = where[(pid, r)], previous[(pid, r)]
        if (b, r) not in capacity:
            return False
        has_b = any(w == b for rr, w in mine[pid].items() if rr != r)
        if not has_b and free(b, r) and cost(pid, b) == cost(pid, a):
            move(pid, r, b)
            return True
        for q in [] if has_b else sorted(seated[(b, r)]):
            if (q, r) in pinned or any(w == a for rr, w in mine[q].items() if rr != r):
                continue
            if cost(pid, b) + cost(q, a) != cost(pid, a) + cost(q, b):
                continue
            if 1 + kept(q, r, a) - kept(q, r, b) > 0:
                move(pid, r, b)
                move(q, r, a)
                return True
        # Her two workshops the other way round (the previous run had b in r and a in another round), alone
        # when seats are free, or with someone who has them the other way round too.
        for r2, w2 in list(mine[pid].items()):
            if r2 == r or w2 != b or (pid, r2) in pinned or (a, r2) not in capacity:
                continue
            mine_gain = 1 + kept(pid, r2, a) - kept(pid, r2, b)
            if free(a, r2) and free(b, r) and mine_gain > 0:
                move(pid, r2, a)
                move(pid, r, b)
                return True
            for q in sorted(seated[(b, r)] & seated[(a, r2)]):
                if (q, r) in pinned or (q, r2) in pinned:
                    continue
                gain = mine_gain + kept(q, r, a) + kept(q, r2, b) - kept(q, r, b) - kept(q, r2, a)
                if gain > 0:
                    move(pid, r2, a)
                    move(q, r, a)
                    move(pid, r, b)
                    move(q, r2, b)
                    return True
        return False

    for _ in range(4):
        improved = False
        for (pid, r), b in sorted(previous.items()):
            if time.monotonic() > deadline:
                return
            if (pid, r) in where and where[(pid, r)] != b and (pid, r) not in pinned and try_back(pid, r):
                improved = True
        if not improved:
            return
