"""What organisers do today, for comparison: first come, first served and random serial dictatorship.

Each participant in turn takes the best seats still free for her: her ranked workshops in order, each in the
first of her rounds where it has a seat, then any free workshop for the rounds left. Random serial
dictatorship (Abdulkadiroğlu & Sönmez, Econometrica 66(3), 1998) is the same in a random order. People who
cannot be given a seat in every round are left unplaced, as on a real sign-up form.
"""

from __future__ import annotations

import random

from .model import Assignment, Instance, Result
from .stats import fairness_report, statistics


def serial_dictatorship(instance: Instance, order: list[int]) -> Result:
    free = {(s.workshop, s.round): s.capacity for s in instance.sessions}
    people = instance.participants
    for p in people:  # pins are reserved before anyone signs up
        for f in p.fixed:
            free[(f.workshop, f.round)] = free.get((f.workshop, f.round), 0) - 1
    by_round: dict[str, list[str]] = {r: [] for r in instance.rounds}
    for s in instance.sessions:
        by_round[s.round].append(s.workshop)
    assignments: list[Assignment] = []
    unplaced: list[str] = []
    for i in order:
        p = people[i]
        mine = {f.round: f.workshop for f in p.fixed}
        taken = set(mine.values())
        for w in p.preferences:
            if w in taken:
                continue
            for r in p.rounds:
                if r not in mine and free.get((w, r), 0) > 0:
                    mine[r] = w
                    taken.add(w)
                    free[(w, r)] -= 1
                    break
        for r in p.rounds:
            if r in mine:
                continue
            options = [w for w in by_round[r] if w not in taken and free[(w, r)] > 0]
            if options:
                w = min(options, key=lambda w: (instance.cost(p, w), -free[(w, r)]))
                mine[r] = w
                taken.add(w)
                free[(w, r)] -= 1
        if len(mine) < len(p.rounds):
            unplaced.append(p.id)
            for r, w in mine.items():
                if r not in {f.round for f in p.fixed}:
                    free[(w, r)] += 1
            assignments.extend(Assignment(p.id, f.round, f.workshop) for f in p.fixed)  # pins stand
            continue
        assignments.extend(Assignment(p.id, r, mine[r]) for r in p.rounds)
    cost = {p.id: p for p in people}
    objective = sum(instance.cost(cost[a.participant], a.workshop) for a in assignments)
    result = Result(assignments, objective, 0, False, unassigned=sorted(unplaced))
    result.stats = statistics(instance, result, seconds=0.0)
    result.fairness = fairness_report(instance, result)
    return result


def first_come_first_served(instance: Instance) -> Result:
    """In the order of the instance, which we take as the order of sign-up."""
    return serial_dictatorship(instance, list(range(len(instance.participants))))


def random_serial_dictatorship(instance: Instance, seed: int = 0) -> Result:
    order = list(range(len(instance.participants)))
    random.Random(seed).shuffle(order)
    return serial_dictatorship(instance, order)
