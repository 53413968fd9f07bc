"""What assignment holds about a person, for the registration app's export and erasure (registration/privacy.py).

Per registration: the sessions it was placed in by every run (the published one is its programme), the sessions
an organiser pinned it to, and its check-in on the day (when, and which back-office account checked it in).
"""

from collections.abc import Sequence

from .models import CheckIn, Pin, Placement


def _session(session) -> dict:
    return {
        "round": session.round.number,
        "workshop": session.workshop.slug,
        "title_nl": session.workshop.title_nl,
        "room": session.room,
    }


def export(registration) -> dict | None:
    placements = (
        Placement.objects.filter(registration=registration)
        .select_related("run", "session__round", "session__workshop")
        .order_by("run__number", "round__number")
    )
    pins = Pin.objects.filter(registration=registration).select_related("session__round", "session__workshop")
    check_in = CheckIn.objects.filter(registration=registration).select_related("checked_in_by").first()
    if not placements and not pins and check_in is None:
        return None
    return {
        "placements": [
            {
                "run": placement.run.number,
                "published": placement.run.is_published,
                "how": placement.source,
                **_session(placement.session),
            }
            for placement in placements
        ],
        "pins": [{**_session(pin.session), "pinned_at": pin.created_at.isoformat()} for pin in pins],
        "check_in": (
            {
                "checked_in_at": check_in.checked_in_at.isoformat(),
                "checked_in_by": check_in.checked_in_by.get_username() if check_in.checked_in_by_id else None,
            }
            if check_in is not None
            else None
        ),
    }


def erase(registrations: Sequence) -> int:
    touched = 0
    for model in (Placement, Pin, CheckIn):
        _total, per_model = model.objects.filter(registration__in=registrations).delete()
        touched += per_model.get(model._meta.label, 0)
    return touched
