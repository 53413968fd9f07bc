"""The rules of a sign-up, in one place for the HTML form (forms.py) and the API (api.py).

Both hand what they parsed to validate_signup(), which checks every field and answers with the SignupData to
register or with every problem per field. Each keeps only what belongs to its own way of asking: the form ranks
workshops in numbered selects and finds a municipality by name; the API takes workshop slugs and a CBS code.
"""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkconferentie.events.models import Event
from werkconferentie.reference.models import Municipality

from .enums import Role
from .signup import SignupData

# Workshops a person ranks: the form shows this many numbered selects, the API accepts this many slugs.
MAX_RANKS = 6
# The longest text each field takes (the columns of Registration are as long).
LIMITS = {
    "name": 200,
    "email": 254,
    "role_other": 100,
    "organisation": 200,
    "dietary_needs": 500,
    "accessibility_needs": 500,
}
MULTILINE = {"dietary_needs", "accessibility_needs"}


def forbidden_characters(value: str, *, multiline: bool = False) -> bool:
    """Text no database, spreadsheet or mail should get: NUL and other control characters, lone surrogates,
    line and paragraph separators (line breaks and tabs only where a field has several lines)."""
    allowed = {"\n", "\r", "\t"} if multiline else {"\t"}
    return any(
        (unicodedata.category(char) in {"Cc", "Cs"} and char not in allowed) or char in "\u2028\u2029" for char in value
    )


@dataclass(frozen=True)
class SignupInput:
    """A sign-up as a form or the API parsed it; not yet checked."""

    name: str
    email: str
    role: str
    municipality: Municipality | None
    organisation: str
    preferences: Sequence[str]  # workshop slugs of the event, first choice first
    consent: bool
    role_other: str = ""
    dietary_needs: str = ""
    accessibility_needs: str = ""
    language: str = "nl"


class InvalidSignup(Exception):
    """Every problem of a sign-up: {field: [(message, code), ...]}, fields in the order of the form."""

    def __init__(self, errors: dict[str, list[tuple[str, str]]]):
        super().__init__(errors)
        self.errors = errors


def validate_signup(event: Event, data: SignupInput) -> SignupData:
    """The SignupData to register, or InvalidSignup with every problem. Reads the event's workshops once."""
    errors: dict[str, list[tuple[str, str]]] = {}

    def problem(field: str, message: str, code: str = "invalid") -> None:
        errors.setdefault(field, []).append((message, code))

    for field, limit in LIMITS.items():
        value = getattr(data, field)
        if forbidden_characters(value, multiline=field in MULTILINE):
            problem(field, _("This field contains characters that are not allowed."), "forbidden_characters")
        elif len(value.strip()) > limit:
            problem(
                field,
                ngettext("Use at most %(limit)d character.", "Use at most %(limit)d characters.", limit)
                % {"limit": limit},
                "too_long",
            )
    if "name" not in errors and not data.name.strip():
        problem("name", _("Fill in your name."), "required")
    if "email" not in errors:
        try:
            validate_email(data.email.strip())
        except ValidationError:
            problem("email", _("Enter a valid e-mail address."), "invalid_email")
    if data.role not in Role.values:
        problem("role", _("Choose your role."), "invalid_choice")
    elif data.role == Role.OTHER and "role_other" not in errors and not data.role_other.strip():
        problem("role_other", _("Describe your role."), "required")
    if data.municipality is None and "organisation" not in errors and not data.organisation.strip():
        problem("municipality", _("Choose your municipality, or fill in your organisation."), "required")

    slugs = list(data.preferences)
    # A slug no workshop can have is never sent to the database (PostgreSQL refuses NUL in a query).
    lookup = {slug for slug in slugs if len(slug) <= 50 and not forbidden_characters(slug)}
    workshops = {workshop.slug: workshop for workshop in event.workshops.filter(slug__in=lookup)} if lookup else {}
    if len(slugs) > MAX_RANKS:
        problem(
            "preferences",
            ngettext("Rank at most %(count)d workshop.", "Rank at most %(count)d workshops.", MAX_RANKS)
            % {"count": MAX_RANKS},
            "too_many",
        )
    if len(set(slugs)) != len(slugs):
        problem("preferences", _("A workshop is ranked more than once. Rank each workshop once."), "ranked_twice")
    unknown = [slug for slug in slugs if slug not in workshops]
    if unknown:
        problem("preferences", _("This event has no workshop %(slug)s.") % {"slug": unknown[0][:60]}, "unknown")
    if data.consent is not True:
        problem("consent", _("Without your consent we cannot register you."), "required")
    if errors:
        raise InvalidSignup(errors)
    return SignupData(
        name=data.name,
        email=data.email,
        role=data.role,
        role_other=data.role_other,
        municipality=data.municipality,
        organisation=data.organisation,
        preferences=[workshops[slug] for slug in slugs],
        dietary_needs=data.dietary_needs,
        accessibility_needs=data.accessibility_needs,
        language=data.language,
    )
