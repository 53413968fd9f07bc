"""The LP bound for the general case, by column generation, and the reduced costs that prune the MIP.

The LP relaxation of the type model is far tighter than the flow (on our general benchmarks it usually equals
the integer optimum), but solving it whole is slow (20 s at 5,000 × 40 × 4). So we start from the columns the
flow's reduced costs deem promising, solve, price every other column with the row duals and add those with a
negative reduced cost until none is left (Dantzig–Wolfe style column generation; Desaulniers, Desrosiers &
Solomon, Column Generation, 2005). "Unplaced" columns at a large penalty keep each restricted LP feasible.

Reduced-cost fixing then applies: a solution using a column of reduced cost d costs at least LP + d, so only
columns with d ≤ gap can appear in a solution within the gap (Nemhauser & Wolsey 1988).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from . import exact, flow, heuristic
from .compiled import Compiled

TOLERANCE = 1e-7


@dataclass
class LpBound:
    value: float  # optimum of the LP relaxation (a lower bound on every integer solution)
    columns: np.ndarray  # (K, 3) all candidate columns
    reduced_cost: np.ndarray  # (K,) their reduced costs at the final duals
    primal: np.ndarray  # (K,) the LP solution (zero for columns never generated)
    unplaced: float  # LP value of the "unplaced" columns
    penalty: int


class ColumnLp:
    """The LP relaxation over a growing set of (t, w, r) columns, re-solved warm by HiGHS.

    Rows: one per type and open round (= n_t), one per session (≤ capacity) and, added only once a (type,
    workshop) pair has two columns, Σ_r y ≤ n_t; the lazy rows halve the first solve (2.5 s against 5.6 s at
    5,000 × 40 × 4). "Unplaced" columns u[t] at `penalty` keep it feasible.
    """

    def __init__(self, c: Compiled, columns: np.ndarray, penalty: int):
        import highspy

        self.highspy = highspy
        self.T, self.W = c.type_cost.shape
        self.R = c.capacity.shape[1]
        self.n = c.count
        self.columns = columns
        self.cost = c.type_cost[columns[:, 0], columns[:, 1]].astype(np.float64)
        self.upper = np.minimum(self.n[columns[:, 0]], c.capacity[columns[:, 1], columns[:, 2]]).astype(np.float64)
        self.active = np.zeros(len(columns), dtype=bool)
        self.order: list[int] = []  # HiGHS column j (after the unplaced ones) is columns[order[j]]
        self.once_row: dict[int, int] = {}
        self.pair_columns: dict[int, list[int]] = {}
        h, _ = exact._quiet_highs()
        for name, value in (("output_flag", False), ("random_seed", 0), ("solver", "simplex"), ("presolve", "off")):
            h.setOptionValue(name, value)
        self.h = h
        T, R = self.T, self.R
        round_need = np.zeros(T * R)
        for t, rounds in enumerate(c.type_rounds):
            round_need[[t * R + r for r in rounds]] = self.n[t]
        cap = np.maximum(c.capacity, 0).reshape(-1).astype(np.float64)
        lower = np.concatenate([round_need, np.zeros(self.W * R)])
        upper = np.concatenate([round_need, cap])
        empty = np.zeros(0, dtype=np.int32)
        h.addRows(len(lower), lower, upper, 0, empty, empty, np.zeros(0))
        self.n_rows = len(lower)
        types = [t for t, rounds in enumerate(c.type_rounds) if rounds]
        self.n_unplaced = len(types)
        starts, index = [], []
        for t in types:
            starts.append(len(index))
            index.extend(t * R + r for r in c.type_rounds[t])
        h.addCols(
            len(types),
            np.full(len(types), float(penalty)),
            np.zeros(len(types)),
            self.n[types].astype(np.float64),
            len(index),
            np.array(starts, dtype=np.int32),
            np.array(index, dtype=np.int32),
            np.ones(len(index)),
        )

    def add(self, new: np.ndarray) -> None:
        T, W, R = self.T, self.W, self.R
        cols = self.columns
        pairs = cols[new, 0] * W + cols[new, 1]
        fresh_rows = []
        for j, pair in zip(new.tolist(), pairs.tolist(), strict=True):
            members = self.pair_columns.setdefault(pair, [])
            members.append(j)
            if len(members) == 2 and pair not in self.once_row:
                fresh_rows.append(pair)
        if fresh_rows:
            upper = self.n[np.array(fresh_rows) // W].astype(np.float64)
            empty = np.zeros(0, dtype=np.int32)
            self.h.addRows(len(fresh_rows), np.zeros(len(fresh_rows)), upper, 0, empty, empty, np.zeros(0))
            for k, pair in enumerate(fresh_rows):
                self.once_row[pair] = self.n_rows + k
            self.n_rows += len(fresh_rows)
            # Columns already in the LP join their pair's new row.
            position = {j: self.n_unplaced + i for i, j in enumerate(self.order)}
            for pair in fresh_rows:
                for j in self.pair_columns[pair]:
                    if self.active[j]:
                        self.h.changeCoeff(self.once_row[pair], position[j], 1.0)
        starts, index = [], []
        for j, pair in zip(new.tolist(), pairs.tolist(), strict=True):
            t, w, r = cols[j]
            starts.append(len(index))
            index += [t * R + r, T * R + w * R + r]
            if pair in self.once_row:
                index.append(self.once_row[pair])
        self.h.addCols(
            len(new),
            self.cost[new],
            np.zeros(len(new)),
            self.upper[new],
            len(index),
            np.array(starts, dtype=np.int32),
            np.array(index, dtype=np.int32),
            np.ones(len(index)),
        )
        self.active[new] = True
        self.order.extend(new.tolist())

    def solve(self, time_limit: float) -> tuple[float, np.ndarray, np.ndarray, float] | None:
        """(objective, reduced costs of all columns, their values, unplaced total) or None if not solved."""
        self.h.setOptionValue("time_limit", max(time_limit, 0.05))
        self.h.run()
        if self.h.getModelStatus() != self.highspy.HighsModelStatus.kOptimal:
            return None
        # Later solves add columns to an optimal basis: it stays primal feasible, so primal simplex.
        self.h.setOptionValue("simplex_strategy", 4)
        solution = self.h.getSolution()
        dual = np.array(solution.row_dual)
        T, W, R = self.T, self.W, self.R
        y_round = dual[: T * R].reshape(T, R)
        y_cap = dual[T * R : T * R + W * R].reshape(W, R)
        y_once = np.zeros(T * W)
        if self.once_row:
            y_once[np.fromiter(self.once_row.keys(), dtype=np.int64)] = dual[list(self.once_row.values())]
        t, w, r = self.columns[:, 0], self.columns[:, 1], self.columns[:, 2]
        reduced = self.cost - y_round[t, r] - y_cap[w, r] - y_once[t * W + w]
        values = np.array(solution.col_value)
        primal = np.zeros(len(self.columns))
        primal[self.order] = values[self.n_unplaced :]
        return self.h.getInfo().objective_function_value, reduced, primal, float(values[: self.n_unplaced].sum())


def lp_bound(
    c: Compiled, f: flow.FlowSolution, penalty: int, deadline: float, extra: int = 0, batch: int = 2
) -> LpBound | None:
    """Column generation; None when time runs out first. Each pricing round adds at most `batch` of the most
    negative columns per type, which keeps the restricted LP small."""
    T, W = c.type_cost.shape
    R = c.capacity.shape[1]
    allcols = exact.candidate_columns(c)
    # Start from the arcs the flow uses plus each type's `extra` cheapest others by flow reduced cost.
    penalty_of = flow.arc_penalties(c, f)
    order = np.argsort(penalty_of, axis=1, kind="stable")
    keep = f.seats > 0
    rank_ok = np.zeros_like(keep)
    np.put_along_axis(rank_ok, order[:, :extra], True, axis=1)
    keep |= rank_ok & c.type_allowed
    active = keep[allcols[:, 0], allcols[:, 1]]
    # ...and the columns of a quick round-by-round assignment, so the first LP is (nearly) feasible.
    seed, _ = heuristic.round_by_round(c)
    key = (allcols[:, 0] * W + allcols[:, 1]) * R + allcols[:, 2]  # sorted: argwhere is row-major
    wanted = np.array([(t * W + w) * R + r for t, got in seed.items() for (w, r) in got], dtype=np.int64)
    active[np.searchsorted(key, wanted)] = True
    lp = ColumnLp(c, allcols, penalty)
    lp.add(np.nonzero(active)[0])
    t = allcols[:, 0]
    while True:
        solved = lp.solve(deadline - time.monotonic())
        if solved is None:
            return None
        value, reduced, primal, unplaced = solved
        new = np.nonzero(~lp.active & (reduced < -TOLERANCE))[0]
        if not len(new):
            return LpBound(value, allcols, reduced, primal, unplaced, penalty)
        if time.monotonic() >= deadline:
            return None
        # The `batch` most negative per type, deterministic order.
        order = np.lexsort((new, reduced[new], t[new]))
        new = new[order]
        rank = np.arange(len(new)) - np.searchsorted(t[new], t[new], side="left")
        lp.add(np.sort(new[rank < batch]))
