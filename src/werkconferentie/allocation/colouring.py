"""Stage (b): rounds for chosen workshops, by edge colouring bipartite graphs.

König (1916): a bipartite multigraph of maximum degree k has a proper k-edge-colouring; we build one edge by
edge with alternating-path (Kempe chain) swaps. Two uses:

* Equitable colouring (de Werra, RIRO R-3, 1971, 3–8). Split each workshop vertex of degree d into ⌈d/k⌉
  copies of degree ≤ k and colour with k = number of rounds: every participant (degree k) gets each round
  once and every workshop gets at most ⌈d/k⌉ ≤ capacity people per round. This makes the flow exact in the
  uniform case.
* Splitting a type's seat counts y[w, r] into individual timetables: rounds and workshops as the two sides,
  n_t colours, one colour per member.
"""

from __future__ import annotations

from collections.abc import Sequence


def edge_colouring(left: Sequence[int], right: Sequence[int], n_left: int, n_right: int, k: int) -> list[int]:
    """Colour the edges (left[e], right[e]) with colours 0..k-1, no two edges at a vertex sharing a colour.

    Requires every vertex degree ≤ k. Deterministic: edges are coloured in the given order.
    """
    at_left = [[-1] * k for _ in range(n_left)]
    at_right = [[-1] * k for _ in range(n_right)]
    colour = [-1] * len(left)
    for e in range(len(left)):
        u, v = left[e], right[e]
        lu, rv = at_left[u], at_right[v]
        # A colour free at both ends needs no swap; k is small, so look for one first.
        both = next((c for c in range(k) if lu[c] == -1 and rv[c] == -1), -1)
        if both >= 0:
            colour[e], lu[both], rv[both] = both, e, e
            continue
        a = lu.index(-1)
        b = rv.index(-1)
        # Swap a and b along the alternating path that starts at v with colour a. In a bipartite graph it
        # cannot end at u (a is free at u), so afterwards a is free at both ends.
        path = []
        vertex, on_right, want = v, True, a
        while True:
            f = (at_right if on_right else at_left)[vertex][want]
            if f == -1:
                break
            path.append(f)
            vertex = left[f] if on_right else right[f]
            on_right = not on_right
            want = b if want == a else a
        for f in path:
            at_left[left[f]][colour[f]] = -1
            at_right[right[f]][colour[f]] = -1
        for f in path:
            c = b if colour[f] == a else a
            colour[f] = c
            at_left[left[f]][c] = f
            at_right[right[f]][c] = f
        colour[e], lu[a], rv[a] = a, e, e
    return colour


def equitable_rounds(person_workshops: Sequence[Sequence[int]], n_workshops: int, k: int) -> list[list[int]]:
    """For people who each chose exactly k distinct workshops, give every chosen workshop a round 0..k-1.

    Returns, per person, the round of each workshop in the order given; each workshop w with d_w people gets
    at most ⌈d_w / k⌉ of them in any round (de Werra 1971).
    """
    left: list[int] = []
    right: list[int] = []
    seen = [0] * n_workshops
    offset = [0] * n_workshops
    for ws in person_workshops:
        for w in ws:
            seen[w] += 1
    total = 0
    for w in range(n_workshops):
        offset[w] = total
        total += -(-seen[w] // k)
    filled = [0] * n_workshops
    for p, ws in enumerate(person_workshops):
        for w in ws:
            left.append(p)
            right.append(offset[w] + filled[w] // k)
            filled[w] += 1
    colours = edge_colouring(left, right, len(person_workshops), total, k)
    out: list[list[int]] = []
    e = 0
    for ws in person_workshops:
        out.append(colours[e : e + len(ws)])
        e += len(ws)
    return out


def split_type(seats: dict[tuple[int, int], int], rounds: Sequence[int], n: int) -> list[list[tuple[int, int]]]:
    """Split y[(w, r)] seats of one type into n timetables [(w, r), ...], one workshop per round, no repeats.

    Valid when every round in `rounds` has exactly n seats and each workshop at most n (König).
    """
    if n == 1:
        return [sorted(seats)]
    rpos = {r: i for i, r in enumerate(rounds)}
    wpos: dict[int, int] = {}
    left, right, label = [], [], []
    for (w, r), m in sorted(seats.items()):
        j = wpos.setdefault(w, len(wpos))
        for _ in range(m):
            left.append(rpos[r])
            right.append(j)
            label.append((w, r))
    colours = edge_colouring(left, right, len(rounds), len(wpos), n)
    out: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for e, c in enumerate(colours):
        out[c].append(label[e])
    return out
