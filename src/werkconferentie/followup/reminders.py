"""The mails to the update contacts, sent by `werkconferentie followup-remind` once a day (cron, systemd timer, or
the demo's own daily job).

The schedule is per event (FollowupSettings; the defaults of its fields when the event has none):

- **invitation**: once the raadsadres to a municipality has been delivered, each of its contacts whose link was
  not sent yet gets the mail with her update link. Naming a contact on the follow-up page is the organiser's
  approval; with "invite after the letter" switched off the organiser sends the links herself.
- **before-N**: N days before the event's target date (default 28 and 7).
- **thanks**: on the target date, a thank-you with the summary of her municipality's commitments.
- **after-N**: N days after it (default none), only while commitments are still open past their own target date.
- **quiet**: until the target date, when nothing was updated for `quiet_days` (default 42, six weeks): no change
  to her municipality's commitments, no link and no other reminder sent in that time.

Of the dated stages whose day has come, only the latest is sent: a run that was missed for a few days catches
up with one mail, not three; a reminder "before" is never sent after the target date. A contact gets at most one
mail a run. Who gets reminders: a contact whose link was sent, not revoked and not expired; a municipality whose
commitments are all final (done, not adopted) gets only the thank-you.

Each mail is queued through the outbox together with a `SentReminder` row under a unique key (event, contact,
stage, target date) in one transaction: a second run, the same day or later, or a run in a second process at the
same time, finds the key taken and sends nothing. A new target date gives new keys, so the schedule starts again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from werkconferentie.events.models import Event
from werkconferentie.outbox.enums import MessageState
from werkconferentie.outbox.mailing import enqueue
from werkconferentie.outcomes.models import LetterDispatch

from . import contacts as contact_mail
from . import links
from .commitments import commitments_of, default_target_date, progress_of
from .enums import CommitmentStatus
from .models import (
    DEFAULT_QUIET_DAYS,
    DEFAULT_REMIND_DAYS_BEFORE,
    CommitmentChange,
    FollowupSettings,
    SentReminder,
    UpdateContact,
)
from .privacy import REMINDER_MAIL_KIND

FINAL_STATUSES = (CommitmentStatus.DONE, CommitmentStatus.NOT_ADOPTED)
INVITATION, BEFORE, THANKS, AFTER, QUIET = "invitation", "before", "thanks", "after", "quiet"


def parse_days(text: str) -> tuple[int, ...]:
    """ "28, 7" → (28, 7); positive whole numbers only, others left out (the form refuses them first)."""
    days = set()
    for part in str(text or "").split(","):
        part = part.strip()
        if part.isdigit() and 0 < int(part) <= 3650:
            days.add(int(part))
    return tuple(sorted(days, reverse=True))


@dataclass(frozen=True)
class Schedule:
    invite_after_letter: bool = True
    quiet_days: int = DEFAULT_QUIET_DAYS
    days_before: tuple[int, ...] = parse_days(DEFAULT_REMIND_DAYS_BEFORE)
    days_after: tuple[int, ...] = ()
    thank_on_target_date: bool = True

    @classmethod
    def of(cls, event: Event) -> Schedule:
        found = FollowupSettings.objects.filter(event=event).first()
        if found is None:
            return cls()
        return cls(
            invite_after_letter=found.invite_after_letter,
            quiet_days=found.quiet_days,
            days_before=parse_days(found.remind_days_before),
            days_after=parse_days(found.remind_days_after),
            thank_on_target_date=found.thank_on_target_date,
        )

    def dated_stages(self) -> list[Stage]:
        """The stages tied to the target date, in the order they come."""
        stages = [Stage(BEFORE, d) for d in self.days_before]
        if self.thank_on_target_date:
            stages.append(Stage(THANKS))
        stages += [Stage(AFTER, d) for d in self.days_after]
        return sorted(stages, key=lambda s: s.offset)


@dataclass(frozen=True)
class Stage:
    """One step of the schedule. `days` counts from the target date (before or after); `since` is, for a quiet
    reminder, the day of the last sign of life it answers (so that each quiet spell has its own key)."""

    kind: str
    days: int = 0
    since: dt.date | None = None

    @property
    def offset(self) -> int:
        """Days from the target date: negative before it."""
        return -self.days if self.kind == BEFORE else self.days if self.kind == AFTER else 0

    @property
    def overdue(self) -> bool:
        return self.kind == AFTER

    @property
    def name(self) -> str:
        if self.kind in (BEFORE, AFTER):
            return f"{self.kind}-{self.days}"
        if self.kind == QUIET:
            return f"quiet-{self.since.isoformat()}"
        return self.kind


@dataclass(frozen=True)
class DueReminder:
    event: Event
    contact: UpdateContact
    stage: Stage
    target_date: dt.date
    open_commitments: tuple
    today: dt.date
    commitments: tuple = ()
    letter_date: dt.date | None = None

    @property
    def key(self) -> str:
        return f"followup:{self.event.pk}:{self.contact.pk}:{self.stage.name}:{self.target_date.isoformat()}"


def current_stage(schedule: Schedule, target_date: dt.date, today: dt.date) -> Stage | None:
    """The latest dated stage whose day has come, or None before the first. After the target date only the
    thank-you and the stages after it count: a reminder "before" is never sent late."""
    found = None
    for stage in schedule.dated_stages():
        if today >= target_date + dt.timedelta(days=stage.offset):
            found = stage
    if found is not None and found.kind == BEFORE and today > target_date:
        return None
    return found


def event_today(event: Event, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(event.tzinfo).date()


def _letters_delivered(event: Event) -> dict[str, dt.date]:
    """Per municipality (CBS code), the date of the first raadsadres of this event that reached its griffie."""
    delivered = (
        LetterDispatch.objects.filter(event=event)
        .filter(Q(delivered_at__isnull=False) | Q(message__state=MessageState.SENT))
        .order_by("queued_at")
    )
    found: dict[str, dt.date] = {}
    for code, letter_date in delivered.values_list("municipality_id", "letter_date"):
        found.setdefault(code, letter_date)
    return found


def _last_signs_of_life(event: Event, contacts: list[UpdateContact], today: dt.date) -> dict[int, dt.date]:
    """Per contact, the last day something happened: her link sent, a reminder sent, her municipality's
    commitments changed (by anyone). The quiet reminder counts its weeks from there."""
    tz = event.tzinfo
    changed = {
        code: moment.astimezone(tz).date()
        for code, moment in CommitmentChange.objects.filter(event=event)
        .values("municipality_id")
        .annotate(last=Max("created_at"))
        .values_list("municipality_id", "last")
    }
    reminded = dict(
        SentReminder.objects.filter(event=event, contact__in=contacts, day__isnull=False)
        .values("contact_id")
        .annotate(last=Max("day"))
        .values_list("contact_id", "last")
    )
    result = {}
    for contact in contacts:
        days = [contact.link_sent_at.astimezone(tz).date()] if contact.link_sent_at else []
        days += [d for d in (changed.get(contact.municipality_id), reminded.get(contact.pk)) if d is not None]
        result[contact.pk] = min(max(days), today) if days else today
    return result


def due_reminders(now: dt.datetime | None = None, events=None) -> list[DueReminder]:
    """The mails that are due now and not sent before, for `events` (default: every event with contacts)."""
    now = now or timezone.now()
    if events is None:
        events = Event.objects.filter(update_contacts__isnull=False).distinct()
    due = []
    for event in events:
        target_date = default_target_date(event)
        if target_date is None:
            continue
        due += _due_for_event(event, target_date, Schedule.of(event), now)
    return due


def _due_for_event(event: Event, target_date: dt.date, schedule: Schedule, now: dt.datetime) -> list[DueReminder]:
    today = event_today(event, now)
    contacts = [
        contact
        for contact in UpdateContact.objects.filter(event=event, revoked_at__isnull=True)
        .select_related("event", "municipality")
        .order_by("municipality__name", "pk")
        if now < links.link_expires_at(contact)
    ]
    if not contacts:
        return []
    by_municipality: dict[str, list] = {}
    for commitment in commitments_of(event):
        by_municipality.setdefault(commitment.municipality_id, []).append(commitment)
    sent = set(SentReminder.objects.filter(key__startswith=f"followup:{event.pk}:").values_list("key", flat=True))
    letters = _letters_delivered(event) if schedule.invite_after_letter else {}
    invited = [c for c in contacts if c.link_sent_at is not None]
    signs_of_life = _last_signs_of_life(event, invited, today) if schedule.quiet_days else {}
    stage = current_stage(schedule, target_date, today)
    due = []
    for contact in contacts:
        commitments = tuple(by_municipality.get(contact.municipality_id, []))
        unfinished = tuple(c for c in commitments if c.status not in FINAL_STATUSES)

        def reminder(stage, contact=contact, commitments=commitments, unfinished=unfinished):
            return DueReminder(
                event,
                contact,
                stage,
                target_date,
                unfinished,
                today,
                commitments,
                letters.get(contact.municipality_id),
            )

        if contact.link_sent_at is None:
            if contact.municipality_id in letters:
                candidate = reminder(Stage(INVITATION))
                if candidate.key not in sent:
                    due.append(candidate)
            continue
        candidates = []
        if stage is not None and _wanted(stage, commitments, unfinished, today):
            candidates.append(reminder(stage))
        if schedule.quiet_days and today <= target_date and (unfinished or not commitments):
            since = signs_of_life[contact.pk]
            if today >= since + dt.timedelta(days=schedule.quiet_days):
                candidates.append(reminder(Stage(QUIET, since=since)))
        # One mail a run: the dated stage first; the quiet one only when that was sent already.
        for candidate in candidates:
            if candidate.key not in sent:
                due.append(candidate)
                break
    return due


def _wanted(stage: Stage, commitments, unfinished, today: dt.date) -> bool:
    if stage.kind == THANKS:
        return True  # a thank-you goes to everyone, also when all is done
    if commitments and not unfinished:
        return False  # everything is done or settled: nothing to remind her of
    if stage.overdue and commitments and not any(c.target_date < today for c in unfinished):
        return False  # after the deadline: only for commitments still open past their own target date
    return True


def _mail(reminder: DueReminder) -> tuple[str, str]:
    contact = reminder.contact
    with translation.override(contact.language):
        context = {
            "contact": contact,
            "event": reminder.event,
            "target_date": reminder.target_date,
            "overdue": reminder.stage.overdue,
            "quiet": reminder.stage.kind == QUIET,
            "quiet_weeks": (reminder.today - reminder.stage.since).days // 7 if reminder.stage.since else 0,
            # The days really left (a contact named late gets the current stage with fewer days to go).
            "days_left": (reminder.target_date - reminder.today).days,
            "commitments": reminder.open_commitments,
            "all_commitments": [(c, progress_of(c)) for c in reminder.commitments],
            "url": links.update_url(contact),
            "expires_at": links.link_expires_at(contact),
        }
        prefix = "thanks" if reminder.stage.kind == THANKS else "reminder"
        subject = render_to_string(f"followup/mail/{prefix}_subject.txt", context).strip()
        text = render_to_string(f"followup/mail/{prefix}.txt", context)
    return subject, text


def send(reminder: DueReminder) -> bool:
    """Queue one mail under its key; False when the key was taken (another run sent it)."""
    contact = reminder.contact
    try:
        with transaction.atomic():
            SentReminder.objects.create(event=reminder.event, contact=contact, key=reminder.key, day=reminder.today)
            if reminder.stage.kind == INVITATION:
                contact_mail.send_link(contact, letter_date=reminder.letter_date)
            else:
                subject, text = _mail(reminder)
                enqueue(
                    contact.email,
                    subject,
                    text,
                    language=contact.language,
                    kind=REMINDER_MAIL_KIND,
                    object_id=contact.pk,
                    reply_to=reminder.event.contact_email,
                )
    except IntegrityError:
        return False
    return True


def send_due_reminders(now: dt.datetime | None = None, events=None) -> list[DueReminder]:
    """Queue every due mail; returns those this run queued."""
    return [reminder for reminder in due_reminders(now, events) if send(reminder)]
