"""The mail with a participant's personal programme, queued in the outbox in the caller's transaction."""

from django.utils import translation

from werkconferentie.outbox.mailing import enqueue, render_from_templates
from werkconferentie.registration.links import link_expires_at, personal_url

from .calendar import personal_calendar

TEMPLATE = "assignment/mail/programme"


def render_programme(registration, run):
    """(subject, text, html, attachments) of her programme mail in her language, as it would be sent now."""
    from .runs import programme_of

    placements = programme_of(run, registration)
    with translation.override(registration.language):
        calendar = personal_calendar(registration, placements)
    context = {
        "registration": registration,
        "event": registration.event,
        "placements": placements,
        "personal_url": personal_url(registration),
        "link_expires_at": link_expires_at(registration),
    }
    subject, text, html = render_from_templates(TEMPLATE, context, registration.language)
    attachments = [(f"{registration.event.slug}-mijn-programma.ics", calendar, "text/calendar")]
    return subject, text, html, attachments


def programme(registration, run) -> None:
    subject, text, html, attachments = render_programme(registration, run)
    enqueue(
        registration.email,
        subject,
        text,
        html,
        attachments=attachments,
        language=registration.language,
        kind="registration",
        object_id=registration.pk,
    )
