"""Signing up, changing preferences, cancelling and the waiting list: the rules, without HTTP.

Every change that takes or frees a seat runs in one transaction under the event's capacity lock, and the mail
it causes is queued in the outbox inside that same transaction: the seat and its mail commit together or not
at all.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from werkconferentie.events.models import Event, Workshop
from werkconferentie.reference.models import Municipality

from . import capacity, notifications, programme
from .capacity import capacity_transaction, lock_event_capacity, waitlisted
from .enums import Role, Status
from .models import Preference, PrivacyStatement, Registration


class SignupError(Exception):
    """A sign-up that cannot be made; `code` says why (for API clients and messages)."""

    code = "invalid"


class RegistrationClosed(SignupError):
    code = "registration_closed"


class InvalidPreferences(SignupError):
    code = "invalid_preferences"


@dataclass(frozen=True)
class SignupData:
    name: str
    email: str
    role: str
    municipality: Municipality | None
    preferences: Sequence[Workshop]
    role_other: str = ""
    organisation: str = ""
    dietary_needs: str = ""
    accessibility_needs: str = ""
    language: str = "nl"


@dataclass
class SignupResult:
    registration: Registration
    created: bool
    promoted: list[Registration] = field(default_factory=list)
    # A new registration's place on the waiting list when it was made (1 is next); None when it has a seat.
    position: int | None = None


def normalise_email(email: str) -> str:
    """Addresses are compared case-insensitively: 'A.Jansen@Tynaarlo.nl' is 'a.jansen@tynaarlo.nl'."""
    return email.strip().lower()


def check_preferences(event: Event, workshops: Sequence[Workshop]) -> None:
    if len({workshop.pk for workshop in workshops}) != len(workshops):
        raise InvalidPreferences("a workshop is ranked twice")
    if any(workshop.event_id != event.pk for workshop in workshops):
        raise InvalidPreferences("a workshop of another event")


def waitlist(event: Event):
    return event.registrations.filter(status=Status.WAITLISTED).order_by("created_at", "pk")


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list; None when not on it."""
    if registration.status != Status.WAITLISTED:
        return None
    ahead = Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk)
    return waitlist(registration.event).filter(ahead).count() + 1


def confirmed_count(event: Event) -> int:
    return capacity.confirmed(event)


def seats_left(event: Event) -> int:
    return max(0, event.capacity - confirmed_count(event))


def register(event: Event, data: SignupData, *, now=None) -> SignupResult:
    """Register a person: a seat while there is one, else the waiting list.

    A second registration with the same address creates nothing: the person gets a mail with their existing
    personal link (the caller decides what the browser is told; the form tells both cases the same).

    Everything that can be prepared is prepared before the capacity lock: every other sign-up waits while it is
    held (on SQLite the whole database does), so it covers only the count, the inserts and the commit.
    """
    if data.role not in Role.values:
        raise SignupError("unknown role")
    check_preferences(event, data.preferences)
    registration = Registration(
        event=event,
        name=data.name.strip(),
        email=normalise_email(data.email),
        role=data.role,
        role_other=data.role_other.strip() if data.role == Role.OTHER else "",
        municipality=data.municipality,
        organisation="" if data.municipality else data.organisation.strip(),
        dietary_needs=data.dietary_needs.strip(),
        accessibility_needs=data.accessibility_needs.strip(),
        language=data.language,
        # Only its id: the statement's texts are long, and every sign-up would read them.
        consent_statement_id=PrivacyStatement.objects.order_by("-version").values_list("pk", flat=True).first(),
        consented_at=timezone.now(),
    )
    try:
        with capacity_transaction():
            event = lock_event_capacity(event)
            if not event.registration_is_open(now):
                raise RegistrationClosed("registration is closed")
            has_seat = event.seats_taken < event.capacity
            registration.event = event
            registration.status = Status.CONFIRMED if has_seat else Status.WAITLISTED
            # No look-up of the address first: the unique constraint on active registrations finds a second one
            # (and rolls this transaction back, which has written nothing else), so a new address costs no query.
            registration.save(force_insert=True)
            _save_preferences(registration, data.preferences)
            # Everyone else on the list was put there before this transaction took the lock: this one is last.
            position = None if has_seat else waitlisted(event)
            notifications.registered(registration, position=position)
    except IntegrityError:
        existing = _active_registration(event, registration.email)
        if existing is None:
            raise
        with transaction.atomic():
            notifications.already_registered(existing)
        return SignupResult(existing, created=False)
    return SignupResult(registration, created=True, position=position)


def _active_registration(event: Event, email: str) -> Registration | None:
    return event.registrations.filter(email=email).exclude(status=Status.CANCELLED).first()


def _save_preferences(registration: Registration, workshops: Sequence[Workshop]) -> None:
    Preference.objects.bulk_create(
        Preference(registration=registration, workshop=workshop, rank=rank)
        for rank, workshop in enumerate(workshops, start=1)
    )


def change_preferences(registration: Registration, workshops: Sequence[Workshop]) -> str:
    """Replace a person's ranking. Preferences take no seats, so no capacity lock is needed for that.

    Once a programme is published, the new ranking is applied to it by the late-change rules (see
    registration.programme and assignment.runs.apply_changed_choices); returns what that did to her programme.
    """
    if registration.status == Status.CANCELLED:
        raise SignupError("the registration is cancelled")
    check_preferences(registration.event, workshops)
    with transaction.atomic():
        registration.preferences.all().delete()
        _save_preferences(registration, workshops)
        registration.save(update_fields=["updated_at"])
    return programme.choices_changed(registration)


DETAILS = ("name", "organisation", "dietary_needs", "accessibility_needs", "language")


def change_details(registration: Registration, **details) -> None:
    """She corrects her own details (name, organisation, needs, language); takes no seat, so no lock."""
    if registration.status == Status.CANCELLED:
        raise SignupError("the registration is cancelled")
    unknown = set(details) - set(DETAILS)
    if unknown:
        raise SignupError(f"not changeable here: {', '.join(sorted(unknown))}")
    for name, value in details.items():
        setattr(registration, name, value.strip() if isinstance(value, str) else value)
    if registration.municipality_id:
        registration.organisation = ""
    registration.save(update_fields=[*details, "organisation", "updated_at"] if details else ["updated_at"])


def cancel(registration: Registration, *, notify: bool = True) -> list[Registration]:
    """Cancel a registration; a freed seat goes at once to the first on the waiting list. Returns who moved up.

    notify=False queues no mail to the person cancelled (an erasure); those who move up are mailed all the same.
    """
    with capacity_transaction():
        event = lock_event_capacity(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            return []
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        if notify:
            notifications.cancelled(registration)
        return _fill_from_waitlist(event)


def fill_from_waitlist(event: Event) -> list[Registration]:
    """Give free seats to the waiting list in order, e.g. after the organiser raised the capacity."""
    with capacity_transaction():
        return _fill_from_waitlist(lock_event_capacity(event))


def _fill_from_waitlist(event: Event) -> list[Registration]:
    free = event.capacity - confirmed_count(event)
    promoted = list(waitlist(event)[: max(0, free)])
    capacity.checkpoint("waiting list read")
    for registration in promoted:
        registration.status = Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        notifications.promoted(registration)
    return promoted


def promote(registration: Registration) -> bool:
    """The organiser gives a seat to this person on the waiting list, if a seat is free."""
    with capacity_transaction():
        event = lock_event_capacity(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Status.WAITLISTED or event.seats_taken >= event.capacity:
            return False
        registration.status = Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        notifications.promoted(registration)
        return True
