"""The mails a registration causes. Each is queued in the outbox inside the caller's transaction."""

from django.utils import translation

from werkconferentie.events.calendar import event_calendar
from werkconferentie.outbox.mailing import enqueue_from_templates

from .enums import Status
from .links import link_expires_at, personal_url
from .models import Registration

KIND = "registration"


def _send(registration: Registration, template: str, *, with_calendar: bool = False) -> None:
    from .signup import waitlist_position  # signup imports this module

    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "personal_url": personal_url(registration),
        "link_expires_at": link_expires_at(registration),
        "waitlist_position": waitlist_position(registration),
    }
    attachments = []
    if with_calendar:
        with translation.override(registration.language):
            calendar = event_calendar(event, url=context["personal_url"])
        attachments.append((f"{event.slug}.ics", calendar, "text/calendar"))
    enqueue_from_templates(
        registration.email,
        f"registration/mail/{template}",
        context,
        language=registration.language,
        attachments=attachments,
        kind=KIND,
        object_id=registration.pk,
    )


def registered(registration: Registration) -> None:
    if registration.status == Status.CONFIRMED:
        _send(registration, "confirmed", with_calendar=True)
    else:
        _send(registration, "waitlisted")


def already_registered(registration: Registration) -> None:
    _send(registration, "already_registered")


def promoted(registration: Registration) -> None:
    _send(registration, "promoted", with_calendar=True)


def cancelled(registration: Registration) -> None:
    _send(registration, "cancelled")
