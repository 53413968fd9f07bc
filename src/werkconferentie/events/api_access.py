"""What every app's API shares: the problem format of its errors, the organisers' bearer token, and the event a
request may see (404 otherwise).

It lives in events, below registration, assignment, live and outcomes, so that their routers share it without
importing each other (docs/development.md, "Layers").
"""

from django.http import Http404
from ninja import Field, Schema
from ninja.security import HttpBearer

from werkconferentie.core.models import ApiToken
from werkconferentie.core.roles import is_organiser_of
from werkconferentie.core.validation import bad_text

from .models import Event


class Problem(Schema):
    """Every refusal of the API (4xx): a short code for programs, a sentence for people (werkconferentie/api.py)."""

    code: str = Field(description="What went wrong, for programs: not_found, invalid, rate_limited, ...")
    detail: str = Field(description="The same for people, in the request's language.")


class FieldError(Schema):
    field: str = Field("", description="The field, such as email; empty when the error is about the whole body.")
    type: str
    loc: list[str | int] = Field(description='Where: ["body", "payload", FIELD] (and an index within a list).')
    msg: str


class InvalidInput(Problem):
    """A refusal of invalid input (422): the problem, and what is wrong per field."""

    errors: list[FieldError] = Field(default_factory=list)


class OrganiserToken(HttpBearer):
    """`Authorization: Bearer TOKEN` (`werkconferentie api-token USERNAME`): the token's user, or 401."""

    def authenticate(self, request, token):
        return ApiToken.user_for(token)


def event_or_404(slug: str, fields: tuple[str, ...] = (), **conditions) -> Event:
    """The event with this slug, or 404. `fields`: read only these (others are read when first used)."""
    if len(slug) > 50 or bad_text(slug):  # no event has such a slug; PostgreSQL refuses NUL in a query
        raise Http404
    events = Event.objects.only(*fields) if fields else Event.objects.all()
    try:
        return events.get(slug=slug, **conditions)
    except Event.DoesNotExist:
        raise Http404 from None


def organised_event(request, slug: str) -> Event:
    """The event, if the token's user organises it; otherwise 404 (it is not theirs to know it exists)."""
    event = event_or_404(slug)
    if not is_organiser_of(request.auth, event):
        raise Http404
    return event
