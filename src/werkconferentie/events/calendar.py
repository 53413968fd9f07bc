"""Calendar files (.ics, RFC 5545) for an event: the conference as one appointment, or its programme."""

import datetime as dt

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from werkconferentie.core.i18n import localized

from .enums import ItemKind
from .models import Event, ProgrammeItem

PRODID = "-//werkconferentie//werkconferentie//NL"


def _calendar(event: Event) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", localized(event, "title"))
    calendar.add("x-wr-timezone", event.time_zone)
    return calendar


def event_location(event: Event) -> str:
    return ", ".join(
        part
        for part in (event.venue_name, event.venue_street, f"{event.venue_postcode} {event.venue_city}".strip())
        if part
    )


def _vevent(uid: str, summary: str, start: dt.datetime, end: dt.datetime, event: Event, description: str = ""):
    vevent = icalendar.Event()
    vevent.add("uid", uid)
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", summary)
    vevent.add("location", event_location(event))
    if description:
        vevent.add("description", description)
    vevent.add("organizer", f"mailto:{event.contact_email}")
    return vevent


def event_uid(event: Event) -> str:
    """The conference appointment's UID, the same in every calendar file, so that a later file updates it."""
    return f"{event.slug}@werkconferentie"


def session_uid(event: Event, registration_id: int, round_key: str) -> str:
    """The UID of one person's workshop session in a round (her programme's appointments)."""
    return f"{event.slug}-{registration_id}-{round_key}@werkconferentie"


def cancellation_calendar(event: Event, registration_id: int, rounds=None) -> bytes:
    """METHOD:CANCEL for a person's appointments: the conference and her session in each round, by the same UIDs
    as the files she got, so her calendar program removes them (RFC 5546). With `rounds`, only her sessions in
    those rounds (she lost them in a new programme; the conference stays)."""
    calendar = _calendar(event)
    calendar["method"] = "CANCEL"
    title = localized(event, "title")
    appointments = [(event_uid(event), title, event.starts_at, event.ends_at)] if rounds is None else []
    appointments += [
        (session_uid(event, registration_id, round_.key), title, event.at(round_.start_time), event.at(round_.end_time))
        for round_ in (event.rounds.order_by("number") if rounds is None else rounds)
    ]
    for uid, summary, start, end in appointments:
        vevent = _vevent(uid, summary, start, end, event)
        vevent.add("status", "CANCELLED")
        vevent.add("sequence", 1)
        calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def public_event_url(event: Event) -> str:
    """The event's public page, absolute: the only link a calendar file carries.

    Calendars of mayors are kept by secretaries and often shared, so a personal link (change, cancel, download
    data) never goes into one; the mail beside the calendar file carries it.
    """
    return settings.SITE_URL + event.get_absolute_url()


def event_calendar(event: Event, url: str = "") -> bytes:
    """The whole conference as one appointment, its programme in the description; `url` is a public address."""
    calendar = _calendar(event)
    lines = [localized(event, "theme")] if event.theme_nl else []
    lines += [f"{item.start_time:%H:%M} {localized(item, 'title')}" for item in event.programme.all()]
    if url:
        lines.append(url)
    calendar.add_component(
        _vevent(
            event_uid(event),
            localized(event, "title"),
            event.starts_at,
            event.ends_at,
            event,
            "\n".join(lines),
        )
    )
    calendar.add_missing_timezones()
    return calendar.to_ical()


def item_end(item: ProgrammeItem, following: ProgrammeItem | None, event: Event) -> dt.time:
    """An item without an end time lasts until the next item starts, or until the event ends."""
    if item.end_time:
        return item.end_time
    if following and following.start_time > item.start_time:
        return following.start_time
    return event.end_time


def programme_calendar(event: Event) -> bytes:
    """Every programme item as its own appointment (the marker 'end of programme' left out)."""
    calendar = _calendar(event)
    items = list(event.programme.prefetch_related("speaker_links__speaker"))
    for index, item in enumerate(items):
        if item.kind == ItemKind.END:
            continue
        following = next((later for later in items[index + 1 :] if later.start_time > item.start_time), None)
        end = item_end(item, following, event)
        if end <= item.start_time:
            continue
        speakers = ", ".join(speaker.name for speaker in item.ordered_speakers)
        description = "\n".join(
            part
            for part in (localized(item, "description"), _("With: %(names)s") % {"names": speakers} if speakers else "")
            if part
        )
        calendar.add_component(
            _vevent(
                f"{event.slug}-{index + 1}@werkconferentie",
                localized(item, "title"),
                event.at(item.start_time),
                event.at(end),
                event,
                description,
            )
        )
    calendar.add_missing_timezones()
    return calendar.to_ical()
