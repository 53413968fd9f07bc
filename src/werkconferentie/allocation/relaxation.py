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


def lp_bound(c: Compiled, f: flow.FlowSolution, penalty: int, deadline: float, extra: int = 0,
             batch: int = 2) -> LpBound | None:
    """Column generation with warm-started dual simplex; None when time runs out first.

    Rows for every candidate column exist from the start (empty ones cost the simplex next to nothing), so
    adding columns never changes existing ones. Each pricing round adds at most `batch` of the most negative
    columns per type, which keeps the restricted LP small.
    """
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
    # The LP only needs to be a relaxation: leaving u out of the once rows keeps it small and easy.
    full = exact.build_model(c, allcols, penalty, unplaced_in_once=False)
    k_all = len(allcols)
    lp = exact.IncrementalLp(full, np.nonzero(active)[0])
    cost = full.cost[:k_all]
    pairs = full.once_pairs
    once_rows = full.once_start + np.arange(len(pairs))
    t, w, r = allcols[:, 0], allcols[:, 1], allcols[:, 2]
    while True:
        solved = lp.solve(deadline - time.monotonic())
        if solved is None:
            return None
        value, dual, primal = solved
        y_round = dual[: T * R].reshape(T, R)
        y_cap = dual[T * R : T * R + W * R].reshape(W, R)
        y_once = np.zeros((T, W))
        if len(pairs):
            y_once[pairs // W, pairs % W] = dual[once_rows]
        reduced = cost - y_round[t, r] - y_cap[w, r] - y_once[t, w]
        new = np.nonzero(~lp.active[:k_all] & (reduced < -TOLERANCE))[0]
        if not len(new):
            return LpBound(value, allcols, reduced, primal[:k_all], float(primal[k_all:].sum()), penalty)
        if time.monotonic() >= deadline:
            return None
        # The `batch` most negative per type, deterministic order.
        order = np.lexsort((new, reduced[new], t[new]))
        new = new[order]
        rank = np.arange(len(new)) - np.searchsorted(t[new], t[new], side="left")
        lp.add(np.sort(new[rank < batch]))
