"""An independent reference optimum: the direct per-participant 0/1 model, written out plainly for HiGHS."""

from __future__ import annotations

import highspy
import numpy as np

from werkconferentie.allocation import Instance


def reference_optimum(inst: Instance, allow_unassigned: bool = False) -> tuple[int, int] | None:
    """(number unplaced, seat cost) at the optimum, or None if infeasible (complete mode)."""
    cap = {(s.workshop, s.round): s.capacity for s in inst.sessions}
    cols: list[tuple[int, str, str]] = []
    cost: list[float] = []
    rows: dict[tuple, int] = {}
    lower: list[float] = []
    upper: list[float] = []
    entries: list[tuple[int, int]] = []

    def row(key, lo, hi):
        if key not in rows:
            rows[key] = len(lower)
            lower.append(lo)
            upper.append(hi)
        return rows[key]

    total = sum(len(p.rounds) for p in inst.participants)
    big = total * max([inst.unranked_cost, *inst.rank_costs]) + 1
    for i, p in enumerate(inst.participants):
        pins = {(f.workshop, f.round) for f in p.fixed}
        for r in p.rounds:
            row(("round", i, r), 0 if allow_unassigned else 1, 1)
        if allow_unassigned:
            u = len(cols)
            cols.append((i, "", ""))
            cost.append(big)
        for (w, r), c in cap.items():
            if r not in p.rounds:
                continue
            j = len(cols)
            cols.append((i, w, r))
            cost.append(inst.cost(p, w))
            entries += [(row(("round", i, r), 0, 1), j), (row(("once", i, w), 0, 1), j), (row(("cap", w, r), 0, c), j)]
        pinned_rounds = {r for _, r in pins}
        if allow_unassigned:
            # Pins always stand; "unplaced" means no seat in any other round: Σ_w x[i, w, r] + u = 1.
            for r in p.rounds:
                lower[rows[("round", i, r)]] = 1
                if r not in pinned_rounds:
                    entries.append((rows[("round", i, r)], u))
        for w, r in pins:
            j = next(k for k, col in enumerate(cols) if col == (i, w, r))
            entries.append((row(("pin", i, w, r), 1, 1), j))
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    n = len(cols)
    h.addVars(n, np.zeros(n), np.ones(n))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(cost))
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n))
    by_row: dict[int, list[int]] = {}
    for r_, j in entries:
        by_row.setdefault(r_, []).append(j)
    for r_ in range(len(lower)):
        idx = by_row.get(r_, [])
        h.addRow(lower[r_], upper[r_], len(idx), np.array(idx, dtype=np.int32), np.ones(len(idx)))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x = np.rint(h.getSolution().col_value)
    unplaced = int(sum(x[j] for j, col in enumerate(cols) if col[1] == ""))
    seat_cost = int(sum(cost[j] * x[j] for j, col in enumerate(cols) if col[1] != ""))
    return unplaced, seat_cost
