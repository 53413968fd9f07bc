"""JSON API for registrations: public sign-up, and list and CSV export for the event's organisers.

The rules live in signup.py; this module translates between JSON and them. Answers:
201 registered (confirmed or on the waiting list); 422 invalid input, in the API's problem format
`{"code": "invalid", "detail": ..., "errors": [{"field", "loc", "msg", "type"}]}` (werkconferentie/api.py) with
our messages in the request's language; 409 `{"code": "already_registered" | "registration_closed",
"detail": ...}`; 404 unknown event; 429 too many sign-ups from one address (Retry-After). Organiser endpoints
take `Authorization: Bearer TOKEN` (`werkconferentie api-token USERNAME`): 401 without a valid token, 404 for an
event the token's user does not organise.
"""

import datetime as dt
from typing import Literal

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import ValidationError
from ninja.responses import Status as Answer
from pydantic import StrictBool

from werkconferentie.core import ratelimit
from werkconferentie.documents.downloads import CSV_CONTENT_TYPE, download
from werkconferentie.documents.spreadsheets import excel_csv, spreadsheet_safe
from werkconferentie.events.api_access import InvalidInput, OrganiserToken, Problem, event_or_404, organised_event
from werkconferentie.events.models import Event
from werkconferentie.reference.municipalities import find_current_municipality, unknown_municipality_message

from .enums import Role, Status
from .models import Preference
from .signup import RegistrationClosed, SignupData, SignupError, register
from .validation import MAX_RANKS, InvalidSignup, SignupInput, validate_signup

router = Router(tags=["registrations"])

MAX_PREFERENCES = MAX_RANKS  # as many as the form's numbered selects (validation.py)


class RegistrationIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=254, json_schema_extra={"format": "email"})
    role: Role
    role_other: str = Field("", max_length=100, description='Required when role is "anders".')
    municipality: str | None = Field(
        None,
        max_length=100,
        description="A current municipality: CBS code (GM0106) or name ('Den Haag' and former names too); or null.",
    )
    organisation: str = Field("", max_length=200, description="Required when no municipality is given.")
    preferences: list[str] = Field(
        default_factory=list,
        max_length=MAX_PREFERENCES,
        description="Workshop slugs of this event, first choice first, each once.",
    )
    dietary_needs: str = Field("", max_length=500)
    accessibility_needs: str = Field("", max_length=500)
    language: Literal["nl", "en"] = "nl"
    consent: StrictBool = Field(description="Must be true: consent to the current privacy statement.")


class RegistrationCreated(Schema):
    id: int
    status: Literal["confirmed", "waitlisted"]
    position: int | None = Field(description="Place on the waiting list (1 is next); null when confirmed.")


class RegistrationOut(Schema):
    id: int
    name: str
    email: str = Field(json_schema_extra={"format": "email"})
    role: str
    role_other: str
    municipality: str | None
    municipality_name: str
    organisation: str
    preferences: list[str]
    dietary_needs: str
    accessibility_needs: str
    language: str
    status: str
    position: int | None
    registered_at: dt.datetime
    cancelled_at: dt.datetime | None


def _error(field: str, message: str, kind: str = "value_error") -> dict:
    return {"type": kind, "loc": ["body", "payload", field], "msg": message}


# Where the API reports a problem the shared rules name otherwise: without a municipality the organisation is
# what is missing.
API_FIELDS = {"municipality": "organisation"}


def _signup_data(event: Event, payload: RegistrationIn) -> SignupData:
    """Check the sign-up by the rules the form uses too (validation.py); raise 422 with every problem."""
    errors = []
    municipality = None
    if payload.municipality is not None and payload.municipality.strip():
        municipality = find_current_municipality(payload.municipality)
        if municipality is None:
            errors.append(_error("municipality", unknown_municipality_message(payload.municipality)))
    data = SignupInput(
        name=payload.name,
        email=payload.email,
        role=payload.role.value,
        role_other=payload.role_other,
        municipality=municipality,
        organisation=payload.organisation,
        preferences=payload.preferences,
        dietary_needs=payload.dietary_needs,
        accessibility_needs=payload.accessibility_needs,
        consent=payload.consent,
        language=payload.language,
    )
    try:
        signup_data = validate_signup(event, data)
    except InvalidSignup as invalid:
        for field, problems in invalid.errors.items():
            if field == "municipality" and errors:  # an unknown code, reported above, is what is wrong there
                continue
            errors.extend(_error(API_FIELDS.get(field, field), message, code) for message, code in problems)
    if errors:
        raise ValidationError(errors)
    return signup_data


@router.post(
    "/events/{slug}/registrations",
    response={201: RegistrationCreated, 404: Problem, 409: Problem, 422: InvalidInput, 429: Problem},
    summary="Register for an event",
    description=(
        "Registers one person: a seat while there is one, else a place on the waiting list. A second registration "
        "with the same address gets 409 `already_registered` (the person is mailed their personal link); a closed "
        "registration gets 409 `registration_closed`. Limited per client address (429 with Retry-After)."
    ),
)
def create_registration(request, response: HttpResponse, slug: str, payload: RegistrationIn):
    seconds = ratelimit.retry_after(request)
    if seconds is not None:
        response["Retry-After"] = str(seconds)
        return Answer(429, {"code": "rate_limited", "detail": ratelimit.rate_limited_message(seconds)})
    # Only its id: register() reads the event again under the capacity lock, and decides with that one.
    event = event_or_404(slug, fields=("pk",), published=True)
    data = _signup_data(event, payload)
    try:
        result = register(event, data)
    except RegistrationClosed:
        return Answer(409, {"code": RegistrationClosed.code, "detail": _("Registration for this event is closed.")})
    except SignupError as error:
        raise ValidationError([_error("payload", str(error), error.code)]) from None
    if not result.created:
        detail = _("This e-mail address is already registered for this event. We have sent the personal link to it.")
        return Answer(409, {"code": "already_registered", "detail": detail})
    registration = result.registration
    return Answer(201, {"id": registration.pk, "status": registration.status, "position": result.position})


def _registrations(event: Event) -> list[dict]:
    """Every registration of the event with its ranking and waiting-list place, in three queries."""
    registrations = (
        event.registrations.select_related("municipality")
        .prefetch_related(Prefetch("preferences", queryset=Preference.objects.select_related("workshop")))
        .order_by("created_at", "pk")
    )
    rows, position = [], 0
    for registration in registrations:
        if registration.status == Status.WAITLISTED:
            position += 1
        rows.append(
            {
                "id": registration.pk,
                "name": registration.name,
                "email": registration.email,
                "role": registration.role,
                "role_other": registration.role_other,
                "municipality": registration.municipality_id,
                "municipality_name": registration.municipality.name if registration.municipality_id else "",
                "organisation": registration.organisation,
                "preferences": [preference.workshop.slug for preference in registration.preferences.all()],
                "dietary_needs": registration.dietary_needs,
                "accessibility_needs": registration.accessibility_needs,
                "language": registration.language,
                "status": registration.status,
                "position": position if registration.status == Status.WAITLISTED else None,
                "registered_at": registration.created_at,
                "cancelled_at": registration.cancelled_at,
            }
        )
    return rows


@router.get(
    "/events/{slug}/registrations",
    response=list[RegistrationOut],
    auth=OrganiserToken(),
    summary="List an event's registrations (organisers)",
    description="All registrations, cancelled ones included, in order of registration. Bearer token of an organiser.",
)
def list_registrations(request, slug: str):
    return _registrations(organised_event(request, slug))


CSV_COLUMNS = [
    "id",
    "name",
    "email",
    "role",
    "role_other",
    "municipality",
    "municipality_name",
    "organisation",
    "preferences",
    "dietary_needs",
    "accessibility_needs",
    "language",
    "status",
    "position",
    "registered_at",
    "cancelled_at",
]


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return spreadsheet_safe(str(value))


@router.get(
    "/events/{slug}/registrations.csv",
    auth=OrganiserToken(),
    summary="Export an event's registrations as CSV (organisers)",
    description=(
        "UTF-8 with a byte-order mark and semicolons, so that Excel opens it with Dutch characters intact; "
        "preferences as workshop slugs separated by spaces, first choice first."
    ),
    openapi_extra={"responses": {200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
def export_registrations(request, slug: str):
    event = organised_event(request, slug)
    data_rows = ([_csv_cell(row[column]) for column in CSV_COLUMNS] for row in _registrations(event))
    return download(excel_csv(CSV_COLUMNS, data_rows), f"{event.slug}-registrations.csv", CSV_CONTENT_TYPE)
