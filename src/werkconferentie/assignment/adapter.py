"""Between the database and the allocation engine: an event's registrations in, stored placements out.

The engine (werkconferentie.allocation) knows nothing of Django; it sees participants as ids (registration
pks as text), workshops as slugs and rounds as keys.
"""

from dataclasses import dataclass

from werkconferentie.allocation.model import Instance, Result
from werkconferentie.events.models import Event, WorkshopSession
from werkconferentie.registration.enums import Status
from werkconferentie.registration.models import Preference

from .models import AssignmentRun, Pin, Placement


@dataclass
class EventInstance:
    """The engine's instance, with the look-ups needed to store its result."""

    instance: Instance
    registrations: dict[str, int]  # participant id -> registration pk
    sessions: dict[tuple[str, str], WorkshopSession]  # (round key, workshop slug) -> session


def confirmed_registrations(event: Event):
    return (
        event.registrations.filter(status=Status.CONFIRMED)
        .select_related("municipality")
        .prefetch_related("preferences__workshop")
        .order_by("created_at", "pk")
    )


def build_instance(
    event: Event, rank_costs=None, unranked_cost=None, previous_run: AssignmentRun | None = None
) -> EventInstance:
    """Four queries whatever the size: sessions, rounds, workshops, pins, registrations and their rankings.

    With `previous_run`, everyone's seats in it go along, so that the engine keeps people there among equally
    good assignments (one query more).

    Rows are read as tuples, not model instances: for 5,000 people with 6 choices each that is several times
    faster (bench/assignment.py).
    """
    sessions = {
        (s.round.key, s.workshop.slug): s
        for s in WorkshopSession.objects.filter(workshop__event=event).select_related("round", "workshop")
    }
    rounds = list(event.rounds.order_by("number").values_list("key", flat=True))
    workshops = list(event.workshops.order_by("number").values_list("slug", flat=True))
    pins: dict[int, list[dict]] = {}
    for registration_id, round_key, slug in Pin.objects.filter(registration__event=event).values_list(
        "registration_id", "round__key", "session__workshop__slug"
    ):
        pins.setdefault(registration_id, []).append({"round": round_key, "workshop": slug})
    previous: dict[int, list[dict]] = {}
    if previous_run is not None:
        for registration_id, round_key, slug in Placement.objects.filter(run=previous_run).values_list(
            "registration_id", "round__key", "workshop__slug"
        ):
            previous.setdefault(registration_id, []).append({"round": round_key, "workshop": slug})
    confirmed = event.registrations.filter(status=Status.CONFIRMED)
    rankings: dict[int, list[str]] = {}
    for registration_id, slug in (
        Preference.objects.filter(registration__in=confirmed)
        .order_by("registration_id", "rank")
        .values_list("registration_id", "workshop__slug")
    ):
        rankings.setdefault(registration_id, []).append(slug)
    registrations, participants = {}, []
    rows = confirmed.order_by("created_at", "pk").values_list("pk", "role", "municipality_id", "organisation")
    for pk, role, municipality_id, organisation in rows:
        key = str(pk)
        registrations[key] = pk
        participants.append(
            {
                "id": key,
                "preferences": rankings.get(pk, []),
                "fixed": pins.get(pk, []),
                # For the engine's optional mixing of roles and municipalities within sessions.
                "role": role,
                "municipality": municipality_id or organisation or "-",
                "previous": previous.get(pk, []),
            }
        )
    data = {
        "rounds": rounds,
        "workshops": workshops,
        "sessions": [
            {"workshop": slug, "round": round_key, "capacity": session.capacity}
            for (round_key, slug), session in sessions.items()
        ],
        "participants": participants,
    }
    if rank_costs is not None:
        data["rank_costs"] = list(rank_costs)
    if unranked_cost is not None:
        data["unranked_cost"] = unranked_cost
    return EventInstance(Instance.from_dict(data), registrations, sessions)


def placements_from_result(event_instance: EventInstance, result: Result) -> list[tuple[int, WorkshopSession]]:
    """(registration pk, session) for every seat of the result."""
    return [
        (event_instance.registrations[a.participant], event_instance.sessions[(a.round, a.workshop)])
        for a in result.assignments
    ]
