"""Stage (a): a min-cost flow that picks each participant's set of workshops, and what its duals prove.

Network: type t → workshop w (capacity n_t, cost of the seat), workshop → sink (capacity = its free seats over
all rounds), type supply n_t × open rounds. Dropping the rounds makes this a relaxation of the allocation
problem, so its optimum is a lower bound; it is exact in the uniform case (Irving et al., ACM TALG 2006, and
Paluch, CIAC 2013, treat rank-maximal versions of this capacitated set choice). We solve it with OR-Tools'
C++ `SimpleMinCostFlow`.

Its node potentials also give reduced costs. Every other solution costs at least the bound plus the reduced
costs of the arcs it changes, so an arc whose change alone costs more than a gap Δ can be fixed before the
exact stage ("reduced-cost fixing", e.g. Nemhauser & Wolsey, Integer and Combinatorial Optimization, 1988).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from .compiled import Compiled
from .model import InfeasibleError


@dataclass
class FlowSolution:
    cost: int  # the lower bound
    seats: np.ndarray  # (T, W) how many members of type t get workshop w
    potential: np.ndarray  # (W,) shortest-path potentials of the workshops in the optimal residual network


def solve_flow(c: Compiled, overflow_cost: int | None = None) -> FlowSolution:
    """The flow; with `overflow_cost`, seats may also go unfilled at that cost each (type → sink arcs), which
    keeps it feasible when there are too few seats. Its cost is then no bound, only a guide for the LP."""
    T, W = c.type_cost.shape
    n = c.count
    t_idx, w_idx = np.nonzero(c.type_allowed)
    sink = T + W
    seats = np.where(c.capacity > 0, c.capacity, 0).sum(axis=1)
    tails = np.concatenate([t_idx, T + np.arange(W)])
    heads = np.concatenate([T + w_idx, np.full(W, sink)])
    caps = np.concatenate([n[t_idx], seats])
    costs = np.concatenate([c.type_cost[t_idx, w_idx], np.zeros(W, dtype=np.int64)])
    supply = np.zeros(T + W + 1, dtype=np.int64)
    supply[:T] = n * np.array([len(r) for r in c.type_rounds], dtype=np.int64)
    supply[sink] = -supply[:T].sum()

    if overflow_cost is not None:
        tails = np.concatenate([tails, np.arange(T)])
        heads = np.concatenate([heads, np.full(T, sink)])
        caps = np.concatenate([caps, supply[:T]])
        costs = np.concatenate([costs, np.full(T, overflow_cost, dtype=np.int64)])
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    mcf.set_nodes_supplies(np.arange(T + W + 1), supply)
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        raise InfeasibleError(
            "not enough seats in workshops the participants may attend: no set of distinct "
            "workshops covers everyone's rounds"
        )
    flows = mcf.flows(np.arange(len(t_idx)))
    z = np.zeros((T, W), dtype=np.int64)
    z[t_idx, w_idx] = flows
    return FlowSolution(int(mcf.optimal_cost()), z, _potentials(c, z, seats))


def _potentials(c: Compiled, z: np.ndarray, seats: np.ndarray) -> np.ndarray:
    """Shortest-path distances in the residual network contracted to the workshops (and the sink).

    Moving one member of type t from w1 to w2 costs cost[t, w2] - cost[t, w1]; the residual network has no
    negative cycle at an optimum, so Bellman–Ford on these W + 1 nodes gives feasible dual potentials.
    """
    T, W = z.shape
    n = c.count[:, None]
    big = np.iinfo(np.int64).max // 4
    cost = c.type_cost
    can_add = c.type_allowed & (z < n)
    weight = np.full((W + 1, W + 1), big, dtype=np.int64)
    for w1 in range(W):
        users = z[:, w1] > 0
        if not users.any():
            continue
        delta = np.where(can_add[users], cost[users] - cost[users, w1][:, None], big)
        weight[w1, :W] = delta.min(axis=0)
    used = z.sum(axis=0)
    weight[np.arange(W)[used < seats], W] = 0
    weight[W, np.arange(W)[used > 0]] = 0
    np.fill_diagonal(weight, 0)
    dist = np.zeros(W + 1, dtype=np.int64)
    for _ in range(W + 2):
        new = np.minimum(dist, (dist[:, None] + weight).min(axis=0))
        if (new == dist).all():
            break
        dist = new
    return dist[:W] - dist[W]


def arc_penalties(c: Compiled, flow: FlowSolution) -> np.ndarray:
    """(T, W) least extra cost of giving type t one more seat of w (0 for arcs in use; inf if not allowed)."""
    n = c.count[:, None]
    z = flow.seats
    inf = np.iinfo(np.int64).max // 4
    a = c.type_cost - flow.potential[None, :]
    min_b = np.where(z > 0, -a, inf).min(axis=1, keepdims=True)
    out = np.where(c.type_allowed & (z < n), a + min_b, inf)
    return np.where(z > 0, 0, out)


def fix_arcs(c: Compiled, flow: FlowSolution, gap: int) -> tuple[np.ndarray, np.ndarray]:
    """Arcs every solution costing at most bound + gap may use, and arcs it must use (per type, all members).

    Adding seats of w2 to type t forces dropping seats of some used w1; that costs at least
    a(w2) + b(w1) with a = cost - potential and b = potential - cost (both sums are non-negative by duality).
    """
    n = c.count[:, None]
    z = flow.seats
    inf = np.iinfo(np.int64).max // 4
    a = c.type_cost - flow.potential[None, :]
    can_add = c.type_allowed & (z < n)
    used = z > 0
    min_b = np.where(used, -a, inf).min(axis=1, keepdims=True)
    min_a = np.where(can_add, a, inf).min(axis=1, keepdims=True)
    allowed = c.type_allowed & (used | (a + min_b <= gap))
    forced = (z == n) & ((-a) + min_a > gap) & (n > 0)
    return allowed, forced
