"""The exact stage for the general case: a MIP on participant types, solved by HiGHS under a hard deadline.

Variables y[t, w, r] count members of type t in session (w, r). Constraints: each member gets one seat in
each open round (Σ_w y[t, w, r] = n_t), a workshop at most once (Σ_r y[t, w, r] ≤ n_t; = n_t when the flow
duals force it), and session capacities. König's theorem makes the aggregation exact (`colouring.split_type`).
Only the arcs that survive reduced-cost fixing (`flow.fix_arcs`) get variables, which keeps the model small.

With `allow_unassigned`, u[t] counts unplaced members and costs `penalty` each, a weight larger than any
total seat cost, so the number placed is maximised first; u[t] enters the round rows (Σ_w y + u = n_t) and the
once rows (Σ_r y + u ≤ n_t).

HiGHS can overrun its own time limit (notably inside a long root LP), so it runs in a child process that is
killed at the deadline.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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
class Model:
    """A MIP/LP in column form. Columns are (type, workshop, round); workshop -1 marks "unplaced" columns."""

    columns: np.ndarray  # (K, 3)
    cost: np.ndarray
    upper: np.ndarray
    starts: np.ndarray
    index: np.ndarray
    values: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    once_pairs: np.ndarray  # type × W + workshop, sorted, for pairs offered in two rounds or more
    once_start: int  # row of once_pairs[0]; the others follow, for pairs offered in two rounds or more


def candidate_columns(c: Compiled, allowed: np.ndarray | None = None) -> np.ndarray:
    """All (t, w, r) with w allowed for t, r an open round of t and a free seat in session (w, r)."""
    T, W = c.type_cost.shape
    R = c.capacity.shape[1]
    attends = np.zeros((T, R), dtype=bool)
    for t, rounds in enumerate(c.type_rounds):
        attends[t, list(rounds)] = True
    ok = (c.type_allowed if allowed is None else allowed)[:, :, None] & (c.capacity > 0)[None, :, :]
    ok &= attends[:, None, :]
    return np.argwhere(ok).astype(np.int64)


def build_model(c: Compiled, columns: np.ndarray, penalty: int | None) -> Model:
    """Rows: (t, r) one seat per member and open round; (w, r) capacity; (t, w) at most once. Vectorised."""
    T, W = c.type_cost.shape
    R = c.capacity.shape[1]
    n = c.count
    ct, cw, cr = columns[:, 0], columns[:, 1], columns[:, 2]
    round_lower = np.zeros(T * R)
    for t, rounds in enumerate(c.type_rounds):
        round_lower[[t * R + r for r in rounds]] = n[t]
    cap_upper = np.maximum(c.capacity, 0).reshape(-1).astype(np.float64)
    pair = ct * W + cw
    uniq, counts = np.unique(pair, return_counts=True)
    multi = uniq[counts > 1]
    row_lower = np.concatenate([round_lower, np.zeros(W * R), np.zeros(len(multi))])
    row_upper = np.concatenate([round_lower, cap_upper, n[multi // W].astype(np.float64)])
    has_once = np.isin(pair, multi)
    once_col = np.searchsorted(multi, pair[has_once]) + T * R + W * R
    # Column j: rows round(t, r), cap(w, r) and, when present, once(t, w).
    nnz = 2 + has_once.astype(np.int64)
    entries = [ct * R + cr, T * R + cw * R + cr]
    index = np.empty(int(nnz.sum()), dtype=np.int32)
    starts = np.zeros(len(columns) + 1, dtype=np.int64)
    starts[1:] = np.cumsum(nnz)
    index[starts[:-1]] = entries[0]
    index[starts[:-1] + 1] = entries[1]
    index[starts[:-1][has_once] + 2] = once_col
    cost = c.type_cost[ct, cw].astype(np.float64)
    upper = np.minimum(n[ct], c.capacity[cw, cr]).astype(np.float64)
    all_columns = columns
    if penalty is not None:
        # u[t]: members left unplaced, one per round row of the type.
        extra_cols, extra_idx, extra_starts = [], [], [int(starts[-1])]
        # u[t] also enters each (t, w) "once" row: Σ_r y + u ≤ n_t, so the placed members alone must be able
        # to take the type's seats with distinct workshops (König again); without it, two seats of one
        # workshop could go to one placed member.
        lo = np.searchsorted(multi, np.arange(T) * W)
        hi = np.searchsorted(multi, (np.arange(T) + 1) * W)
        for t, rounds in enumerate(c.type_rounds):
            if rounds:
                extra_cols.append((t, -1, -1))
                rows = [t * R + r for r in rounds] + list(range(T * R + W * R + lo[t], T * R + W * R + hi[t]))
                extra_idx.extend(rows)
                extra_starts.append(extra_starts[-1] + len(rows))
        if extra_cols:
            ext = np.array(extra_cols, dtype=np.int64)
            all_columns = np.concatenate([columns, ext]) if len(columns) else ext
            index = np.concatenate([index, np.array(extra_idx, dtype=np.int32)])
            starts = np.concatenate([starts, np.array(extra_starts[1:], dtype=np.int64)])
            cost = np.concatenate([cost, np.full(len(ext), float(penalty))])
            upper = np.concatenate([upper, n[ext[:, 0]].astype(np.float64)])
    return Model(
        all_columns.reshape(-1, 3),
        cost,
        upper,
        starts.astype(np.int32),
        index,
        np.ones(len(index)),
        row_lower,
        row_upper,
        multi,
        T * R + W * R,
    )


def _quiet_highs():
    """A Highs object without its banner on our stdout (the CLI writes JSON there)."""
    import sys

    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        return highspy.Highs(), highspy
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _highs(model: Model, time_limit: float, integer: bool):
    h, highspy = _quiet_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", max(time_limit, 0.05))
    # No "threads" option: HiGHS refuses to run when it differs from the process's existing scheduler.
    h.setOptionValue("random_seed", 0)
    if integer:
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.999)  # all costs are whole numbers
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
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * lp.num_col_
    h.passModel(lp)
    h.run()
    return h, highspy


def _run_highs(model: Model, time_limit: float):
    h, highspy = _highs(model, time_limit, integer=True)
    status = h.getModelStatus()
    info = h.getInfo()
    S = highspy.HighsModelStatus
    if status == S.kInfeasible:
        return ("infeasible", None, float("inf"), None)
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    x = np.rint(np.array(h.getSolution().col_value)).astype(np.int64) if has_solution else None
    bound = info.mip_dual_bound
    name = "optimal" if status == S.kOptimal else ("feasible" if has_solution else "timeout")
    return (name, float(info.objective_function_value) if has_solution else None, float(bound), x)


def worker() -> None:
    """Child process: read (function, arguments) as a pickle on stdin, write its return value as a pickle."""
    out = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # nothing HiGHS prints may reach our answer channel
    function, args = pickle.load(sys.stdin.buffer)
    pickle.dump(function(*args), out)
    out.flush()


SMALL = 20_000  # columns; below this HiGHS keeps its time limit well and a child's start-up would dominate


def run_in_child(function, args: tuple, timeout: float, in_process: bool = False):
    """function(*args) in a fresh interpreter, killed after `timeout` seconds (then None).

    `in_process` runs it here instead, for small models.
    A fresh interpreter rather than fork: forking a process where threads already run (HiGHS's own, a web
    server's) can leave the child dead or deadlocked, and multiprocessing would re-import our caller's script.
    HiGHS can also overrun its own time limit; a process can always be killed.
    """
    if in_process:
        return function(*args)
    src = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH", "")) if p)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from werkconferentie.allocation.exact import worker; worker()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=dict(os.environ, PYTHONPATH=path),
    )
    try:
        answer, _ = proc.communicate(pickle.dumps((function, args)), timeout=max(timeout, 0.1))
        return pickle.loads(answer) if answer else None
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None


def solve_mip(model: Model, time_limit: float) -> MipSolution:
    """Solve (in a child process for large models) within the time limit; HiGHS is asked to stop earlier."""
    if len(model.cost) == 0:
        return MipSolution("optimal", 0, 0.0, {}, {})
    got = run_in_child(_run_highs, (model, max(time_limit - 0.5, 0.1)), time_limit, in_process=len(model.cost) < SMALL)
    if got is None:
        return MipSolution("timeout", None, float("-inf"), {}, {})
    name, objective, bound, x = got
    if name == "infeasible":
        return MipSolution(name, None, float("inf"), {}, {})
    seats: dict[int, dict[tuple[int, int], int]] = {}
    unplaced: dict[int, int] = {}
    if x is not None:
        for (t, w, r), v in zip(model.columns.tolist(), x.tolist(), strict=True):
            if v <= 0:
                continue
            if w < 0:
                unplaced[t] = int(v)
            else:
                seats.setdefault(t, {})[(w, r)] = int(v)
        objective = int(round(float(np.dot(model.cost, x))))
    bound = bound if np.isfinite(bound) else float("-inf")
    return MipSolution(name, objective, bound, seats, unplaced)
