"""The mails a registration causes. Each is queued in the outbox inside the caller's transaction.

Queuing only inserts a reference row (`enqueue_to_render`): the capacity transaction stays short, because it
holds the lock that every other sign-up waits for (on SQLite the whole database's write lock). The mail worker
renders the message before sending it, through `render`, in the language the person registered in. What must
be as it was when the mail was caused (the place on the waiting list) travels in the message's context; the
rest (name, workshops, personal link) is read when the mail is rendered.
"""

from django.utils import translation

from werkconferentie.events.calendar import cancellation_calendar, event_calendar, public_event_url
from werkconferentie.outbox.mailing import Attachment, enqueue_to_render
from werkconferentie.outbox.models import OutboxMessage

from .enums import Status
from .links import link_expires_at, personal_url
from .models import Registration

KIND = "registration"
TEMPLATES = "registration/mail/"


def _send(
    registration: Registration, template: str, *, with_calendar: bool = False, cancels: bool = False, position=None
) -> None:
    if position is None:
        from .signup import waitlist_position  # signup imports this module

        position = waitlist_position(registration)
    enqueue_to_render(
        registration.email,
        TEMPLATES + template,
        kind=KIND,
        object_id=registration.pk,
        language=registration.language,
        context={"waitlist_position": position, "calendar": with_calendar, "cancels": cancels},
    )


def render(message: OutboxMessage) -> tuple[dict, list[Attachment]]:
    """The template context and attachments of a registration's mail (the outbox worker's renderer)."""
    registration = Registration.objects.select_related("event").get(pk=message.object_id)
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "personal_url": personal_url(registration),
        "link_expires_at": link_expires_at(registration),
        "waitlist_position": message.context.get("waitlist_position"),
    }
    attachments = []
    if message.context.get("calendar"):
        with translation.override(message.language):
            calendar = event_calendar(event, url=public_event_url(event))
        attachments.append((f"{event.slug}.ics", calendar, "text/calendar"))
    if message.context.get("cancels"):
        with translation.override(message.language):
            calendar = cancellation_calendar(event, registration.pk)
        attachments.append((f"{event.slug}-afgemeld.ics", calendar, "text/calendar"))
    return context, attachments


def registered(registration: Registration, *, position: int | None = None) -> None:
    """`position`: the place on the waiting list, when the caller knows it already."""
    if registration.status == Status.CONFIRMED:
        _send(registration, "confirmed", with_calendar=True)
    else:
        _send(registration, "waitlisted", position=position)


def already_registered(registration: Registration) -> None:
    _send(registration, "already_registered")


def promoted(registration: Registration) -> None:
    _send(registration, "promoted", with_calendar=True)


def cancelled(registration: Registration) -> None:
    """With a calendar file that takes the conference (and her sessions) out of her calendar."""
    _send(registration, "cancelled", cancels=True)
