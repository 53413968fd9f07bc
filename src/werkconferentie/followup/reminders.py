"""Reminders to the update contacts, sent by `werkconferentie followup-remind` once a day (cron, systemd timer).

The schedule is in settings: FOLLOWUP_REMINDER_DAYS_BEFORE (days before the event's target date, default 56, 14
and 7) and FOLLOWUP_REMINDER_DAYS_AFTER (days after it, default 7 and 28, only while her municipality has
unfinished commitments or none at all). Of the stages whose day has come, only the latest is sent: a run that was
missed for a few days catches up with one mail, not three.

Who gets one: a contact whose link was sent (the organiser decides who is mailed at all), not revoked and not
expired on the day. A municipality whose commitments are all final (done, not adopted) gets none.

Each mail is queued through the outbox together with a `SentReminder` row under a unique key (event, contact,
stage, target date) in one transaction: a second run, the same day or later, or a run in a second process at the
same time, finds the key taken and sends nothing. A new target date gives new keys, so the schedule starts again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from werkconferentie.events.models import Event
from werkconferentie.outbox.mailing import enqueue

from . import links
from .commitments import commitments_of, default_target_date
from .enums import CommitmentStatus
from .models import SentReminder, UpdateContact
from .privacy import REMINDER_MAIL_KIND

FINAL_STATUSES = (CommitmentStatus.DONE, CommitmentStatus.NOT_ADOPTED)


@dataclass(frozen=True)
class Stage:
    """One step of the schedule: `days` before (negative: after) the target date."""

    days: int

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def name(self) -> str:
        return f"after-{-self.days}" if self.overdue else f"before-{self.days}"


@dataclass(frozen=True)
class DueReminder:
    event: Event
    contact: UpdateContact
    stage: Stage
    target_date: dt.date
    open_commitments: tuple
    today: dt.date

    @property
    def key(self) -> str:
        return f"followup:{self.event.pk}:{self.contact.pk}:{self.stage.name}:{self.target_date.isoformat()}"


def schedule() -> list[Stage]:
    """Every stage, in the order they come: earliest (most days before) first."""
    before = {int(d) for d in getattr(settings, "FOLLOWUP_REMINDER_DAYS_BEFORE", [56, 14, 7]) if int(d) >= 0}
    after = {int(d) for d in getattr(settings, "FOLLOWUP_REMINDER_DAYS_AFTER", [7, 28]) if int(d) > 0}
    return sorted([Stage(d) for d in before] + [Stage(-d) for d in after], key=lambda s: -s.days)


def current_stage(target_date: dt.date, today: dt.date) -> Stage | None:
    """The latest stage whose day has come, or None before the first. After the target date only the stages
    after it count: a reminder "before" is never sent late."""
    found = None
    for stage in schedule():
        if today >= target_date - dt.timedelta(days=stage.days):
            found = stage
    if found is not None and not found.overdue and today > target_date:
        return None
    return found


def event_today(event: Event, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(event.tzinfo).date()


def due_reminders(now: dt.datetime | None = None, events=None) -> list[DueReminder]:
    """The reminders that are due now and not sent before, for `events` (default: every event with contacts)."""
    now = now or timezone.now()
    if events is None:
        events = Event.objects.filter(update_contacts__isnull=False).distinct()
    due = []
    for event in events:
        target_date = default_target_date(event)
        if target_date is None:
            continue
        stage = current_stage(target_date, event_today(event, now))
        if stage is None:
            continue
        contacts = list(
            UpdateContact.objects.filter(event=event, revoked_at__isnull=True, link_sent_at__isnull=False)
            .select_related("event", "municipality")
            .order_by("municipality__name", "pk")
        )
        if not contacts:
            continue
        by_municipality: dict[str, list] = {}
        for commitment in commitments_of(event):
            by_municipality.setdefault(commitment.municipality_id, []).append(commitment)
        sent = set(SentReminder.objects.filter(key__startswith=f"followup:{event.pk}:").values_list("key", flat=True))
        for contact in contacts:
            if now >= links.link_expires_at(contact):
                continue
            commitments = by_municipality.get(contact.municipality_id, [])
            unfinished = tuple(c for c in commitments if c.status not in FINAL_STATUSES)
            if commitments and not unfinished:
                continue  # everything is done or settled: nothing to remind her of
            if stage.overdue and commitments and not any(c.target_date < event_today(event, now) for c in unfinished):
                continue  # after the deadline: only for commitments still open past their own target date
            reminder = DueReminder(event, contact, stage, target_date, unfinished, event_today(event, now))
            if reminder.key not in sent:
                due.append(reminder)
    return due


def _mail(reminder: DueReminder) -> tuple[str, str]:
    contact = reminder.contact
    with translation.override(contact.language):
        context = {
            "contact": contact,
            "event": reminder.event,
            "target_date": reminder.target_date,
            "overdue": reminder.stage.overdue,
            # The days really left (a contact named late gets the current stage with fewer days to go).
            "days_left": (reminder.target_date - reminder.today).days,
            "commitments": reminder.open_commitments,
            "url": links.update_url(contact),
            "expires_at": links.link_expires_at(contact),
        }
        subject = render_to_string("followup/mail/reminder_subject.txt", context).strip()
        text = render_to_string("followup/mail/reminder.txt", context)
    return subject, text


def send(reminder: DueReminder) -> bool:
    """Queue one reminder under its key; False when the key was taken (another run sent it)."""
    subject, text = _mail(reminder)
    try:
        with transaction.atomic():
            SentReminder.objects.create(event=reminder.event, key=reminder.key)
            enqueue(
                reminder.contact.email,
                subject,
                text,
                language=reminder.contact.language,
                kind=REMINDER_MAIL_KIND,
                object_id=reminder.contact.pk,
                reply_to=reminder.event.contact_email,
            )
    except IntegrityError:
        return False
    return True


def send_due_reminders(now: dt.datetime | None = None, events=None) -> list[DueReminder]:
    """Queue every due reminder; returns those this run queued."""
    return [reminder for reminder in due_reminders(now, events) if send(reminder)]
