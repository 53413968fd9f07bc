"""The allocation instance and result, and the JSON contract they are read from and written to.

Parsing checks every field and raises `InstanceError` naming it (``participants[3].fixed[0].round``), so the
command line can exit with status 2 and a useful message instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class InstanceError(ValueError):
    """The instance is malformed: a field is missing, has the wrong type or refers to something unknown."""


class InfeasibleError(ValueError):
    """The instance is well formed but no assignment satisfies it; the message names the culprit."""


DEFAULT_UNRANKED_FLOOR = 100


@dataclass(frozen=True)
class Session:
    workshop: str
    round: str
    capacity: int


@dataclass(frozen=True)
class Pin:
    round: str
    workshop: str


@dataclass(frozen=True)
class Participant:
    id: str
    preferences: tuple[str, ...]
    rounds: tuple[str, ...]
    fixed: tuple[Pin, ...] = ()
    role: str | None = None
    municipality: str | None = None
    # Where a previous run placed her: among equally good assignments she stays there (stability.py).
    previous: tuple[Pin, ...] = ()


@dataclass(frozen=True)
class Instance:
    rounds: tuple[str, ...]
    workshops: tuple[str, ...]
    sessions: tuple[Session, ...]
    participants: tuple[Participant, ...]
    rank_costs: tuple[int, ...]
    unranked_cost: int

    def cost(self, participant: Participant, workshop: str) -> int:
        """Cost of one seat: rank_costs[k] for the (k+1)-th choice (the last entry for longer lists)."""
        try:
            k = participant.preferences.index(workshop)
        except ValueError:
            return self.unranked_cost
        return self.rank_costs[min(k, len(self.rank_costs) - 1)]

    @classmethod
    def from_dict(cls, data: Any) -> Instance:
        return parse_instance(data)

    def to_dict(self) -> dict[str, Any]:
        def person(p: Participant) -> dict[str, Any]:
            out: dict[str, Any] = {"id": p.id, "preferences": list(p.preferences), "rounds": list(p.rounds)}
            if p.fixed:
                out["fixed"] = [{"round": f.round, "workshop": f.workshop} for f in p.fixed]
            if p.role is not None:
                out["role"] = p.role
            if p.municipality is not None:
                out["municipality"] = p.municipality
            if p.previous:
                out["previous"] = [{"round": f.round, "workshop": f.workshop} for f in p.previous]
            return out

        return {
            "rounds": list(self.rounds),
            "workshops": list(self.workshops),
            "sessions": [{"workshop": s.workshop, "round": s.round, "capacity": s.capacity} for s in self.sessions],
            "participants": [person(p) for p in self.participants],
            "rank_costs": list(self.rank_costs),
            "unranked_cost": self.unranked_cost,
        }


@dataclass(frozen=True)
class Assignment:
    participant: str
    round: str
    workshop: str


class UnplacedCode(StrEnum):
    """Why a participant is unplaced (see unplaced.py); stable strings for the API."""

    PINS_CONFLICT = "pins_conflict"
    ROUND_FULL = "round_full"
    CHOICES_FULL = "choices_full"
    NO_CHOICES = "no_choices"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class UnplacedReason:
    participant: str
    code: UnplacedCode
    rounds: tuple[str, ...]  # the rounds the reason is about, in the instance's order

    def to_dict(self) -> dict:
        return {"code": self.code.value, "rounds": list(self.rounds)}


@dataclass
class Result:
    assignments: list[Assignment]
    objective: int
    lower_bound: int
    optimal: bool
    unassigned: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    fairness: dict[str, dict[str, int | None]] = field(default_factory=dict)
    # Per unplaced participant, why (unplaced.py).
    unplaced_reasons: dict[str, UnplacedReason] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "assignments": [
                {"participant": a.participant, "round": a.round, "workshop": a.workshop} for a in self.assignments
            ],
            "objective": self.objective,
            "lower_bound": self.lower_bound,
            "optimal": self.optimal,
            "stats": self.stats,
            "fairness": self.fairness,
        }
        if self.unassigned:
            out["unassigned"] = list(self.unassigned)
        if self.unplaced_reasons:
            out["unplaced_reasons"] = {pid: reason.to_dict() for pid, reason in self.unplaced_reasons.items()}
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Result:
        where = "result"
        d = _object(data, where)
        items = _list(d.get("assignments"), "assignments")
        assignments = []
        for i, a in enumerate(items):
            ad = _object(a, f"assignments[{i}]")
            assignments.append(
                Assignment(
                    _string(ad.get("participant"), f"assignments[{i}].participant"),
                    _string(ad.get("round"), f"assignments[{i}].round"),
                    _string(ad.get("workshop"), f"assignments[{i}].workshop"),
                )
            )
        return cls(
            assignments=assignments,
            objective=_integer(d.get("objective"), "objective"),
            lower_bound=_integer(d.get("lower_bound"), "lower_bound"),
            optimal=bool(d.get("optimal")),
            unassigned=[_string(u, f"unassigned[{i}]") for i, u in enumerate(d.get("unassigned") or [])],
            stats=d.get("stats") or {},
            fairness=d.get("fairness") or {},
        )


# --- parsing ---------------------------------------------------------------------------------------------


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InstanceError(f"{where}: expected an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise InstanceError(f"{where}: expected a list")
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise InstanceError(f"{where}: expected a non-empty string")
    return value


def _integer(value: Any, where: str, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InstanceError(f"{where}: expected a whole number")
    if isinstance(value, float):
        if not value.is_integer():
            raise InstanceError(f"{where}: expected a whole number, got {value}")
        value = int(value)
    if minimum is not None and value < minimum:
        raise InstanceError(f"{where}: must be at least {minimum}, got {value}")
    return value


def _names(value: Any, where: str, known: set[str] | None = None, what: str = "") -> tuple[str, ...]:
    items = tuple(_string(v, f"{where}[{i}]") for i, v in enumerate(_list(value, where)))
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item in seen:
            raise InstanceError(f"{where}[{i}]: {item!r} appears twice")
        seen.add(item)
        if known is not None and item not in known:
            raise InstanceError(f"{where}[{i}]: unknown {what} {item!r}")
    return items


def _placements(value: Any, where: str, round_set: set[str] | None, workshop_set: set[str] | None) -> list[Pin]:
    """A list of {round, workshop}; with the sets given, both must be known."""
    out = []
    for j, f in enumerate(_list(value, where)):
        fd = _object(f, f"{where}[{j}]")
        fr = _string(fd.get("round"), f"{where}[{j}].round")
        fw = _string(fd.get("workshop"), f"{where}[{j}].workshop")
        if round_set is not None and fr not in round_set:
            raise InstanceError(f"{where}[{j}].round: unknown round {fr!r}")
        if workshop_set is not None and fw not in workshop_set:
            raise InstanceError(f"{where}[{j}].workshop: unknown workshop {fw!r}")
        out.append(Pin(fr, fw))
    return out


def default_rank_costs(longest: int) -> tuple[int, ...]:
    """Convex k² costs: 0, 1, 4, 9, ... — a second choice for two people beats a third for one."""
    return tuple(k * k for k in range(max(longest, 1)))


def default_unranked_cost(rank_costs: tuple[int, ...]) -> int:
    """Worse than any ranked choice by a wide margin: max(100, 2 × the highest rank cost)."""
    return max(DEFAULT_UNRANKED_FLOOR, 2 * max(rank_costs))


def parse_instance(data: Any) -> Instance:
    """Read the JSON contract (see docs/allocation.md); raise InstanceError naming the first bad field."""
    d = _object(data, "instance")
    rounds = _names(d.get("rounds"), "rounds")
    if not rounds:
        raise InstanceError("rounds: at least one round is needed")
    workshops = _names(d.get("workshops"), "workshops")
    round_set, workshop_set = set(rounds), set(workshops)

    sessions = []
    seen_sessions: set[tuple[str, str]] = set()
    for i, s in enumerate(_list(d.get("sessions"), "sessions")):
        sd = _object(s, f"sessions[{i}]")
        w = _string(sd.get("workshop"), f"sessions[{i}].workshop")
        r = _string(sd.get("round"), f"sessions[{i}].round")
        if w not in workshop_set:
            raise InstanceError(f"sessions[{i}].workshop: unknown workshop {w!r}")
        if r not in round_set:
            raise InstanceError(f"sessions[{i}].round: unknown round {r!r}")
        if (w, r) in seen_sessions:
            raise InstanceError(f"sessions[{i}]: workshop {w!r} has two sessions in round {r!r}")
        seen_sessions.add((w, r))
        sessions.append(Session(w, r, _integer(sd.get("capacity"), f"sessions[{i}].capacity", minimum=0)))

    participants = []
    seen_ids: set[str] = set()
    for i, p in enumerate(_list(d.get("participants"), "participants")):
        where = f"participants[{i}]"
        pd = _object(p, where)
        pid = _string(pd.get("id"), f"{where}.id")
        if pid in seen_ids:
            raise InstanceError(f"{where}.id: participant {pid!r} appears twice")
        seen_ids.add(pid)
        prefs = _names(pd.get("preferences", []), f"{where}.preferences", workshop_set, "workshop")
        prounds = rounds if pd.get("rounds") is None else _names(pd["rounds"], f"{where}.rounds", round_set, "round")
        pins = _placements(pd.get("fixed", []), f"{where}.fixed", round_set, workshop_set)
        # Seats of a previous run; an unknown round or workshop (since removed) is simply not kept.
        previous = tuple(
            f
            for f in _placements(pd.get("previous", []), f"{where}.previous", None, None)
            if f.round in round_set and f.workshop in workshop_set
        )
        extras = {}
        for key in ("role", "municipality"):
            value = pd.get(key)
            extras[key] = None if value is None else _string(value, f"{where}.{key}")
        # Keep the instance's round order so results do not depend on how a participant listed them.
        order = {r: k for k, r in enumerate(rounds)}
        participants.append(
            Participant(
                pid, prefs, tuple(sorted(prounds, key=order.__getitem__)), tuple(pins), **extras, previous=previous
            )
        )

    longest = max((len(p.preferences) for p in participants), default=1)
    if d.get("rank_costs") is None:
        rank_costs = default_rank_costs(longest)
    else:
        items = _list(d["rank_costs"], "rank_costs")
        if not items:
            raise InstanceError("rank_costs: at least one cost is needed")
        rank_costs = tuple(_integer(c, f"rank_costs[{k}]", minimum=0) for k, c in enumerate(items))
    if d.get("unranked_cost") is None:
        unranked = default_unranked_cost(rank_costs)
    else:
        unranked = _integer(d["unranked_cost"], "unranked_cost", minimum=0)
    return Instance(rounds, workshops, tuple(sessions), tuple(participants), rank_costs, unranked)
