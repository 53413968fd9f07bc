"""Mail from the organiser to the participants of an event: choose who, see it as they will, send it.

Like pretix's and Indico's "e-mail participants": a message to everyone or a selection (role, municipality,
workshop session of the published programme, confirmed or waiting list), previewed, confirmed, and queued in the
outbox in one transaction, one mail per person in her language (English when the organiser wrote English and
she registered in English, else Dutch). Each mail is an outbox message of kind "registration" for that
registration, so the person's data export and erasure include it; the Mailing keeps the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast

from werkconferentie.events.models import Event
from werkconferentie.outbox.mailing import enqueue, render_from_templates
from werkconferentie.outbox.models import OutboxMessage

from . import notifications
from .enums import Status
from .links import link_expires_at, personal_url
from .models import Mailing, Registration

TEMPLATE = "registration/mail/mailing"
# Who a message can go to: never someone who cancelled.
STATUSES = (Status.CONFIRMED, Status.WAITLISTED)


@dataclass
class Audience:
    """A selection of an event's participants; an empty list means "any"."""

    statuses: list[str] = field(default_factory=lambda: [Status.CONFIRMED])
    roles: list[str] = field(default_factory=list)
    municipalities: list[str] = field(default_factory=list)  # CBS codes
    sessions: list[int] = field(default_factory=list)  # workshop sessions of the published programme

    def as_json(self) -> dict:
        return {
            "statuses": list(self.statuses),
            "roles": list(self.roles),
            "municipalities": list(self.municipalities),
            "sessions": [int(s) for s in self.sessions],
        }


@dataclass
class Draft:
    subject_nl: str
    body_nl: str
    subject_en: str = ""
    body_en: str = ""

    def text_for(self, language: str) -> tuple[str, str]:
        if language == "en" and self.subject_en and self.body_en:
            return self.subject_en, self.body_en
        return self.subject_nl, self.body_nl


def recipients(event: Event, audience: Audience) -> QuerySet[Registration]:
    people = event.registrations.filter(status__in=[s for s in audience.statuses if s in STATUSES] or STATUSES)
    if audience.roles:
        people = people.filter(role__in=audience.roles)
    if audience.municipalities:
        people = people.filter(municipality__in=audience.municipalities)
    if audience.sessions:
        # The published run's placements (assignment app), followed by name so that registration needs no import.
        people = people.filter(
            placements__session__in=audience.sessions, placements__run__published_at__isnull=False
        ).distinct()
    return people.select_related("event", "municipality").order_by("name", "pk")


def render(draft: Draft, registration: Registration) -> tuple[str, str]:
    """The subject and text of her mail, in her language, as it will be sent."""
    subject, body = draft.text_for(registration.language)
    context = {
        "registration": registration,
        "event": registration.event,
        "subject": subject,
        "body": body,
        "personal_url": personal_url(registration),
        "link_expires_at": link_expires_at(registration),
    }
    subject, text, _html = render_from_templates(TEMPLATE, context, registration.language)
    return subject, text


def send(event: Event, draft: Draft, audience: Audience, *, user=None) -> Mailing:
    """Queue one mail per recipient and record the mailing, in one transaction: all are queued, or none."""
    with transaction.atomic():
        people = list(recipients(event, audience))
        mailing = Mailing.objects.create(
            event=event,
            subject_nl=draft.subject_nl,
            body_nl=draft.body_nl,
            subject_en=draft.subject_en,
            body_en=draft.body_en,
            audience=audience.as_json(),
            created_by=user if user is not None and user.is_authenticated else None,
            recipient_count=len(people),
        )
        queued = []
        for registration in people:
            subject, text = render(draft, registration)
            queued.append(
                enqueue(
                    registration.email,
                    subject,
                    text,
                    language=registration.language,
                    kind=notifications.KIND,
                    object_id=registration.pk,
                    reply_to=event.contact_email,
                )
            )
        mailing.messages.add(*queued)
    return mailing


def event_messages(event: Event) -> QuerySet[OutboxMessage]:
    """Every outbox message caused by this event's registrations (confirmations, programmes, messages)."""
    ids = event.registrations.annotate(key=Cast("pk", CharField())).values("key")
    return OutboxMessage.objects.filter(kind=notifications.KIND, object_id__in=ids)
