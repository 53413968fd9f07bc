"""The exact stage for the general case: a MIP on participant types, solved by HiGHS under a hard deadline.

Variables y[t, w, r] count members of type t in session (w, r). Constraints: each member gets one seat in
each open round (Σ_w y[t, w, r] = n_t), a workshop at most once (Σ_r y[t, w, r] ≤ n_t; = n_t when the flow
duals force it), and session capacities. König's theorem makes the aggregation exact (`colouring.split_type`).
Only the arcs that survive reduced-cost fixing (`flow.fix_arcs`) get variables, which keeps the model small.

With `allow_unassigned`, u[t] counts unplaced members and costs `penalty` each, a weight larger than any
total seat cost, so the number placed is maximised first.

HiGHS can overrun its own time limit (notably inside a long root LP), so it runs in a forked child process
that is killed at the deadline.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass

import numpy as np

from .compiled import Compiled


@dataclass
class MipSolution:
    status: str  # "optimal", "feasible", "infeasible" or "timeout"
    objective: int | None
    bound: float  # proven lower bound on the model's optimum (−inf when unknown)
    seats: dict[int, dict[tuple[int, int], int]]  # type -> {(w, r): count}
    unplaced: dict[int, int]


@dataclass
class _Model:
    cost: np.ndarray
    upper: np.ndarray
    starts: np.ndarray
    index: np.ndarray
    values: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    columns: list[tuple[int, int, int]]  # (type, w, r) or (type, -1, -1) for "unplaced"


def build_model(c: Compiled, allowed: np.ndarray, forced: np.ndarray, penalty: int | None) -> _Model:
    n = c.count
    cap = c.capacity
    rows: dict[tuple, int] = {}
    lower: list[float] = []
    upper: list[float] = []

    def row(key: tuple, lo: float, hi: float) -> int:
        i = rows.get(key)
        if i is None:
            i = rows[key] = len(lower)
            lower.append(lo)
            upper.append(hi)
        return i

    columns: list[tuple[int, int, int]] = []
    col_rows: list[list[int]] = []
    cost: list[int] = []
    ub: list[int] = []
    for t, rounds in enumerate(c.type_rounds):
        if not rounds:
            continue
        nt = int(n[t])
        for r in rounds:
            row(("round", t, r), nt, nt)
        for w in np.nonzero(allowed[t])[0]:
            w = int(w)
            open_r = [r for r in rounds if cap[w, r] > 0]
            if not open_r:
                continue
            keep = forced[t, w] and penalty is None
            wrow = row(("once", t, w), nt if keep else 0, nt) if (len(open_r) > 1 or keep) else None
            for r in open_r:
                rs = [rows[("round", t, r)], row(("cap", w, r), 0, int(cap[w, r]))]
                if wrow is not None:
                    rs.append(wrow)
                columns.append((t, w, r))
                col_rows.append(rs)
                cost.append(int(c.type_cost[t, w]))
                ub.append(min(nt, int(cap[w, r])))
        if penalty is not None:
            # u[t] unplaced members: each round row becomes Σ_w y + u = n_t.
            columns.append((t, -1, -1))
            col_rows.append([rows[("round", t, r)] for r in rounds])
            cost.append(penalty)
            ub.append(nt)
    starts = np.zeros(len(columns) + 1, dtype=np.int32)
    starts[1:] = np.cumsum([len(rs) for rs in col_rows])
    index = np.fromiter((i for rs in col_rows for i in rs), dtype=np.int32, count=int(starts[-1]))
    return _Model(
        cost=np.array(cost, dtype=np.float64),
        upper=np.array(ub, dtype=np.float64),
        starts=starts,
        index=index,
        values=np.ones(len(index)),
        row_lower=np.array(lower, dtype=np.float64),
        row_upper=np.array(upper, dtype=np.float64),
        columns=columns,
    )


def _run_highs(model: _Model, time_limit: float, conn) -> None:
    # HiGHS prints a banner on construction; keep the child's stdout (our JSON channel) clean.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", max(time_limit, 0.05))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.999)  # all costs are whole numbers
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    lp = highspy.HighsLp()
    lp.num_col_ = len(model.cost)
    lp.num_row_ = len(model.row_lower)
    lp.col_cost_ = model.cost
    lp.col_lower_ = np.zeros(len(model.cost))
    lp.col_upper_ = model.upper
    lp.row_lower_ = model.row_lower
    lp.row_upper_ = model.row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = model.starts
    lp.a_matrix_.index_ = model.index
    lp.a_matrix_.value_ = model.values
    lp.integrality_ = [highspy.HighsVarType.kInteger] * lp.num_col_
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    S = highspy.HighsModelStatus
    if status == S.kInfeasible:
        conn.send(("infeasible", None, float("inf"), None))
        return
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    x = np.rint(np.array(h.getSolution().col_value)).astype(np.int64) if has_solution else None
    bound = info.mip_dual_bound
    name = "optimal" if status == S.kOptimal else ("feasible" if has_solution else "timeout")
    conn.send((name, float(info.objective_function_value) if has_solution else None, float(bound), x))


def solve_mip(model: _Model, time_limit: float) -> MipSolution:
    """Solve in a forked child; kill it one second after the limit if HiGHS has not returned."""
    if len(model.cost) == 0:
        return MipSolution("optimal", 0, 0.0, {}, {})
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_run_highs, args=(model, time_limit, child), daemon=True)
    proc.start()
    child.close()
    got = None
    if parent.poll(time_limit + 1.0):
        try:
            got = parent.recv()
        except EOFError:
            got = None
    if proc.is_alive():
        os.kill(proc.pid, 9)
    proc.join()
    if got is None:
        return MipSolution("timeout", None, float("-inf"), {}, {})
    name, objective, bound, x = got
    if name == "infeasible":
        return MipSolution(name, None, float("inf"), {}, {})
    seats: dict[int, dict[tuple[int, int], int]] = {}
    unplaced: dict[int, int] = {}
    if x is not None:
        for (t, w, r), v in zip(model.columns, x):
            if v <= 0:
                continue
            if w < 0:
                unplaced[t] = int(v)
            else:
                seats.setdefault(t, {})[(w, r)] = int(v)
        objective = int(round(float(np.dot(model.cost, x))))
    bound = bound if np.isfinite(bound) else float("-inf")
    return MipSolution(name, objective, bound, seats, unplaced)
