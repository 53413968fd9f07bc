"""JSON API of the follow-up: the public commitments of an event, and the organiser's endpoints to list, add and
change commitments.

Public: `GET /api/events/{slug}/commitments` holds only the commitments marked public (with their milestones), the
same as the public progress pages; never who reported them. Organiser endpoints take `Authorization: Bearer TOKEN`
(`werkconferentie api-token USERNAME`): 401 without a valid token, 404 for an event the token's user does not
organise. A change the rules refuse gets 422 in the problem format ({code, detail, errors}) with the rule's message;
every change is kept in the commitment's history under the token's user.
"""

import datetime as dt
from typing import Annotated

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import ValidationError
from ninja.responses import Status as Answer

from werkconferentie.events.api_access import InvalidInput, OrganiserToken, Problem
from werkconferentie.events.api_access import event_or_404 as _event
from werkconferentie.events.api_access import organised_event as _organised_event
from werkconferentie.outcomes.errors import valid_id

from .commitments import (
    TEXT_MAX_LENGTH,
    commitments_of,
    create_commitment,
    municipality_for,
    progress_of,
    update_commitment,
)
from .enums import CommitmentKind, CommitmentStatus
from .errors import FollowupError
from .history import Actor
from .models import NOTE_MAX_LENGTH, TITLE_MAX_LENGTH, Commitment

router = Router(tags=["follow-up"])

# Bounded, so that a huge number is a 422 and never reaches the database (SQLite refuses integers over 2**63).
Id = Annotated[int, Field(ge=1, le=2**62)]
SmallNumber = Annotated[int, Field(ge=1, le=1000)]

STATUS_HELP = "One of: " + ", ".join(CommitmentStatus.values) + "."
KIND_HELP = "One of: " + ", ".join(CommitmentKind.values) + "."


class MunicipalityRef(Schema):
    code: str = Field(description="CBS code, such as GM1699.")
    name: str


class DocumentLink(Schema):
    title: str = Field("", max_length=TITLE_MAX_LENGTH)
    url: str = Field(max_length=2000, description="An http(s) address of a council document.")


class Milestone(Schema):
    number: int
    title: str
    status: str = Field(description=STATUS_HELP)
    status_note: str = Field(description="The short state of affairs that explains the status.")
    progress: int = Field(description="0 to 100.")
    weight: int = Field(description="How much the milestone counts in its commitment's progress.")
    target_date: dt.date
    updated_at: dt.datetime


class PublicCommitment(Schema):
    municipality: MunicipalityRef
    number: int = Field(description="Number within the municipality.")
    kind: str = Field(description=KIND_HELP)
    title: str
    description: str
    committed_by: str = Field(description="A function or a party.")
    committed_on: dt.date | None
    target_date: dt.date
    status: str = Field(description=STATUS_HELP)
    status_note: str
    progress: int = Field(description="0 to 100; with milestones, their weighted average.")
    document_links: list[DocumentLink]
    crc_articles: list[int]
    sdgs: list[int]
    policy_areas: list[str]
    outcome_points: list[int] = Field(description="Numbers of the outcome points (requests) it answers.")
    child_summary: str
    milestones: list[Milestone]
    updated_at: dt.datetime


class CommitmentOut(Schema):
    id: int
    municipality: MunicipalityRef
    number: int
    parent: int | None = Field(description="For a milestone: the id of its commitment.")
    weight: int
    kind: str = Field(description=KIND_HELP)
    title: str
    description: str
    committed_by: str
    committed_on: dt.date | None
    target_date: dt.date
    status: str = Field(description=STATUS_HELP)
    status_note: str
    progress: int = Field(description="Its own progress, 0 to 100 (for a commitment with milestones, see those).")
    document_links: list[DocumentLink]
    crc_articles: list[int]
    sdgs: list[int]
    policy_areas: list[str]
    outcome_points: list[int] = Field(description="Ids of outcome points.")
    answers: list[int] = Field(description="Ids of public answers.")
    child_summary: str
    is_public: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class CommitmentIn(Schema):
    municipality: str = Field(min_length=1, max_length=20, description="CBS code; a merged one gives its successor.")
    parent: Id | None = Field(None, description="Make it a milestone of this commitment (same municipality).")
    weight: int = Field(1, ge=1, le=100)
    kind: str = Field(CommitmentKind.TOEZEGGING, description=KIND_HELP)
    title: str = Field(min_length=1, max_length=TITLE_MAX_LENGTH)
    description: str = Field("", max_length=TEXT_MAX_LENGTH)
    committed_by: str = Field("", max_length=200)
    committed_on: dt.date | None = None
    target_date: dt.date | None = Field(None, description="Default: the event's target date.")
    status: str = Field(CommitmentStatus.OPEN, description=STATUS_HELP)
    status_note: str = Field(min_length=1, max_length=NOTE_MAX_LENGTH, description="Required: explains the status.")
    progress: int | None = Field(None, ge=0, le=100, description="Default: 0, or 100 when done.")
    document_links: list[DocumentLink] = Field(default_factory=list, max_length=10)
    crc_articles: list[SmallNumber] = Field(default_factory=list, max_length=60)
    sdgs: list[SmallNumber] = Field(default_factory=list, max_length=20)
    policy_areas: list[str] = Field(default_factory=list, max_length=20)
    outcome_points: list[Id] = Field(default_factory=list, max_length=200)
    answers: list[Id] = Field(default_factory=list, max_length=10_000)
    child_summary: str = Field("", max_length=TEXT_MAX_LENGTH)
    is_public: bool = False


class CommitmentChangeIn(Schema):
    """Only the fields given change."""

    weight: int | None = Field(None, ge=1, le=100)
    kind: str | None = Field(None, description=KIND_HELP)
    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX_LENGTH)
    description: str | None = Field(None, max_length=TEXT_MAX_LENGTH)
    committed_by: str | None = Field(None, max_length=200)
    committed_on: dt.date | None = None
    target_date: dt.date | None = None
    status: str | None = Field(None, description=STATUS_HELP)
    status_note: str | None = Field(None, min_length=1, max_length=NOTE_MAX_LENGTH)
    progress: int | None = Field(None, ge=0, le=100)
    document_links: list[DocumentLink] | None = Field(None, max_length=10)
    crc_articles: list[SmallNumber] | None = Field(None, max_length=60)
    sdgs: list[SmallNumber] | None = Field(None, max_length=20)
    policy_areas: list[str] | None = Field(None, max_length=20)
    outcome_points: list[Id] | None = Field(None, max_length=200)
    answers: list[Id] | None = Field(None, max_length=10_000)
    child_summary: str | None = Field(None, max_length=TEXT_MAX_LENGTH)
    is_public: bool | None = None


NULLABLE = {"committed_on"}


def _municipality(commitment: Commitment) -> dict:
    return {"code": commitment.municipality_id, "name": commitment.municipality.name}


def _public(commitment: Commitment) -> dict:
    milestones = sorted(commitment.milestones.all(), key=lambda m: m.number)
    return {
        "municipality": _municipality(commitment),
        "number": commitment.number,
        "kind": commitment.kind,
        "title": commitment.title,
        "description": commitment.description,
        "committed_by": commitment.committed_by,
        "committed_on": commitment.committed_on,
        "target_date": commitment.target_date,
        "status": commitment.status,
        "status_note": commitment.status_note,
        "progress": progress_of(commitment, milestones),
        "document_links": commitment.document_links,
        "crc_articles": sorted(a.number for a in commitment.crc_articles.all()),
        "sdgs": sorted(g.number for g in commitment.sdgs.all()),
        "policy_areas": list(commitment.policy_areas or []),
        "outcome_points": sorted(p.number for p in commitment.outcome_points.all()),
        "child_summary": commitment.child_summary,
        "milestones": milestones,
        "updated_at": commitment.updated_at,
    }


def _detail(commitment: Commitment) -> dict:
    return {
        "id": commitment.pk,
        "municipality": _municipality(commitment),
        "number": commitment.number,
        "parent": commitment.parent_id,
        "weight": commitment.weight,
        "kind": commitment.kind,
        "title": commitment.title,
        "description": commitment.description,
        "committed_by": commitment.committed_by,
        "committed_on": commitment.committed_on,
        "target_date": commitment.target_date,
        "status": commitment.status,
        "status_note": commitment.status_note,
        "progress": commitment.progress,
        "document_links": commitment.document_links,
        "crc_articles": sorted(a.number for a in commitment.crc_articles.all()),
        "sdgs": sorted(g.number for g in commitment.sdgs.all()),
        "policy_areas": list(commitment.policy_areas or []),
        "outcome_points": sorted(p.pk for p in commitment.outcome_points.all()),
        "answers": sorted(a.pk for a in commitment.answers.all()),
        "child_summary": commitment.child_summary,
        "is_public": commitment.is_public,
        "created_at": commitment.created_at,
        "updated_at": commitment.updated_at,
    }


def _all_of(event):
    return (
        Commitment.objects.filter(event=event)
        .select_related("municipality")
        .prefetch_related("crc_articles", "sdgs", "outcome_points", "answers")
        .order_by("municipality__name", "number")
    )


def _refused(error: FollowupError) -> ValidationError:
    return ValidationError([{"type": "value_error", "loc": ["body", "payload"], "msg": str(error)}])


def _own_commitment(event, commitment_id) -> Commitment:
    if valid_id(commitment_id) is None:
        raise Http404
    found = Commitment.objects.select_related("event", "municipality").filter(event=event, pk=commitment_id).first()
    if found is None:
        raise Http404
    return found


def _values(payload: dict) -> dict:
    if "document_links" in payload and payload["document_links"] is not None:
        payload["document_links"] = [dict(link) for link in payload["document_links"]]
    return payload


@router.get(
    "/events/{slug}/commitments",
    response={200: list[PublicCommitment], 404: Problem},
    summary="The public commitments of an event",
    description=(
        "What the municipalities committed to after the conference, with status, progress and milestones: only "
        "the commitments marked public, as on the public progress page. `municipality` (a CBS code) narrows it."
    ),
)
def public_commitments(request, slug: str, municipality: str = ""):
    event = _event(slug)
    commitments = commitments_of(event, public_only=True).order_by("municipality__name", "number")
    if municipality:
        code = municipality.strip().upper()
        if len(code) > 20 or not code.isprintable():  # no code; and PostgreSQL refuses NUL in a query
            return []
        commitments = commitments.filter(municipality_id=code)
    return [_public(c) for c in commitments]


@router.get(
    "/events/{slug}/followup/commitments",
    response={200: list[CommitmentOut], 404: Problem},
    auth=OrganiserToken(),
    summary="All commitments of an event (organisers)",
    description="Public or not, milestones included (with the id of their commitment in `parent`).",
)
def list_commitments(request, slug: str):
    event = _organised_event(request, slug)
    return [_detail(c) for c in _all_of(event)]


@router.post(
    "/events/{slug}/followup/commitments",
    response={201: CommitmentOut, 404: Problem, 422: InvalidInput},
    auth=OrganiserToken(),
    summary="Add a commitment (organisers)",
    description="It gets the next number of its municipality; the addition is kept in its history.",
)
def add_commitment(request, slug: str, payload: CommitmentIn):
    event = _organised_event(request, slug)
    values = _values(payload.model_dump())
    code = values.pop("municipality")
    parent_id = values.pop("parent")
    for name in ("target_date", "progress"):
        if values[name] is None:
            del values[name]
    try:
        municipality = municipality_for(code)
        parent = None
        if parent_id is not None:
            parent = Commitment.objects.filter(event=event, pk=valid_id(parent_id) or 0).first()
            if parent is None:
                raise FollowupError(_("There is no commitment %(id)s in this event.") % {"id": parent_id})
        commitment = create_commitment(event, municipality, Actor(user=request.auth), parent=parent, **values)
    except FollowupError as error:
        raise _refused(error) from None
    return Answer(201, _detail(_all_of(event).get(pk=commitment.pk)))


@router.patch(
    "/events/{slug}/followup/commitments/{commitment_id}",
    response={200: CommitmentOut, 404: Problem, 422: InvalidInput},
    auth=OrganiserToken(),
    summary="Change a commitment (organisers)",
    description="Only the fields given change; the change (before and after) is kept in its history.",
)
def change_commitment(request, slug: str, commitment_id: int, payload: CommitmentChangeIn):
    event = _organised_event(request, slug)
    commitment = _own_commitment(event, commitment_id)
    values = _values(payload.model_dump(exclude_unset=True))
    nulls = [name for name, value in values.items() if value is None and name not in NULLABLE]
    if nulls:
        raise ValidationError(
            [
                {"type": "value_error", "loc": ["body", "payload", name], "msg": _("This field cannot be null.")}
                for name in nulls
            ]
        )
    try:
        update_commitment(commitment, Actor(user=request.auth), **values)
    except FollowupError as error:
        raise _refused(error) from None
    return _detail(_all_of(event).get(pk=commitment.pk))
