"""Statistics and the per-participant fairness report for a result, plus an independent feasibility check."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .model import Instance, Result


def rank_of(preferences: tuple[str, ...], workshop: str) -> int | None:
    """1 for a first choice, 2 for a second, ...; None for a workshop the participant did not rank."""
    try:
        return preferences.index(workshop) + 1
    except ValueError:
        return None


def fairness_report(instance: Instance, result: Result) -> dict[str, dict[str, int | None]]:
    """Per participant, the rank of the workshop they got in each round (None = not ranked)."""
    people = {p.id: p for p in instance.participants}
    out: dict[str, dict[str, int | None]] = {}
    for a in result.assignments:
        out.setdefault(a.participant, {})[a.round] = rank_of(people[a.participant].preferences, a.workshop)
    return out


def statistics(instance: Instance, result: Result, seconds: float) -> dict[str, Any]:
    people = {p.id: p for p in instance.participants}
    histogram: Counter[str] = Counter()
    got_first: set[str] = set()
    unranked: set[str] = set()
    worst = 0
    used: Counter[tuple[str, str]] = Counter()
    towns: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for a in result.assignments:
        p = people[a.participant]
        rank = rank_of(p.preferences, a.workshop)
        histogram["unranked" if rank is None else str(rank)] += 1
        if rank == 1:
            got_first.add(p.id)
        if rank is None:
            unranked.add(p.id)
        else:
            worst = max(worst, rank)
        used[(a.workshop, a.round)] += 1
        if p.municipality is not None:
            towns[(a.workshop, a.round)][p.municipality] += 1
    placed = {a.participant for a in result.assignments} - set(result.unassigned)
    sessions = []
    largest_share = 0.0
    for s in instance.sessions:
        row: dict[str, Any] = {
            "workshop": s.workshop,
            "round": s.round,
            "capacity": s.capacity,
            "used": used[(s.workshop, s.round)],
        }
        if towns[(s.workshop, s.round)]:
            share = max(towns[(s.workshop, s.round)].values()) / row["used"]
            row["largest_municipality_share"] = round(share, 4)
            largest_share = max(largest_share, share)
        sessions.append(row)
    ranked_keys = sorted((k for k in histogram if k != "unranked"), key=int)
    stats: dict[str, Any] = {
        "participants": len(instance.participants),
        "placed": len(placed),
        "rank_histogram": {k: histogram[k] for k in ranked_keys + (["unranked"] if "unranked" in histogram else [])},
        "share_first_choice": round(len(got_first) / len(placed), 4) if placed else 0.0,
        "worst_rank": "unranked" if unranked else worst,
        "participants_with_unranked": len(unranked),
        "sessions": sessions,
        "seconds": round(seconds, 3),
    }
    if any(p.municipality is not None for p in instance.participants):
        stats["largest_municipality_share"] = round(largest_share, 4)
    return stats


def check_feasible(instance: Instance, result: Result) -> list[str]:
    """Every violation of the contract in a result (empty when feasible); independent of the solvers."""
    problems: list[str] = []
    capacity = {(s.workshop, s.round): s.capacity for s in instance.sessions}
    people = {p.id: p for p in instance.participants}
    by_person: dict[str, list[tuple[str, str]]] = defaultdict(list)
    seats: Counter[tuple[str, str]] = Counter()
    for a in result.assignments:
        if a.participant not in people:
            problems.append(f"unknown participant {a.participant}")
            continue
        if (a.workshop, a.round) not in capacity:
            problems.append(f"{a.participant}: session {a.workshop}/{a.round} does not run")
        by_person[a.participant].append((a.round, a.workshop))
        seats[(a.workshop, a.round)] += 1
    for key, n in seats.items():
        if key in capacity and n > capacity[key]:
            problems.append(f"session {key[0]}/{key[1]}: {n} people for {capacity[key]} seats")
    unplaced = set(result.unassigned)
    cost = 0
    for p in instance.participants:
        got = by_person.get(p.id, [])
        if p.id in unplaced:
            if sorted(got) != sorted((f.round, f.workshop) for f in p.fixed):
                problems.append(f"{p.id}: listed as unplaced but has seats besides her pins")
            cost += sum(instance.cost(p, w) for _, w in got)
            continue
        rounds = [r for r, _ in got]
        if sorted(rounds) != sorted(p.rounds):
            problems.append(f"{p.id}: rounds {sorted(rounds)} instead of {sorted(p.rounds)}")
        workshops = [w for _, w in got]
        if len(set(workshops)) != len(workshops):
            problems.append(f"{p.id}: a workshop twice")
        for pin in p.fixed:
            if (pin.round, pin.workshop) not in got:
                problems.append(f"{p.id}: pin {pin.workshop}/{pin.round} not honoured")
        cost += sum(instance.cost(p, w) for _, w in got)
    if cost != result.objective:
        problems.append(f"objective {result.objective} but the seats cost {cost}")
    if result.lower_bound > result.objective:
        problems.append(f"lower bound {result.lower_bound} above objective {result.objective}")
    return problems
