"""Optional secondary goal: spread municipalities and roles over sessions without changing anyone's cost.

Among equally good assignments we prefer sessions that mix people. Local search over swaps of two people
between sessions of the same round that leave the total cost unchanged (each keeps her ranks' sum) and lower
the sum of squared group sizes per session. Exact versions are NP-hard once two crossing classes (role and
municipality) are involved (Nasre, Nimbhorkar & Pulath, WG 2019), so this is a heuristic on top of an optimal
assignment; the objective and bound are untouched.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from .model import Assignment, Instance


def mix_sessions(instance: Instance, assignments: list[Assignment], deadline: float,
                 max_passes: int = 3) -> list[Assignment]:
    people = {p.id: p for p in instance.participants}
    if not any(p.municipality or p.role for p in instance.participants):
        return assignments
    pinned = {(p.id, f.round) for p in instance.participants for f in p.fixed}
    where: dict[tuple[str, str], str] = {(a.participant, a.round): a.workshop for a in assignments}
    holds: dict[str, set[str]] = defaultdict(set)
    for (pid, _), w in where.items():
        holds[pid].add(w)
    groups: dict[tuple[str, str], Counter] = defaultdict(Counter)
    seated: dict[tuple[str, str], list[str]] = defaultdict(list)

    def labels(pid: str) -> list[str]:
        p = people[pid]
        return [x for x in (f"m:{p.municipality}" if p.municipality else None,
                            f"r:{p.role}" if p.role else None) if x]

    for (pid, r), w in where.items():
        seated[(w, r)].append(pid)
        for lab in labels(pid):
            groups[(w, r)][lab] += 1

    def delta(pid: str, src: tuple[str, str], dst: tuple[str, str]) -> int:
        # Change in Σ size² when pid leaves src and joins dst.
        return sum(2 * (groups[dst][lab] - groups[src][lab]) + 2 for lab in labels(pid))

    for _ in range(max_passes):
        improved = False
        for r in instance.rounds:
            sessions = sorted({w for (w, rr) in seated if rr == r})
            for a in sessions:
                for pid in list(seated[(a, r)]):
                    if time.monotonic() > deadline or (pid, r) in pinned:
                        continue
                    p = people[pid]
                    for b in sessions:
                        if b == a or b in holds[pid]:
                            continue
                        for qid in seated[(b, r)]:
                            q = people[qid]
                            if (qid, r) in pinned or a in holds[qid] or labels(qid) == labels(pid):
                                continue
                            if instance.cost(p, b) + instance.cost(q, a) != instance.cost(p, a) + instance.cost(q, b):
                                continue
                            gain = delta(pid, (a, r), (b, r)) + delta(qid, (b, r), (a, r))
                            # The two moves interact when they share a label; correct for it.
                            shared = set(labels(pid)) & set(labels(qid))
                            gain -= 4 * len(shared)
                            if gain >= 0:
                                continue
                            for who, src, dst in ((pid, a, b), (qid, b, a)):
                                seated[(src, r)].remove(who)
                                seated[(dst, r)].append(who)
                                for lab in labels(who):
                                    groups[(src, r)][lab] -= 1
                                    groups[(dst, r)][lab] += 1
                                holds[who].discard(src)
                                holds[who].add(dst)
                                where[(who, r)] = dst
                            improved = True
                            break
                        else:
                            continue
                        break
        if not improved:
            break
    order = {pid: i for i, pid in enumerate(people)}
    rix = {r: i for i, r in enumerate(instance.rounds)}
    return [Assignment(pid, r, w) for (pid, r), w in sorted(where.items(), key=lambda kv: (order[kv[0][0]],
                                                                                           rix[kv[0][1]]))]
