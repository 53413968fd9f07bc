"""Answers to "why did she not get her first choice?", read from the instance and a result.

In an optimal result the answer is always one of: she has it in another round; it does not run in a round
she had free; she was pinned elsewhere; or the session was full — and then either everyone in it ranked it at
least as high as she did, or moving one of them out would raise the total cost (the result is optimal).
"""

from __future__ import annotations

from collections import defaultdict

from .model import Instance, Result
from .stats import rank_of


def _ordinal(k: int | None) -> str:
    if k is None:
        return "a workshop she did not rank"
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"her {k}{suffix} choice"


def explain(instance: Instance, result: Result, participant: str, workshop: str | None = None) -> list[str]:
    """Sentences explaining why `participant` did not get `workshop` (default: her first choice)."""
    people = {p.id: p for p in instance.participants}
    if participant not in people:
        return [f"There is no participant {participant!r}."]
    p = people[participant]
    if workshop is None:
        if not p.preferences:
            return [f"{p.id} ranked no workshops, so every workshop costs the same for her."]
        workshop = p.preferences[0]
    wanted_rank = rank_of(p.preferences, workshop)
    got = {a.round: a.workshop for a in result.assignments if a.participant == p.id}
    if participant in result.unassigned:
        reason = result.unplaced_reasons.get(participant)
        why = f" ({reason.code}: {', '.join(reason.rounds)})" if reason else ""
        return [f"{p.id} could not be placed at all: there were not enough seats for everyone{why}."]
    for r, w in got.items():
        if w == workshop:
            return [f"{p.id} has {workshop} ({_ordinal(wanted_rank)}) in round {r}."]
    capacity = {(s.workshop, s.round): s.capacity for s in instance.sessions}
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in result.assignments:
        members[(a.workshop, a.round)].append(a.participant)
    pins = {f.round: f.workshop for f in p.fixed}
    lines = [f"{p.id} did not get {workshop} ({_ordinal(wanted_rank)}):"]
    for r in p.rounds:
        mine = got.get(r)
        mine_text = f"she got {mine} ({_ordinal(rank_of(p.preferences, mine))})" if mine else "she has no seat"
        if r in pins:
            lines.append(f"- round {r}: she is pinned to {pins[r]}.")
            continue
        if (workshop, r) not in capacity:
            lines.append(f"- round {r}: {workshop} does not run; {mine_text}.")
            continue
        inside = members[(workshop, r)]
        cap = capacity[(workshop, r)]
        if len(inside) < cap:
            lines.append(
                f"- round {r}: {workshop} had a free seat, yet {mine_text}; this result is not optimal "
                f"for her here (objective {result.objective}, bound {result.lower_bound})."
            )
            continue
        mine_rank = wanted_rank if wanted_rank is not None else len(p.preferences) + 1
        keen = sum(1 for q in inside if (rank_of(people[q].preferences, workshop) or 10**9) <= mine_rank)
        if keen == len(inside):
            lines.append(
                f"- round {r}: {workshop} was full ({cap} seats), all taken by people who ranked it at "
                f"least as high as she did; {mine_text}."
            )
        else:
            lines.append(
                f"- round {r}: {workshop} was full ({cap} seats); {keen} ranked it at least as high as "
                f"she did and {len(inside) - keen} lower, but giving her one of their seats would cost "
                f"more elsewhere than it saves{' (the result is proven optimal)' if result.optimal else ''}"
                f"; {mine_text}."
            )
    return lines
