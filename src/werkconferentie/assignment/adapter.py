"""Between the database and the allocation engine: an event's registrations in, stored placements out.

The engine (werkconferentie.allocation) knows nothing of Django; it sees participants as ids (registration
pks as text), workshops as slugs and rounds as keys.
"""

from dataclasses import dataclass

from werkconferentie.allocation.model import Instance, Result
from werkconferentie.events.models import Event, WorkshopSession
from werkconferentie.registration.enums import Status
from werkconferentie.registration.models import Registration

from .models import Pin


@dataclass
class EventInstance:
    """The engine's instance, with the look-ups needed to store its result."""

    instance: Instance
    registrations: dict[str, Registration]
    sessions: dict[tuple[str, str], WorkshopSession]  # (round key, workshop slug) -> session


def confirmed_registrations(event: Event):
    return (
        event.registrations.filter(status=Status.CONFIRMED)
        .select_related("municipality")
        .prefetch_related("preferences__workshop")
        .order_by("created_at", "pk")
    )


def build_instance(event: Event, rank_costs=None, unranked_cost=None) -> EventInstance:
    sessions = {
        (s.round.key, s.workshop.slug): s
        for s in WorkshopSession.objects.filter(workshop__event=event).select_related("round", "workshop")
    }
    rounds = list(event.rounds.order_by("number").values_list("key", flat=True))
    workshops = list(event.workshops.order_by("number").values_list("slug", flat=True))
    pins: dict[int, list[dict]] = {}
    for pin in Pin.objects.filter(registration__event=event).select_related("session__workshop", "round"):
        pins.setdefault(pin.registration_id, []).append({"round": pin.round.key, "workshop": pin.session.workshop.slug})
    registrations, participants = {}, []
    for registration in confirmed_registrations(event):
        key = str(registration.pk)
        registrations[key] = registration
        participant = {
            "id": key,
            "preferences": [p.workshop.slug for p in registration.preferences.all()],
            "fixed": pins.get(registration.pk, []),
            # For the engine's optional mixing of roles and municipalities within sessions.
            "role": registration.role,
            "municipality": registration.municipality_id or registration.organisation or "-",
        }
        participants.append(participant)
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


def placements_from_result(event_instance: EventInstance, result: Result) -> list[tuple[Registration, WorkshopSession]]:
    return [
        (event_instance.registrations[a.participant], event_instance.sessions[(a.round, a.workshop)])
        for a in result.assignments
    ]
