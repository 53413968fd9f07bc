"""A participant's own calendar: the conference and the workshop sessions she was assigned to."""

import icalendar
from django.utils import timezone

from werkconferentie.core.i18n import localized
from werkconferentie.events.calendar import PRODID, event_location, event_uid, public_event_url, session_uid
from werkconferentie.registration.models import Registration


def _vevent(uid, summary, start, end, location, description=""):
    vevent = icalendar.Event()
    vevent.add("uid", uid)
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", summary)
    vevent.add("location", location)
    if description:
        vevent.add("description", description)
    return vevent


def personal_calendar(registration: Registration, placements) -> bytes:
    """The whole conference as one appointment, and one appointment per assigned session (with its room).

    It carries the event's public page, never the personal link (see events.calendar.public_event_url).
    """
    event = registration.event
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", localized(event, "title"))
    place = event_location(event)
    url = public_event_url(event)
    calendar.add_component(
        _vevent(event_uid(event), localized(event, "title"), event.starts_at, event.ends_at, place, url)
    )
    for placement in placements:
        session = placement.session
        calendar.add_component(
            _vevent(
                session_uid(event, registration.pk, session.round.key),
                f"{localized(session.workshop, 'title')} ({localized(session.round, 'title')})",
                event.at(session.round.start_time),
                event.at(session.round.end_time),
                f"{session.room}, {place}" if session.room else place,
            )
        )
    calendar.add_missing_timezones()
    return calendar.to_ical()
