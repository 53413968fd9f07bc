"""The mail with a participant's personal programme, queued in the outbox in the caller's transaction."""

from django.utils import translation

from werkconferentie.outbox.mailing import enqueue_from_templates
from werkconferentie.registration.links import link_expires_at, personal_url

from .calendar import personal_calendar


def programme(registration, run) -> None:
    from .runs import programme_of

    placements = programme_of(run, registration)
    url = personal_url(registration)
    with translation.override(registration.language):
        calendar = personal_calendar(registration, placements)
    enqueue_from_templates(
        registration.email,
        "assignment/mail/programme",
        {
            "registration": registration,
            "event": registration.event,
            "placements": placements,
            "personal_url": url,
            "link_expires_at": link_expires_at(registration),
        },
        language=registration.language,
        attachments=[(f"{registration.event.slug}-mijn-programma.ics", calendar, "text/calendar")],
        kind="registration",
        object_id=registration.pk,
    )
