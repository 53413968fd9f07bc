"""The JSON API (django-ninja): one NinjaAPI for the whole project; each app adds its router."""

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from werkconferentie.assignment.api import router as assignment_router
from werkconferentie.core.validation import explain_validation_error, field_label, field_of
from werkconferentie.events.api import router as events_router
from werkconferentie.followup.api import router as followup_router
from werkconferentie.live.api import router as live_router
from werkconferentie.outcomes.api import router as outcomes_router
from werkconferentie.registration.api import router as registration_router

api = NinjaAPI(
    title="werkconferentie API",
    version="1",
    description=(
        "Events, programmes and workshops of children's-rights work conferences; registration for them, and "
        "the registrations for their organisers (bearer token: `werkconferentie api-token USERNAME`); live boards "
        "where participants answer the central question and vote; the outcome points of an event (public once "
        "published) and the organisers' endpoints to change them; the municipalities' commitments after the conference "
        "(public ones for everyone, all of them for organisers)."
    ),
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("", events_router)
api.add_router("", registration_router)
api.add_router("", assignment_router)
api.add_router("", live_router)
api.add_router("", outcomes_router)
api.add_router("", followup_router)


@api.exception_handler(RequestDataTooBig)
def request_too_large(request, exc):
    """A body over Django's DATA_UPLOAD_MAX_MEMORY_SIZE: 413 in the API's problem format, not an HTML page."""
    return api.create_response(request, {"code": "too_large", "detail": _("This request is too large.")}, status=413)


@api.exception_handler(ValidationError)
def invalid_input(request, exc):
    """Invalid input: 422 in the API's problem format, each error explained in the request's language.

    `detail` is one sentence a page can show as it is; `errors` says per field what is wrong, for forms that mark
    the field. Never pydantic's raw list: a phone page once showed it as "[object Object]".
    """
    errors = []
    for error in exc.errors:
        location = list(error.get("loc", []))
        errors.append(
            {
                "field": field_of(location),
                "loc": location,
                "type": error.get("type", "value_error"),
                "msg": explain_validation_error({"ctx": {}, "msg": "", **error}),
            }
        )
    detail = " ".join(f"{field_label(e['field'])}: {e['msg']}" if e["field"] else e["msg"] for e in errors)
    problem = {"code": "invalid_input", "detail": detail or _("The input is not valid."), "errors": errors}
    return api.create_response(request, problem, status=422)
