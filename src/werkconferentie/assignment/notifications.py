"""The mail with a participant's personal programme, and the mail to someone a new publication left without one.

Publishing mails up to every participant while it holds the event's capacity lock (on SQLite the whole
database's write lock), and so do late placements. Queuing therefore inserts only a reference row inside that
transaction (`enqueue_to_render`, as registration's mails do): the row commits with the publication or not at
all, so a process that dies after the commit loses no mail, and the outbox worker renders the message (templates
and calendar file) just before its first attempt, through `render`. What must be as it was at that moment
travels in the message's context: her sessions (ids) and the rounds she lost; a later change queues its own mail.
"""

from django.utils import translation

from werkconferentie.events.calendar import cancellation_calendar
from werkconferentie.events.models import WorkshopSession
from werkconferentie.outbox.mailing import (
    Attachment,
    ToRender,
    enqueue_many_to_render,
    enqueue_to_render,
    render_from_templates,
)
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.registration.links import link_expires_at, personal_url
from werkconferentie.registration.models import Registration

from .calendar import personal_calendar
from .models import Placement

# The programme mails are registration mails: found, listed and erased with the registration that caused them.
KIND = "registration"
TEMPLATE = "assignment/mail/programme"
# She had a published programme and the new one has no session for her at all.
DROPPED_TEMPLATE = "assignment/mail/dropped"


def _sessions(session_ids) -> list[Placement]:
    """Her programme as it was when the mail was caused: (unsaved) placements of these sessions, by round."""
    sessions = WorkshopSession.objects.filter(pk__in=list(session_ids)).select_related("round", "workshop")
    return [
        Placement(session=session, round=session.round, workshop=session.workshop)
        for session in sorted(sessions, key=lambda session: session.round.number)
    ]


def _context(registration, placements, dropped_round_ids=()) -> tuple[dict, list[Attachment]]:
    dropped = list(registration.event.rounds.filter(pk__in=dropped_round_ids).order_by("number"))
    context = {
        "registration": registration,
        "event": registration.event,
        "placements": placements,
        "dropped_rounds": dropped,
        "personal_url": personal_url(registration),
        "link_expires_at": link_expires_at(registration),
    }
    attachments = []
    slug = registration.event.slug
    with translation.override(registration.language):
        if placements:
            calendar = personal_calendar(registration, placements)
            attachments.append((f"{slug}-mijn-programma.ics", calendar, "text/calendar"))
        if dropped:
            # Takes the sessions she lost out of her calendar, by the UIDs of the file she got before.
            cancelled = cancellation_calendar(registration.event, registration.pk, rounds=dropped)
            attachments.append((f"{slug}-vervallen.ics", cancelled, "text/calendar"))
    return context, attachments


def render_programme(registration, run, dropped_round_ids=()):
    """(subject, text, html, attachments) of her programme mail in her language, as it would be sent now (for the
    organiser's preview before publishing; nothing is queued)."""
    from .runs import programme_of  # runs imports this module

    context, attachments = _context(registration, programme_of(run, registration), dropped_round_ids)
    template = TEMPLATE if context["placements"] else DROPPED_TEMPLATE
    subject, text, html = render_from_templates(template, context, registration.language)
    return subject, text, html, attachments


def programme(registration, run, *, dropped_round_ids=()) -> None:
    """Queue her programme mail as her programme in the run stands now (a reference row; call it inside the
    transaction of the change). `dropped_round_ids`: rounds she had a session in and has none in now."""
    sessions = sorted(run.placements.filter(registration=registration).values_list("session_id", flat=True))
    enqueue_to_render(
        registration.email,
        TEMPLATE if sessions else DROPPED_TEMPLATE,
        kind=KIND,
        object_id=registration.pk,
        language=registration.language,
        context={"run": run.pk, "sessions": sessions, "dropped_rounds": sorted(dropped_round_ids)},
    )


def programmes(run, changes) -> int:
    """Queue the mails of a publication: one reference row per changed programme, in a few bulk inserts (this runs
    under the capacity lock). `changes`: runs.ProgrammeChange rows, each with her sessions in the run. Returns how
    many were queued."""
    people = {
        pk: (email, language)
        for pk, email, language in Registration.objects.filter(
            pk__in=[change.registration_id for change in changes]
        ).values_list("pk", "email", "language")
    }
    return enqueue_many_to_render(
        ToRender(
            people[change.registration_id][0],
            TEMPLATE if change.has_programme else DROPPED_TEMPLATE,
            kind=KIND,
            object_id=change.registration_id,
            language=people[change.registration_id][1],
            context={
                "run": run.pk,
                "sessions": list(change.session_ids),
                "dropped_rounds": list(change.dropped_round_ids),
            },
        )
        for change in changes
        if change.registration_id in people
    )


def render(message: OutboxMessage) -> tuple[dict, list[Attachment]]:
    """The outbox worker's renderer for programme mails: her programme as it was when the mail was caused (the
    sessions travel in the message's context), her name, language and personal link as they are now."""
    registration = Registration.objects.select_related("event").get(pk=message.object_id)
    placements = _sessions(message.context.get("sessions", ()))
    return _context(registration, placements, message.context.get("dropped_rounds", ()))
