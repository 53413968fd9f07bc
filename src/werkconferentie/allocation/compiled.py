"""The instance in index form: integer rounds and workshops, pins taken out, participants grouped into types.

Participants with the same rounds, pins and preferences are interchangeable for the objective and every
constraint, so the solvers work on *types* with a head count. Aggregating is exact: any per-type count of
seats y[t, w, r] with one seat per attended round for each member and at most n_t seats per workshop splits
into n_t individual timetables by König's edge-colouring theorem (see `colouring.split_type`).
This module also runs the checks that let an infeasible instance be reported by name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import InfeasibleError, Instance


@dataclass
class Compiled:
    instance: Instance
    round_index: dict[str, int]
    workshop_index: dict[str, int]
    capacity: np.ndarray  # (W, R) seats left after pins; -1 where the workshop does not run
    pinned: list[list[tuple[int, int]]]  # per participant: (workshop, round) pins
    type_of: np.ndarray  # participant -> type
    members: list[list[int]]  # type -> participants, in input order
    type_rounds: list[tuple[int, ...]]  # rounds still to fill (pinned rounds removed)
    type_cost: np.ndarray  # (T, W) seat cost
    type_allowed: np.ndarray  # (T, W) bool: runs in one of the type's open rounds and not pinned already

    @property
    def count(self) -> np.ndarray:
        return np.array([len(m) for m in self.members], dtype=np.int64)

    def is_uniform(self) -> bool:
        """Every workshop runs in every round with one capacity, everyone attends all rounds, no pins.

        Then the flow plus an equitable edge colouring is exact (see `colouring.py`).
        """
        if any(self.pinned):
            return False
        full = len(self.instance.rounds)
        if any(len(r) != full for r in self.type_rounds):
            return False
        cap = self.capacity
        return bool((cap >= 0).all() and (cap == cap[:, :1]).all())


def compile_instance(
    inst: Instance, allow_unassigned: bool = False, group: bool = True, keep_previous: bool = False
) -> Compiled:
    """Index the instance, apply pins, group types and raise InfeasibleError for what can be named.

    `group=False` keeps one type per participant (the direct model, for benchmarks); `keep_previous` also
    tells apart participants with different previous seats (stability.py).
    """
    rix = {r: i for i, r in enumerate(inst.rounds)}
    wix = {w: i for i, w in enumerate(inst.workshops)}
    W, R = len(inst.workshops), len(inst.rounds)
    capacity = np.full((W, R), -1, dtype=np.int64)
    for s in inst.sessions:
        capacity[wix[s.workshop], rix[s.round]] = s.capacity

    pinned: list[list[tuple[int, int]]] = []
    for p in inst.participants:
        pins: list[tuple[int, int]] = []
        rounds_seen: dict[int, str] = {}
        workshops_seen: dict[int, str] = {}
        attends = set(p.rounds)
        for pin in p.fixed:
            w, r = wix[pin.workshop], rix[pin.round]
            if pin.round not in attends:
                raise InfeasibleError(
                    f"participant {p.id}: pinned to {pin.workshop} in round {pin.round}, "
                    f"which she or he does not attend"
                )
            if capacity[w, r] < 0:
                raise InfeasibleError(
                    f"participant {p.id}: pinned to session {pin.workshop} in round {pin.round}, "
                    f"but {pin.workshop} does not run in {pin.round}"
                )
            if r in rounds_seen:
                raise InfeasibleError(
                    f"participant {p.id}: two pins in round {pin.round} ({rounds_seen[r]} and {pin.workshop})"
                )
            if w in workshops_seen:
                raise InfeasibleError(
                    f"participant {p.id}: pinned to {pin.workshop} twice (rounds {workshops_seen[w]} and {pin.round})"
                )
            rounds_seen[r], workshops_seen[w] = pin.workshop, pin.round
            pins.append((w, r))
        pinned.append(pins)
    pin_count = _pin_count(pinned, W, R)
    for w, r in zip(*np.nonzero((capacity >= 0) & (pin_count > capacity)), strict=True):
        raise InfeasibleError(
            f"session {inst.workshops[w]} in round {inst.rounds[r]}: {pin_count[w, r]} participants "
            f"pinned to it but its capacity is {capacity[w, r]}"
        )
    capacity = np.where(capacity >= 0, capacity - pin_count, -1)

    # Types: same open rounds, same pins, same costs over the workshops they may get.
    keys: dict[tuple, int] = {}
    type_of = np.empty(len(inst.participants), dtype=np.int64)
    members: list[list[int]] = []
    type_rounds: list[tuple[int, ...]] = []
    costs: list[np.ndarray] = []
    allowed: list[np.ndarray] = []
    runs = capacity > 0  # sessions with a free seat
    for i, p in enumerate(inst.participants):
        pins = pinned[i]
        pin_rounds = {r for _, r in pins}
        pin_workshops = {w for w, _ in pins}
        open_rounds = tuple(rix[r] for r in p.rounds if rix[r] not in pin_rounds)
        prefs = tuple(wix[w] for w in p.preferences)
        key = (open_rounds, tuple(sorted(pins)), prefs) if group else (i,)
        if keep_previous:
            key += (tuple(sorted((f.round, f.workshop) for f in p.previous)),)
        t = keys.get(key)
        if t is None:
            t = keys[key] = len(members)
            members.append([])
            type_rounds.append(open_rounds)
            cost = np.full(W, inst.unranked_cost, dtype=np.int64)
            for k, w in enumerate(prefs):
                cost[w] = inst.rank_costs[min(k, len(inst.rank_costs) - 1)]
            ok = runs[:, list(open_rounds)].any(axis=1) if open_rounds else np.zeros(W, dtype=bool)
            ok[list(pin_workshops)] = False
            costs.append(cost)
            allowed.append(ok)
        type_of[i] = t
        members[t].append(i)
    compiled = Compiled(
        instance=inst,
        round_index=rix,
        workshop_index=wix,
        capacity=capacity,
        pinned=pinned,
        type_of=type_of,
        members=members,
        type_rounds=type_rounds,
        type_cost=np.array(costs, dtype=np.int64).reshape(len(members), W),
        type_allowed=np.array(allowed, dtype=bool).reshape(len(members), W),
    )
    if not allow_unassigned:
        _check_rounds(compiled)
        _check_participants(compiled)
    return compiled


def _pin_count(pinned: list[list[tuple[int, int]]], W: int, R: int) -> np.ndarray:
    count = np.zeros((W, R), dtype=np.int64)
    for pins in pinned:
        for w, r in pins:
            count[w, r] += 1
    return count


def _check_rounds(c: Compiled) -> None:
    """Each round needs as many free seats as people still to seat in it."""
    inst = c.instance
    need = np.zeros(len(inst.rounds), dtype=np.int64)
    for rounds, m in zip(c.type_rounds, c.members, strict=True):
        for r in rounds:
            need[r] += len(m)
    seats = np.where(c.capacity > 0, c.capacity, 0).sum(axis=0)
    for r in range(len(inst.rounds)):
        if need[r] > seats[r]:
            raise InfeasibleError(
                f"round {inst.rounds[r]}: {need[r]} participants to seat but only {seats[r]} free seats"
            )


def _check_participants(c: Compiled) -> None:
    """Each participant needs distinct running workshops for her open rounds (Hall's condition, per person)."""
    inst = c.instance
    runs = c.capacity > 0
    # Workshops open to each type in each round; where every round has enough, a greedy choice succeeds.
    available = c.type_allowed.astype(np.int64) @ runs.astype(np.int64)  # (T, R)
    for t, rounds in enumerate(c.type_rounds):
        if not rounds or available[t, list(rounds)].min() >= len(rounds):
            continue
        options = [[w for w in np.nonzero(runs[:, r] & c.type_allowed[t])[0]] for r in rounds]
        if _matching_size(options) < len(rounds):
            who = inst.participants[c.members[t][0]].id
            names = ", ".join(inst.rounds[r] for r in rounds)
            raise InfeasibleError(
                f"participant {who}: no way to attend a different workshop in each of "
                f"rounds {names} (too few workshops with free seats run in them)"
            )


def _matching_size(options: list[list[int]]) -> int:
    """Maximum bipartite matching of rounds to workshops by augmenting paths (tiny graphs)."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for w in options[i]:
            if w in seen:
                continue
            seen.add(w)
            if w not in owner or augment(owner[w], seen):
                owner[w] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(len(options)))
