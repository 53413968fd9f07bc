"""JSON API of the outcome: the published outcome points of an event (public), and the organiser's endpoints to
list, create, change and remove points.

Public: `GET /api/events/{slug}/outcomes` answers 404 until the organiser publishes the report; it holds the
points with their numbers, texts, tags and how many answers support them, never who wrote them. Organiser endpoints
take `Authorization: Bearer TOKEN` (`werkconferentie api-token USERNAME`): 401 without a valid token, 404 for an
event the token's user does not organise. A change the rules refuse gets 422 in the API's problem format
(`invalid`, with the rule's message in `detail` and `errors`); every change is kept in the outcome's history
under the token's user.
"""

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import ValidationError
from ninja.responses import Status as Answer
from pydantic import StrictBool, StrictInt

from werkconferentie.events.api import Text, text
from werkconferentie.events.api_access import InvalidInput, OrganiserToken, Problem, event_or_404, organised_event

from . import points, report
from .errors import OutcomeError, valid_id
from .models import TITLE_MAX_LENGTH, OutcomePoint
from .points import TEXT_MAX_LENGTH

router = Router(tags=["outcomes"])


class PointSummary(Schema):
    number: int = Field(description="Place among all points of the event (1, 2, 3 …).")
    request_number: int | None = Field(
        description="For the conference's requests to all councils: their own number (1, 2, 3 …); else null."
    )
    title: Text
    explanation: Text
    request: Text = Field(description="What the conference asks the council.")
    crc_articles: list[int] = Field(description="Numbers of articles of the UN Convention on the Rights of the Child.")
    sdgs: list[int] = Field(description="Numbers of Sustainable Development Goals.")
    policy_areas: list[str] = Field(description="Keys of municipal policy areas, such as jeugdhulp.")
    supporting_answers: int = Field(description="How many public answers support the point.")
    from_children: int = Field(description="How many of those came from children and young people.")


class PublishedOutcome(Schema):
    event: str
    published_at: dt.datetime
    points: list[PointSummary]


class PointOut(PointSummary):
    id: int
    is_request: bool
    theme: int | None = Field(description="The theme the point was made from, if any.")
    answers: list[int] = Field(description="Ids of the supporting answers (see the live boards' answers).")
    created_at: dt.datetime
    updated_at: dt.datetime


class PointIn(Schema):
    number: StrictInt | None = Field(None, ge=1, le=10_000, description="Place among the points; default: at the end.")
    title_nl: str = Field(min_length=1, max_length=TITLE_MAX_LENGTH)
    title_en: str = Field("", max_length=TITLE_MAX_LENGTH)
    explanation_nl: str = Field("", max_length=TEXT_MAX_LENGTH)
    explanation_en: str = Field("", max_length=TEXT_MAX_LENGTH)
    request_nl: str = Field("", max_length=TEXT_MAX_LENGTH)
    request_en: str = Field("", max_length=TEXT_MAX_LENGTH)
    is_request: StrictBool = False
    answers: list[StrictInt] = Field(
        default_factory=list, max_length=10_000, description="Ids of public answers of the event."
    )
    crc_articles: list[StrictInt] = Field(default_factory=list, max_length=60)
    sdgs: list[StrictInt] = Field(default_factory=list, max_length=20)
    policy_areas: list[str] = Field(default_factory=list, max_length=20)


class PointChange(Schema):
    """Only the fields given change."""

    number: StrictInt | None = Field(None, ge=1, le=10_000)
    title_nl: str | None = Field(None, min_length=1, max_length=TITLE_MAX_LENGTH)
    title_en: str | None = Field(None, max_length=TITLE_MAX_LENGTH)
    explanation_nl: str | None = Field(None, max_length=TEXT_MAX_LENGTH)
    explanation_en: str | None = Field(None, max_length=TEXT_MAX_LENGTH)
    request_nl: str | None = Field(None, max_length=TEXT_MAX_LENGTH)
    request_en: str | None = Field(None, max_length=TEXT_MAX_LENGTH)
    is_request: StrictBool | None = None
    answers: list[StrictInt] | None = Field(None, max_length=10_000)
    crc_articles: list[StrictInt] | None = Field(None, max_length=60)
    sdgs: list[StrictInt] | None = Field(None, max_length=20)
    policy_areas: list[str] | None = Field(None, max_length=20)


def _summary(point: OutcomePoint, request_number: int | None) -> dict:
    supporting = list(point.answers.all())
    return {
        "number": point.number,
        "request_number": request_number,
        "title": text(point, "title"),
        "explanation": text(point, "explanation"),
        "request": text(point, "request"),
        "crc_articles": sorted(a.number for a in point.crc_articles.all()),
        "sdgs": sorted(g.number for g in point.sdgs.all()),
        "policy_areas": list(point.policy_areas or []),
        "supporting_answers": len(supporting),
        "from_children": sum(1 for a in supporting if a.from_children or a.board.kind == "children"),
    }


def _numbered(event) -> list[tuple[OutcomePoint, int | None]]:
    result, count = [], 0
    for point in points.points_of(event).prefetch_related("answers__board"):
        count += point.is_request
        result.append((point, count if point.is_request else None))
    return result


def _detail(point: OutcomePoint, request_number: int | None) -> dict:
    return {
        **_summary(point, request_number),
        "id": point.pk,
        "is_request": point.is_request,
        "theme": point.theme_id,
        "answers": sorted(a.pk for a in point.answers.all()),
        "created_at": point.created_at,
        "updated_at": point.updated_at,
    }


def _point_out(event, point_id: int) -> dict:
    for point, request_number in _numbered(event):
        if point.pk == point_id:
            return _detail(point, request_number)
    raise Http404


def _field_error(field: str, message: str) -> dict:
    return {"type": "value_error", "loc": ["body", "payload", field], "msg": message}


def _refused(error: OutcomeError) -> ValidationError:
    return ValidationError([{"type": "value_error", "loc": ["body", "payload"], "msg": str(error)}])


def _own_point(event, point_id: int) -> OutcomePoint:
    if valid_id(point_id) is None:
        raise Http404
    try:
        return OutcomePoint.objects.get(event=event, pk=point_id)
    except OutcomePoint.DoesNotExist:
        raise Http404 from None


@router.get(
    "/events/{slug}/outcomes",
    response={200: PublishedOutcome, 404: Problem},
    summary="The published outcome of an event",
    description="The outcome points in order, once the organiser has published the report; 404 before.",
)
def published_outcome(request, slug: str):
    event = event_or_404(slug, published=True)
    settings = report.report_of(event) if report.is_published(event) else None
    if settings is None:
        raise Http404
    return {
        "event": event.slug,
        "published_at": settings.published_at,
        "points": [_summary(point, number) for point, number in _numbered(event)],
    }


@router.get(
    "/events/{slug}/outcomes/points",
    response=list[PointOut],
    auth=OrganiserToken(),
    summary="All outcome points of an event (organisers)",
    description="Published or not, with the ids of the supporting answers.",
)
def list_points(request, slug: str):
    event = organised_event(request, slug)
    return [_detail(point, number) for point, number in _numbered(event)]


@router.post(
    "/events/{slug}/outcomes/points",
    response={201: PointOut, 404: Problem, 422: InvalidInput},
    auth=OrganiserToken(),
    summary="Add an outcome point (organisers)",
)
def create_point(request, slug: str, payload: PointIn):
    event = organised_event(request, slug)
    values = payload.model_dump()
    if values["number"] is None:
        del values["number"]
    try:
        point = points.create_point(event, request.auth, **values)
    except OutcomeError as error:
        raise _refused(error) from None
    return Answer(201, _point_out(event, point.pk))


@router.patch(
    "/events/{slug}/outcomes/points/{point_id}",
    response={200: PointOut, 404: Problem, 422: InvalidInput},
    auth=OrganiserToken(),
    summary="Change an outcome point (organisers)",
    description="Only the fields given change; the change is kept in the outcome's history.",
)
def change_point(request, slug: str, point_id: int, payload: PointChange):
    event = organised_event(request, slug)
    point = _own_point(event, point_id)
    values = payload.model_dump(exclude_unset=True)
    nulls = [name for name, value in values.items() if value is None]
    if nulls:
        raise ValidationError([_field_error(name, _("This field cannot be null.")) for name in nulls])
    try:
        points.update_point(point, request.auth, **values)
    except OutcomeError as error:
        raise _refused(error) from None
    return _point_out(event, point.pk)


@router.delete(
    "/events/{slug}/outcomes/points/{point_id}",
    response={204: None, 404: Problem},
    auth=OrganiserToken(),
    summary="Remove an outcome point (organisers)",
    description="The points after it move up one number; the removal is kept in the outcome's history.",
)
def delete_point(request, slug: str, point_id: int):
    event = organised_event(request, slug)
    points.delete_point(_own_point(event, point_id), request.auth)
    return Answer(204, None)
