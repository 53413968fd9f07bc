"""JSON API for the assignment: run the engine, fetch and publish runs, and check people in (organisers only).

Every endpoint takes `Authorization: Bearer TOKEN` (`werkconferentie api-token USERNAME`): 401 without a valid
token, 404 for an event the token's user does not organise (as in registration/api.py). The rules live in
runs.py; this module translates between JSON and them. `summary()` is shared with `werkconferentie assign`.
"""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status as Answer
from pydantic import StrictBool, StrictFloat, StrictInt

from werkconferentie.allocation.model import InfeasibleError
from werkconferentie.events.api_access import OrganiserToken, Problem, organised_event
from werkconferentie.events.models import Event
from werkconferentie.registration.enums import Status

from . import checkin, runs
from .models import AssignmentRun, CheckIn, Pin, Placement

router = Router(tags=["assignment"], auth=OrganiserToken())

MAX_TIME_LIMIT = 300.0


# --- summaries, shared with the `assign` command ------------------------------------------------------------


def unplaced_reasons(run: AssignmentRun) -> list[dict]:
    """Who the engine could not place, each with a reason in the current language.

    The engine only says *that* someone is left out (see docs/allocation.md, `unassigned`); the reason is read
    from the instance: too few seats in a round for everyone, or the person's pins leaving nothing that fits.
    """
    ids = [int(pk) for pk in run.stats.get("unassigned", [])]
    if not ids:
        return []
    people = run.stats.get("participants", 0)
    short_rounds = []
    for round_ in run.event.rounds.order_by("number"):
        seats = sum(round_.sessions.values_list("capacity", flat=True))
        if seats < people:
            short_rounds.append(
                _("%(round)s has %(seats)d seats for %(people)d people")
                % {"round": round_.loc("title"), "seats": seats, "people": people}
            )
    pinned = set(Pin.objects.filter(registration_id__in=ids).values_list("registration_id", flat=True))
    rows = []
    for pk in ids:
        if pk in pinned:
            reason = _("Their pinned sessions leave no seats that fit in the other rounds.")
        elif short_rounds:
            reason = _("Not enough seats: %(rounds)s.") % {"rounds": "; ".join(short_rounds)}
        else:
            reason = _("No free seats left in workshops they do not already have.")
        rows.append({"registration": pk, "reason": reason})
    return rows


def summary(run: AssignmentRun) -> dict:
    stats = run.stats or {}
    histogram = stats.get("rank_histogram", {})
    return {
        "number": run.number,
        "created_at": run.created_at,
        "published_at": run.published_at,
        "objective": run.objective,
        "lower_bound": run.lower_bound,
        "optimal": run.optimal,
        "seconds": round(run.seconds, 3),
        "participants": stats.get("participants", 0),
        "placed": stats.get("placed", 0),
        "share_first_choice": stats.get("share_first_choice", 0.0),
        "rank_histogram": {str(key): value for key, value in histogram.items()},
        "worst_rank": stats.get("worst_rank"),
        "unplaced": len(stats.get("unassigned", [])),
    }


# --- schemas ---------------------------------------------------------------------------------------------


class RunIn(Schema):
    time_limit: StrictFloat = Field(
        runs.DEFAULT_TIME_LIMIT, gt=0, le=MAX_TIME_LIMIT, description="Seconds the engine may search at most."
    )
    mix: StrictBool = Field(False, description="Spread roles and municipalities over sessions among equal optima.")


class RunSummary(Schema):
    number: int
    created_at: dt.datetime
    published_at: dt.datetime | None
    objective: int | None
    lower_bound: int | None = Field(description="Proven: no assignment costs less.")
    optimal: bool
    seconds: float
    participants: int = Field(description="Confirmed registrations the engine saw.")
    placed: int
    share_first_choice: float = Field(description="Share of the placed who got their first choice in some round.")
    rank_histogram: dict[str, int] = Field(description='Seats per rank ("1", "2", ..., "unranked").')
    worst_rank: int | str | None
    unplaced: int = Field(description="People the engine could not place (see `unplaced_reasons` of a run).")


class PlacementOut(Schema):
    registration: int
    round: str = Field(description="Round key.")
    workshop: str = Field(description="Workshop slug.")
    room: str
    source: str = Field(description='"engine", "manual" or "late".')


class UnplacedOut(Schema):
    registration: int
    reason: str


class RunDetail(RunSummary):
    placements: list[PlacementOut]
    unplaced_reasons: list[UnplacedOut]


class Published(Schema):
    mailed: int = Field(description="People mailed their (changed) programme.")


class CheckInIn(Schema):
    registration: StrictInt | None = Field(None, description="Registration id; or give `token`.")
    token: str | None = Field(None, max_length=500, description="The signed token of a badge's QR code.")


class CheckInOut(Schema):
    registration: int
    checked_in_at: dt.datetime
    already: bool = Field(description="True when the person had been checked in before.")


class Presence(Schema):
    present: int = Field(description="Confirmed people checked in.")
    confirmed: int


# --- runs ------------------------------------------------------------------------------------------------


def _run(event: Event, number: int) -> AssignmentRun | None:
    if not 0 < number < 2**31:
        return None
    return event.assignment_runs.filter(number=number).select_related("event").first()


def _not_found(detail: str) -> Answer:
    return Answer(404, {"code": "not_found", "detail": detail})


@router.post(
    "/events/{slug}/assignment-runs",
    response={201: RunSummary, 404: Problem, 409: Problem},
    summary="Run the assignment engine (organisers)",
    description=(
        "Assigns every confirmed registration (keeping pins) and stores the result as a new, unpublished run. "
        "Optional body `{time_limit, mix}`. Synchronous: answers when the engine is done. 409 `no_assignment` when "
        "the engine found none within the time limit (try a longer one)."
    ),
)
def create_run(request, slug: str, payload: RunIn | None = None):
    event = organised_event(request, slug)
    payload = payload or RunIn()
    try:
        run = runs.run_engine(event, user=request.auth, time_limit=payload.time_limit, mix=payload.mix)
    except InfeasibleError as error:
        return Answer(409, {"code": "no_assignment", "detail": str(error)})
    return Answer(201, summary(run))


@router.get(
    "/events/{slug}/assignment-runs",
    response=list[RunSummary],
    summary="List the assignment runs of an event (organisers)",
    description="Newest first; at most one has `published_at` set.",
)
def list_runs(request, slug: str):
    event = organised_event(request, slug)
    return [summary(run) for run in event.assignment_runs.order_by("-number")]


@router.get(
    "/events/{slug}/assignment-runs/{number}",
    response={200: RunDetail, 404: Problem},
    summary="One assignment run with its placements (organisers)",
)
def get_run(request, slug: str, number: int):
    event = organised_event(request, slug)
    run = _run(event, number)
    if run is None:
        return _not_found(_("This event has no run %(number)s.") % {"number": number})
    rows = (
        Placement.objects.filter(run=run)
        .order_by("registration_id", "round__number")
        .values_list("registration_id", "round__key", "workshop__slug", "session__room", "source")
    )
    placements = [
        {"registration": pk, "round": round_key, "workshop": slug_, "room": room, "source": source}
        for pk, round_key, slug_, room, source in rows
    ]
    return {**summary(run), "placements": placements, "unplaced_reasons": unplaced_reasons(run)}


@router.post(
    "/events/{slug}/assignment-runs/{number}/publish",
    response={200: Published, 404: Problem},
    summary="Publish an assignment run (organisers)",
    description=(
        "Makes this run the one participants see and mails everyone whose programme differs from the previously "
        "published run (everyone, the first time)."
    ),
)
def publish_run(request, slug: str, number: int):
    event = organised_event(request, slug)
    run = _run(event, number)
    if run is None:
        return _not_found(_("This event has no run %(number)s.") % {"number": number})
    return {"mailed": len(runs.publish(run))}


# --- check-in --------------------------------------------------------------------------------------------


def _registration_of_token(event: Event, token: str):
    """The registration a badge token names, or None (not ours, changed, renewed link, another event)."""
    try:
        registration = checkin.registration_from_badge(token)
    except (checkin.InvalidBadge, checkin.ExpiredBadge):
        return None
    return registration if registration.event_id == event.pk else None


@router.post(
    "/events/{slug}/check-ins",
    response={201: CheckInOut, 404: Problem, 409: Problem, 422: Problem},
    summary="Check a person in (organisers)",
    description=(
        "Body `{registration: id}` or `{token: badge token}` (the QR code on the badge). A person checked in "
        "before is answered with `already: true` and the first time. Only confirmed registrations (409 else)."
    ),
)
def check_in(request, slug: str, payload: CheckInIn):
    event = organised_event(request, slug)
    if (payload.registration is None) == (payload.token is None):
        return Answer(422, {"code": "invalid", "detail": _("Give either a registration or a badge token.")})
    if payload.token is not None:
        registration = _registration_of_token(event, payload.token)
        if registration is None:
            return Answer(404, {"code": "unknown_badge", "detail": _("This badge is not valid for this event.")})
    else:
        registration = None
        if 0 < payload.registration < 2**63:
            registration = event.registrations.filter(pk=payload.registration).first()
        if registration is None:
            return _not_found(_("This event has no such registration."))
    if registration.status != Status.CONFIRMED:
        return Answer(409, {"code": "not_confirmed", "detail": _("This person has no seat at this event.")})
    result = checkin.check_in(registration, request.auth)
    record, already = result.check_in, result.already
    return Answer(201, {"registration": registration.pk, "checked_in_at": record.checked_in_at, "already": already})


@router.get(
    "/events/{slug}/check-ins",
    response=Presence,
    summary="How many people are present (organisers)",
)
def presence(request, slug: str):
    event = organised_event(request, slug)
    confirmed = event.registrations.filter(status=Status.CONFIRMED)
    return {
        "present": CheckIn.objects.filter(registration__in=confirmed).count(),
        "confirmed": confirmed.count(),
    }
