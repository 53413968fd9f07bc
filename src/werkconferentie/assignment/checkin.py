"""Check-in on the day: the signed token on a badge's QR code, and checking a person in once.

The token holds only the registration's id and a short check value derived from its secret (so a badge stops
working when the personal link is renewed or the registration erased), signed with SECRET_KEY under a salt of its
own: a personal link can never pass as a badge, nor a badge as a personal link.
"""

import datetime as dt
import unicodedata
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from werkconferentie.events.models import Event
from werkconferentie.registration.enums import Status
from werkconferentie.registration.models import Registration

from .models import CheckIn

SALT = "werkconferentie.assignment.badge"
# A badge is printed weeks before the day; a year is long enough for any conference and still ends.
MAX_AGE = dt.timedelta(days=365)


class InvalidBadge(Exception):
    """The code was not made by us, was changed, or its registration no longer exists."""


class ExpiredBadge(Exception):
    """The code was ours, but is older than MAX_AGE."""


def _check_value(registration: Registration) -> str:
    return salted_hmac(SALT, f"{registration.pk}:{registration.secret}").hexdigest()[:10]


def badge_token(registration: Registration) -> str:
    return signing.dumps([registration.pk, _check_value(registration)], salt=SALT)


def registration_from_badge(token: str) -> Registration:
    try:
        pk, check = signing.loads(token.strip(), salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise ExpiredBadge from None
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidBadge from None
    registration = Registration.objects.select_related("event", "municipality").filter(pk=pk).first()
    if registration is None or not constant_time_compare(str(check), _check_value(registration)):
        raise InvalidBadge
    return registration


@dataclass
class CheckInResult:
    registration: Registration
    check_in: CheckIn
    already: bool


def check_in(registration: Registration, user=None) -> CheckInResult:
    """Check a confirmed person in; a second time changes nothing and says when the first was."""
    if registration.status != Status.CONFIRMED:
        raise ValueError("only confirmed registrations can be checked in")
    existing = CheckIn.objects.filter(registration=registration).first()
    if existing:
        return CheckInResult(registration, existing, already=True)
    try:
        with transaction.atomic():
            made = CheckIn.objects.create(
                registration=registration, checked_in_by=user if user and user.is_authenticated else None
            )
    except IntegrityError:  # two scanners at once: the other one won
        return CheckInResult(registration, CheckIn.objects.get(registration=registration), already=True)
    return CheckInResult(registration, made, already=False)


def present_count(event: Event) -> dict[str, int]:
    confirmed = Registration.objects.filter(event=event, status=Status.CONFIRMED)
    return {"present": CheckIn.objects.filter(registration__in=confirmed).count(), "expected": confirmed.count()}


def fold(text: str) -> str:
    """Lower case without accents, so "zoe" finds "Zoë" and "ijsbrand" finds "Ĳsbrand" on every database."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search(event: Event, query: str, limit: int = 20) -> list[Registration]:
    """Confirmed people of the event whose name (or municipality, organisation) contains every word typed.

    Matching happens in Python over the event's confirmed registrations (a few thousand at most), because
    neither SQLite nor PostgreSQL ignore accents without extensions.
    """
    words = fold(query).split()
    if not words:
        return []
    found = []
    people = (
        Registration.objects.filter(event=event, status=Status.CONFIRMED)
        .select_related("municipality", "check_in")
        .order_by("name", "pk")
    )
    for registration in people:
        haystack = fold(f"{registration.name} {registration.affiliation}")
        if all(word in haystack for word in words):
            found.append(registration)
            if len(found) >= limit:
                break
    return found


def search_not_confirmed(event: Event, query: str, limit: int = 20) -> list[Registration]:
    """The people on the waiting list or cancelled who match, so that a search that finds no one confirmed can
    say why ("on the waiting list", "cancelled") instead of "0 people"."""
    words = fold(query).split()
    if not words:
        return []
    found = []
    people = (
        Registration.objects.filter(event=event)
        .exclude(status=Status.CONFIRMED)
        .select_related("municipality")
        .order_by("name", "pk")
    )
    for registration in people:
        if all(word in fold(f"{registration.name} {registration.affiliation}") for word in words):
            found.append(registration)
            if len(found) >= limit:
                break
    return found


class EventFull(Exception):
    """Every seat of the event is taken: a walk-in cannot get one without breaking the capacity."""


class AlreadyRegistered(Exception):
    """The address has an active registration for this event already."""

    def __init__(self, registration: Registration):
        super().__init__(registration.pk)
        self.registration = registration


def register_walk_in(event: Event, data, user=None) -> CheckInResult:
    """Someone who did not register comes to the door: a seat if one is free (under the capacity lock, as every
    sign-up), checked in at once. `data` is a registration.signup.SignupData; the registration window does not
    apply (it closes before the day), the capacity does. She gets the confirmation mail with her personal link.
    """
    from django.utils import timezone

    from werkconferentie.registration import notifications
    from werkconferentie.registration.capacity import capacity_transaction, lock_event_capacity
    from werkconferentie.registration.models import PrivacyStatement
    from werkconferentie.registration.signup import normalise_email

    registration = Registration(
        name=data.name.strip(),
        email=normalise_email(data.email),
        role=data.role,
        municipality=data.municipality,
        organisation="" if data.municipality else data.organisation.strip(),
        language=data.language,
        # The organiser confirms on the form that the person was told about the privacy statement.
        consent_statement_id=PrivacyStatement.objects.order_by("-version").values_list("pk", flat=True).first(),
        consented_at=timezone.now(),
        status=Status.CONFIRMED,
    )
    try:
        with capacity_transaction():
            locked = lock_event_capacity(event)
            if locked.seats_taken >= locked.capacity:
                raise EventFull
            registration.event = locked
            registration.save(force_insert=True)
            notifications.registered(registration, position=None)
    except IntegrityError:
        existing = event.registrations.filter(email=registration.email).exclude(status=Status.CANCELLED).first()
        if existing is None:
            raise
        raise AlreadyRegistered(existing) from None
    return check_in(registration, user)
