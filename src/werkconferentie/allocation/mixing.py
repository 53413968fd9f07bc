"""Optional secondary goal: spread municipalities and roles over sessions without changing anyone's cost.

Among equally good assignments we prefer sessions that mix people: local search that lowers the sum
over sessions of squared group sizes (per municipality, weighted double, and per role) with moves that keep
every seat cost and every capacity: a participant swapping the rounds of two of her workshops (when seats are free), two
participants swapping those rounds between them, and two participants of one round swapping sessions when
their costs allow it. Exact versions are NP-hard once two crossing classes (role and municipality) are
involved (Nasre, Nimbhorkar & Pulath, WG 2019), so this is a heuristic on top of an optimal assignment; the
objective and bound stay as they are.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from .model import Assignment, Instance

Move = tuple[str, str, str, str]  # participant, round, from workshop, to workshop


def _weight(label: str) -> int:
    """Municipalities count double: their mix is what the organisers report on (stats)."""
    return 2 if label.startswith("m:") else 1


def mix_sessions(
    instance: Instance, assignments: list[Assignment], deadline: float, max_passes: int = 4
) -> list[Assignment]:
    people = {p.id: p for p in instance.participants}
    if not any(p.municipality or p.role for p in instance.participants):
        return assignments
    capacity = {(s.workshop, s.round): s.capacity for s in instance.sessions}
    pinned = {(p.id, f.round) for p in instance.participants for f in p.fixed}
    where: dict[tuple[str, str], str] = {(a.participant, a.round): a.workshop for a in assignments}
    seated: dict[tuple[str, str], set[str]] = defaultdict(set)
    groups: dict[tuple[str, str], Counter] = defaultdict(Counter)
    labels = {
        pid: [x for x in (p.municipality and f"m:{p.municipality}", p.role and f"r:{p.role}") if x]
        for pid, p in people.items()
    }
    for (pid, r), w in where.items():
        seated[(w, r)].add(pid)
        groups[(w, r)].update(labels[pid])

    def change(moves: list[Move]) -> int:
        """Change in Σ size² over the sessions the moves touch."""
        touched = {(w, r) for _, r, a, b in moves for w in (a, b)}
        before = sum(_weight(k) * v * v for s in touched for k, v in groups[s].items())
        after_groups = {s: Counter(groups[s]) for s in touched}
        for pid, r, a, b in moves:
            after_groups[(a, r)].subtract(labels[pid])
            after_groups[(b, r)].update(labels[pid])
        return sum(_weight(k) * v * v for g in after_groups.values() for k, v in g.items()) - before

    def apply(moves: list[Move]) -> None:
        for pid, r, a, b in moves:
            seated[(a, r)].discard(pid)
            seated[(b, r)].add(pid)
            groups[(a, r)].subtract(labels[pid])
            groups[(b, r)].update(labels[pid])
            where[(pid, r)] = b

    def candidates(pid: str, r: str, a: str):
        """Cost- and capacity-neutral move sets that take pid out of session (a, r)."""
        mine = dict(rounds_of[pid])
        for r2, b in mine.items():
            if r2 == r or (pid, r2) in pinned or (a, r2) not in capacity or (b, r) not in capacity:
                continue
            swap = [(pid, r, a, b), (pid, r2, b, a)]
            if len(seated[(a, r2)]) < capacity[(a, r2)] and len(seated[(b, r)]) < capacity[(b, r)]:
                yield swap
            for q in sorted(seated[(a, r2)]):
                if q != pid and where.get((q, r)) == b and (q, r) not in pinned and (q, r2) not in pinned:
                    yield swap + [(q, r, b, a), (q, r2, a, b)]
        p = people[pid]
        for b in sorted({w for (w, rr) in seated if rr == r}):
            if b == a or b in mine.values():
                continue
            for q in sorted(seated[(b, r)]):
                qp = people[q]
                if (q, r) in pinned or a in rounds_of[q].values() or labels[q] == labels[pid]:
                    continue
                if instance.cost(p, b) + instance.cost(qp, a) == instance.cost(p, a) + instance.cost(qp, b):
                    yield [(pid, r, a, b), (q, r, b, a)]

    rounds_of: dict[str, dict[str, str]] = defaultdict(dict)
    for (pid, r), w in where.items():
        rounds_of[pid][r] = w

    for _ in range(max_passes):
        improved = False
        # Most crowded sessions first: their dominant group is what the goal is about.
        order = sorted(seated, key=lambda s: (-max(groups[s].values(), default=0), s))
        for a, r in order:
            if time.monotonic() > deadline:
                break
            top = groups[(a, r)].most_common(1)
            if not top or top[0][1] <= 1:
                continue
            for pid in sorted(q for q in seated[(a, r)] if top[0][0] in labels[q]):
                if (pid, r) in pinned or where[(pid, r)] != a:
                    continue
                for moves in candidates(pid, r, a):
                    if change(moves) < 0:
                        apply(moves)
                        for q, rr, _, b in moves:
                            rounds_of[q][rr] = b
                        improved = True
                        break
        if not improved:
            break
    order_of = {pid: i for i, pid in enumerate(people)}
    rix = {r: i for i, r in enumerate(instance.rounds)}
    return [
        Assignment(pid, r, w)
        for (pid, r), w in sorted(where.items(), key=lambda kv: (order_of[kv[0][0]], rix[kv[0][1]]))
    ]
