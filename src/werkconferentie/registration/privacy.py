"""Personal data (AVG/GDPR): export one person's data, erase it, and purge past events after the retention time.

Personal data is shredded per kind, as pretix does: the registration itself, its workshop preferences, the mail
to the person in the outbox, and the admin's log. Later apps that keep data about a registration (an
allocation, a commitment) add their own kind with `register_personal_data`; `export_person` and every erasure
then include it. What an erasure leaves is an anonymous count per event, role and status
(ErasedRegistrations). See docs/privacy.md.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from werkconferentie.events.models import Event
from werkconferentie.outbox.mailing import erase_caused_by, erase_recipient, render
from werkconferentie.outbox.models import OutboxMessage

from . import notifications, signup
from .capacity import lock_event_capacity
from .enums import Status
from .models import ErasedRegistrations, Registration

EXPORT_FORMAT = "werkconferentie.personal-data"
EXPORT_VERSION = 1
# What an erased text is replaced with where the row itself stays (another object's admin log entry).
ERASED = "[erased]"
# The session entry in which the sign-up form keeps the address for the thank-you page (views.py).
THANKS_SESSION_KEY = "registration.thanks"


# --- Kinds of personal data: the hook for later apps ----------------------------------------------------------


@dataclass(frozen=True)
class PersonalDataKind:
    """One kind of data held about registrations, and possibly about people without one.

    `erase(registrations)` removes or anonymises this kind's data of those registrations and returns how many
    rows it touched; it runs inside the erasure's transaction, before the registrations are deleted (so foreign
    keys can still be followed). `export(registration)` returns JSON-serialisable data, or None for nothing.

    A kind that also holds people who never registered (a council clerk named by the organiser) gives:
    `export_address(email)` and `erase_address(email)` for what it holds under an address, in any event;
    `purge_event(event)` to erase what it holds of an event past its retention time; and `held_in()`, the ids
    of the events it holds data of (so `purge` finds an event without registrations too).
    """

    name: str
    erase: Callable[[Sequence[Registration]], int]
    export: Callable[[Registration], Any] | None = None
    export_address: Callable[[str], Any] | None = None
    erase_address: Callable[[str], int] | None = None
    purge_event: Callable[[Event], int] | None = None
    held_in: Callable[[], Iterable[int]] | None = None


_kinds: dict[str, PersonalDataKind] = {}


def register_personal_data(
    name: str,
    *,
    erase: Callable[[Sequence[Registration]], int],
    export: Callable[[Registration], Any] | None = None,
    export_address: Callable[[str], Any] | None = None,
    erase_address: Callable[[str], int] | None = None,
    purge_event: Callable[[Event], int] | None = None,
    held_in: Callable[[], Iterable[int]] | None = None,
) -> None:
    """Add a kind of personal data to every export and erasure; call it from an app's AppConfig.ready().

    Registering a name again replaces the earlier entry (so a re-imported module does no harm).
    """
    _kinds[name] = PersonalDataKind(name, erase, export, export_address, erase_address, purge_event, held_in)


def personal_data_kinds() -> list[PersonalDataKind]:
    """The registered kinds, in the order they were registered (the order they are erased in)."""
    return list(_kinds.values())


# --- Export -----------------------------------------------------------------------------------------------------


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _mails_to(registration: Registration):
    """The outbox messages about this registration that went (or go) to its address."""
    return OutboxMessage.objects.filter(
        recipient__iexact=registration.email, kind=notifications.KIND, object_id=str(registration.pk)
    ).order_by("created_at", "pk")


def export_person(registration: Registration, *, now: dt.datetime | None = None) -> dict:
    """Everything we hold about one registration, as a JSON-serialisable dict ("download my data").

    Mails are listed by subject, state and times, without their bodies: a body repeats what the export already
    holds and carries the person's personal link, which should not travel in a downloaded file.
    """
    registration = Registration.objects.select_related("event", "municipality", "consent_statement").get(
        pk=registration.pk
    )
    event = registration.event
    data = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "exported_at": _iso(now or timezone.now()),
        "event": {
            "slug": event.slug,
            "title_nl": event.title_nl,
            "title_en": event.title_en,
            "date": _iso(event.date),
        },
        "registration": {
            "id": registration.pk,
            "name": registration.name,
            "email": registration.email,
            "role": registration.role,
            "role_other": registration.role_other,
            "municipality": (
                {"code": registration.municipality.pk, "name": registration.municipality.name}
                if registration.municipality_id
                else None
            ),
            "organisation": registration.organisation,
            "dietary_needs": registration.dietary_needs,
            "accessibility_needs": registration.accessibility_needs,
            "language": registration.language,
            "status": registration.status,
            "waitlist_position": signup.waitlist_position(registration),
            "registered_at": _iso(registration.created_at),
            "changed_at": _iso(registration.updated_at),
            "cancelled_at": _iso(registration.cancelled_at),
        },
        "consent": {
            "privacy_statement_version": registration.consent_statement.version,
            "privacy_statement_effective_from": _iso(registration.consent_statement.effective_from),
            "consented_at": _iso(registration.consented_at),
        },
    }
    for kind in personal_data_kinds():
        if kind.export is not None:
            value = kind.export(registration)
            if value is not None:
                data[kind.name] = value
    return data


def export_email(email: str, *, now: dt.datetime | None = None) -> dict:
    """Everything we hold about an address, over all events (the organiser's answer to a request for access).

    Besides each registration's export, it lists the mails to the address that no registration caused.
    """
    email = signup.normalise_email(email)
    now = now or timezone.now()
    registrations = Registration.objects.filter(email__iexact=email).order_by("event__date", "created_at", "pk")
    linked = Q(kind=notifications.KIND, object_id__in=[str(pk) for pk in registrations.values_list("pk", flat=True)])
    other_mails = OutboxMessage.objects.filter(recipient__iexact=email).exclude(linked).order_by("created_at", "pk")
    data = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "exported_at": _iso(now),
        "email": email,
        "registrations": [export_person(registration, now=now) for registration in registrations],
        "other_mails": [_mail_summary(message) for message in other_mails],
    }
    for kind in personal_data_kinds():
        if kind.export_address is not None:
            value = kind.export_address(email)
            if value:
                data[kind.name] = value
    return data


def _mail_summary(message: OutboxMessage) -> dict:
    if message.template:  # not rendered yet (the worker renders before sending): render it now for its subject
        render(message)
    return {
        "subject": message.subject,
        "state": message.state,
        "queued_at": _iso(message.created_at),
        "sent_at": _iso(message.sent_at),
    }


# --- Erasure -----------------------------------------------------------------------------------------------------


@dataclass
class ErasureReport:
    """What an erasure removed: registrations, rows per kind of data, and who got a freed seat."""

    registrations: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    promoted: list[int] = field(default_factory=list)  # ids of waiting-list registrations that got a seat


DATABASE_SESSION_ENGINES = {"django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"}


def erase_from_sessions(matches: Callable[[str, Any], bool]) -> int:
    """Remove from every stored session the entries for which `matches(key, value)` holds; returns how many
    sessions changed. For kinds of personal data that a browser's session names (an address, a registration).

    Works on the database session store (the default); other stores keep nothing on the server to erase.
    """
    if settings.SESSION_ENGINE not in DATABASE_SESSION_ENGINES:
        return 0
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    changed = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = store().decode(session.session_data)
        keep = {key: value for key, value in data.items() if not matches(key, value)}
        if len(keep) != len(data):
            session.session_data = store().encode(keep)
            session.save(update_fields=["session_data"])
            if settings.SESSION_ENGINE.endswith("cached_db"):
                from django.core.cache import caches

                caches[settings.SESSION_CACHE_ALIAS].delete(store.cache_key_prefix + session.session_key)
            changed += 1
    return changed


def checkpoint_database() -> None:
    """SQLite: copy the write-ahead log into the database and empty it, so that erased rows leave no copy in the
    WAL file (secure_delete, in settings, zeroes them in the database itself). Runs after the erasure commits."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def erase_email(email: str) -> ErasureReport:
    """Erase every registration of this address, in all events, and all mail to it."""
    email = signup.normalise_email(email)
    with transaction.atomic():
        report = erase_registrations(Registration.objects.filter(email__iexact=email))
        # What other apps hold under the address without a registration (a contact named by the organiser).
        for kind in personal_data_kinds():
            if kind.erase_address is not None:
                count = kind.erase_address(email)
                if count:
                    report.rows[kind.name] = report.rows.get(kind.name, 0) + count
        # Mail to the address that no registration caused (a contact's link, or any other the outbox took).
        leftover = erase_recipient(email)
        if leftover:
            report.rows["mails"] = report.rows.get("mails", 0) + leftover
    return report


def erase_registration(registration: Registration) -> ErasureReport:
    """Erase one registration (the back office's action). Mail to the address goes with the registration's own
    mail; all mail to it goes once the address has no registration left in any event."""
    return erase_registrations([registration])


def erase_registrations(registrations: Iterable[Registration], *, free_seats: bool = True) -> ErasureReport:
    """Erase these registrations and all personal data linked to them, in one transaction.

    A confirmed seat of an event that has not ended yet goes to the waiting list first, under the event's
    capacity lock, as a cancellation would; the erased person is not mailed about it. Each registration adds
    one to the anonymous tally of its event, role and status (the status it had before the erasure).
    """
    report = ErasureReport()
    with transaction.atomic():
        transaction.on_commit(checkpoint_database)
        pks = sorted({registration.pk for registration in registrations})
        if not pks:
            return report
        # Take the capacity locks first, in the order of the events' ids, so that no erasure and sign-up can
        # wait for each other in a circle; then read the registrations again under those locks.
        event_ids = sorted(set(Registration.objects.filter(pk__in=pks).values_list("event_id", flat=True)))
        events = {event_id: lock_event_capacity(Event(pk=event_id)) for event_id in event_ids}
        chosen = list(Registration.objects.filter(pk__in=pks).order_by("event_id", "pk"))
        if not chosen:
            return report
        statuses = {registration.pk: registration.status for registration in chosen}

        now = timezone.now()
        for registration in chosen:
            registration.event = events[registration.event_id]
            if free_seats and registration.status != Status.CANCELLED and now < registration.event.ends_at:
                report.promoted += [moved.pk for moved in signup.cancel(registration, notify=False)]

        # Someone who moved up but is erased too (a whole event erased at once) did not really get a seat.
        report.promoted = [pk for pk in report.promoted if pk not in statuses]

        for kind in personal_data_kinds():
            report.rows[kind.name] = report.rows.get(kind.name, 0) + kind.erase(chosen)

        for registration in chosen:
            _count_erased(registration.event_id, registration.role, statuses[registration.pk])
        Registration.objects.filter(pk__in=[registration.pk for registration in chosen]).delete()
        report.registrations = len(chosen)
        report.rows["registrations"] = len(chosen)
    return report


def _count_erased(event_id: int, role: str, status: str) -> None:
    # The event's capacity lock is held, so no other transaction creates this tally row meanwhile.
    tally, _created = ErasedRegistrations.objects.get_or_create(event_id=event_id, role=role, status=status)
    ErasedRegistrations.objects.filter(pk=tally.pk).update(count=F("count") + 1)


def retention_cutoff(today: dt.date | None = None) -> dt.date:
    """Events dated before this day are past their retention time (RETENTION_DAYS after the event)."""
    return (today or timezone.localdate()) - dt.timedelta(days=settings.RETENTION_DAYS)


def events_past_retention(today: dt.date | None = None) -> list[Event]:
    """Events past their retention time (the event's own, else RETENTION_DAYS) that still hold registrations
    or another kind's personal data."""
    today = today or timezone.localdate()
    holding = Q(registrations__isnull=False)
    for kind in personal_data_kinds():
        if kind.held_in is not None:
            holding |= Q(pk__in=list(kind.held_in()))
    held = Event.objects.filter(holding).distinct().order_by("date", "pk")
    return [event for event in held if event.erased_on < today]


def purge_event(event: Event) -> ErasureReport:
    """Erase the personal data of all registrations of a (past) event, and what other kinds hold of it; only
    the anonymous counts remain."""
    with transaction.atomic():
        report = erase_registrations(event.registrations.all(), free_seats=False)
        for kind in personal_data_kinds():
            if kind.purge_event is not None:
                count = kind.purge_event(event)
                if count:
                    report.rows[kind.name] = report.rows.get(kind.name, 0) + count
    return report


# --- The built-in kinds -------------------------------------------------------------------------------------------


def _erase_preferences(registrations: Sequence[Registration]) -> int:
    from .models import Preference

    _total, per_model = Preference.objects.filter(registration__in=registrations).delete()
    return per_model.get(Preference._meta.label, 0)


def _export_preferences(registration: Registration) -> list[dict]:
    return [
        {
            "rank": preference.rank,
            "workshop": preference.workshop.slug,
            "title_nl": preference.workshop.title_nl,
            "title_en": preference.workshop.title_en,
        }
        for preference in registration.preferences.select_related("workshop")
    ]


def _erase_mails(registrations: Sequence[Registration]) -> int:
    """The mail each registration caused, whoever it went to; and all mail to an address that is left with
    no registration at all."""
    count = sum(erase_caused_by(notifications.KIND, registration.pk) for registration in registrations)
    erased = {registration.pk for registration in registrations}
    for email in sorted({registration.email.lower() for registration in registrations}):
        if not Registration.objects.filter(email__iexact=email).exclude(pk__in=erased).exists():
            count += erase_recipient(email)
    return count


def _erase_sessions(registrations: Sequence[Registration]) -> int:
    """The address the thank-you page shows, kept in the browser's session after signing up."""
    emails = {signup.normalise_email(registration.email) for registration in registrations}

    def names_them(key, value) -> bool:
        if key != THANKS_SESSION_KEY:
            return False
        address = value.get("email", "") if isinstance(value, dict) else value  # {"email", "outcome", "position"}
        return isinstance(address, str) and signup.normalise_email(address) in emails

    return erase_from_sessions(names_them)


def _export_mails(registration: Registration) -> list[dict]:
    return [_mail_summary(message) for message in _mails_to(registration)]


def _erase_admin_log(registrations: Sequence[Registration]) -> int:
    """Delete the admin's log entries about these registrations and their mail; scrub their names and addresses
    from entries about other objects (an event's log can name a registration changed in an inline)."""
    registration_type = ContentType.objects.get_for_model(Registration)
    message_type = ContentType.objects.get_for_model(OutboxMessage)
    ids = [str(registration.pk) for registration in registrations]
    own = LogEntry.objects.filter(content_type=registration_type, object_id__in=ids)
    # What the person was called in the log, also under an earlier name, and their address.
    texts = {str(registration) for registration in registrations} | {r.email for r in registrations}
    texts |= set(own.values_list("object_repr", flat=True))
    texts = {text for text in texts if text}
    message_ids = [
        str(pk)
        for pk in OutboxMessage.objects.filter(
            Q(kind=notifications.KIND, object_id__in=ids)
            | Q(recipient__in=[registration.email for registration in registrations])
        ).values_list("pk", flat=True)
    ]
    _total, per_model = LogEntry.objects.filter(
        Q(pk__in=own.values("pk")) | Q(content_type=message_type, object_id__in=message_ids)
    ).delete()
    count = per_model.get(LogEntry._meta.label, 0)
    return count + scrub_admin_log(texts)


def scrub_admin_log(texts: Iterable[str]) -> int:
    """Replace these texts (case-insensitively) in every admin log entry's object name and change message;
    returns the number of entries changed. For later apps whose objects' names contain a person's name."""
    texts = sorted({text for text in texts if text}, key=len, reverse=True)
    if not texts:
        return 0
    # change_message is JSON, where "ë" is stored as "\\u00eb": look for both spellings.
    needles = set(texts) | {json.dumps(text)[1:-1] for text in texts}
    condition = Q()
    for needle in needles:
        condition |= Q(object_repr__icontains=needle) | Q(change_message__icontains=needle)
    changed = 0
    for entry in LogEntry.objects.filter(condition):
        entry.object_repr = _replace_all(entry.object_repr, texts)[:200]
        entry.change_message = _scrub_change_message(entry.change_message, texts)
        entry.save(update_fields=["object_repr", "change_message"])
        changed += 1
    return changed


def _replace_all(value: str, texts: Sequence[str]) -> str:
    lowered = value.lower()
    for text in texts:
        start = lowered.find(text.lower())
        while start >= 0:
            value = value[:start] + ERASED + value[start + len(text) :]
            lowered = value.lower()
            start = lowered.find(text.lower(), start + len(ERASED))
    return value


def _scrub_change_message(message: str, texts: Sequence[str]) -> str:
    try:
        data = json.loads(message)
    except ValueError:
        return _replace_all(message, texts)

    def walk(value):
        if isinstance(value, str):
            return _replace_all(value, texts)
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        return value

    return json.dumps(walk(data))


# Erased in this order: the admin's log first (it looks up the mail it also deletes), then mail, then
# preferences, then what browsers' sessions hold; kinds that later apps register come after these.
register_personal_data("admin_log", erase=_erase_admin_log)
register_personal_data("mails", erase=_erase_mails, export=_export_mails)
register_personal_data("preferences", erase=_erase_preferences, export=_export_preferences)
register_personal_data("sessions", erase=_erase_sessions)
