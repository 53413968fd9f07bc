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
from werkconferentie.events.models import Event, WorkshopSession
from werkconferentie.registration.enums import Status

from . import checkin, runs
from .enums import MoveRefusal, MoveWarning
from .figures import RunFigures, run_figures
from .models import AssignmentRun, CheckIn, Placement
from .unplaced import unplaced_people

router = Router(tags=["assignment"], auth=OrganiserToken())

MAX_TIME_LIMIT = 300.0


# --- summaries, shared with the `assign` command ------------------------------------------------------------


def unplaced_reasons(run: AssignmentRun, figures: RunFigures | None = None) -> list[dict]:
    """Who has no full programme in the run, each with the engine's reason: a code and a sentence in the current
    language (assignment/unplaced.py; the page shows the same)."""
    figures = figures or run_figures(run)
    return [
        {
            "registration": person.registration_id,
            "code": person.code,
            "rounds": [round_.key for round_ in person.rounds],
            "reason": person.reason,
        }
        for person in unplaced_people(run, figures)
    ]


def summary(run: AssignmentRun, figures: RunFigures | None = None) -> dict:
    """The run's figures as it stands now (moves included), as the assignment page shows them."""
    figures = figures or run_figures(run)
    return {
        "number": run.number,
        "created_at": run.created_at,
        "published_at": run.published_at,
        "objective": run.objective,
        "lower_bound": run.lower_bound,
        "optimal": run.optimal,
        "seconds": round(run.seconds, 3),
        "participants": figures.participants,
        "placed": figures.placed,
        "share_first_choice": figures.share_first_choice,
        "got_first_choice": figures.got_first,
        "rank_histogram": figures.rank_histogram,
        "worst_rank": figures.worst_rank,
        "unplaced": figures.unplaced,
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
    participants: int = Field(description="People in the run: with a seat in it, or left out by the engine.")
    placed: int = Field(description="People with a session in every round (moves included).")
    share_first_choice: float = Field(description="Share of the placed who got their first choice in some round.")
    got_first_choice: int = Field(description="Placed people with their first choice in some round.")
    rank_histogram: dict[str, int] = Field(description='Seats per rank ("1", "2", ..., "unranked").')
    worst_rank: int | str | None
    unplaced: int = Field(description="People without a session in some round (see `unplaced_reasons` of a run).")


class PlacementOut(Schema):
    registration: int
    round: str = Field(description="Round key.")
    workshop: str = Field(description="Workshop slug.")
    room: str
    source: str = Field(description='"engine", "manual" or "late".')


class UnplacedOut(Schema):
    registration: int
    code: str = Field(
        description='The engine\'s reason: "pins_conflict", "no_choices", "choices_full", "round_full", "not_found"; '
        '"unknown" for a run made before reasons were kept.'
    )
    rounds: list[str] = Field(description="Keys of the rounds the reason concerns.")
    reason: str = Field(description="The reason in words, in the request's language.")


class SessionFillOut(Schema):
    round: str = Field(description="Round key.")
    workshop: str = Field(description="Workshop slug.")
    capacity: int
    used: int = Field(description="Seats taken in this run.")


class RunDetail(RunSummary):
    placements: list[PlacementOut]
    sessions: list[SessionFillOut]
    unplaced_reasons: list[UnplacedOut]


class MoveIn(Schema):
    registration: StrictInt = Field(description="Registration id.")
    round: str = Field(max_length=100, description="Round key.")
    workshop: str = Field(max_length=100, description="Workshop slug: the session of this workshop in that round.")
    accept_warnings: StrictBool = Field(False, description="Move into a full session all the same.")
    pin: StrictBool = Field(True, description="Also pin her there for later runs.")


class MoveOut(Schema):
    registration: int
    round: str
    workshop: str
    pinned: bool
    warnings: list[str] = Field(description='Warnings accepted ("session_full").')


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
    figures = run_figures(run)
    sessions = [
        {
            "round": fill.session.round.key,
            "workshop": fill.session.workshop.slug,
            "capacity": fill.session.capacity,
            "used": fill.used,
        }
        for fill in figures.sessions
    ]
    return {
        **summary(run, figures),
        "placements": placements,
        "sessions": sessions,
        "unplaced_reasons": unplaced_reasons(run, figures),
    }


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


def _move_refusal(code) -> str:
    if code == MoveRefusal.WORKSHOP_TWICE:
        return _("This person already has this workshop in another round: nobody gets the same workshop twice.")
    if code == MoveRefusal.RUN_PUBLISHED:
        return _("This run is published: make a new run, move people there and publish it.")
    if code == MoveWarning.SESSION_FULL:
        return _("This session is full: send accept_warnings true to move her all the same.")
    return _("This session or person belongs to another event.")


@router.post(
    "/events/{slug}/assignment-runs/{number}/moves",
    response={200: MoveOut, 404: Problem, 409: Problem},
    summary="Move a person to another session of a round (organisers)",
    description=(
        "Puts her in the session of `workshop` in `round` of this (unpublished) run, and by default pins her "
        "there for later runs. 409 with a `code`: `run_published`, `workshop_twice` (she has it in another round), "
        "or `session_full` (send `accept_warnings: true` to move her all the same). 404 for an unknown run, "
        "person or session."
    ),
)
def move(request, slug: str, number: int, payload: MoveIn):
    event = organised_event(request, slug)
    run = _run(event, number)
    if run is None:
        return _not_found(_("This event has no run %(number)s.") % {"number": number})
    registration = None
    if 0 < payload.registration < 2**63:
        registration = event.registrations.filter(pk=payload.registration).first()
    if registration is None:
        return _not_found(_("This event has no such registration."))
    session = (
        WorkshopSession.objects.filter(workshop__event=event, round__key=payload.round, workshop__slug=payload.workshop)
        .select_related("round", "workshop")
        .first()
    )
    if session is None:
        return _not_found(_("This workshop has no session in that round."))
    try:
        check = runs.move(run, registration, session, accept_warnings=payload.accept_warnings, pin=payload.pin)
    except runs.MoveRefused as refusal:
        return Answer(409, {"code": refusal.code.value, "detail": _move_refusal(refusal.code)})
    if check.warnings and not payload.accept_warnings:
        code = check.warnings[0]
        return Answer(409, {"code": code.value, "detail": _move_refusal(code)})
    return {
        "registration": registration.pk,
        "round": session.round.key,
        "workshop": session.workshop.slug,
        "pinned": payload.pin,
        "warnings": [warning.value for warning in check.warnings],
    }


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
