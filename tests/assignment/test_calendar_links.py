"""Calendar files carry the event's public page, never the personal link (issue 13, point 7).

Calendars of mayors are kept by secretaries and often shared; the personal link changes, cancels and downloads
a registration. Both .ics files are checked as they arrive at a real SMTP server, and the one downloaded.
"""

import re

import icalendar
import pytest
from django.conf import settings
from django.urls import reverse

from werkconferentie.assignment import runs
from werkconferentie.outbox.mailing import send_due
from werkconferentie.registration.links import personal_token, registration_from_token

from .helpers import register

pytestmark = pytest.mark.django_db


def calendars(message):
    return [a.get_content() for a in message.iter_attachments() if a.get_content_type() == "text/calendar"]


def assert_public_only(ics, registration):
    text = ics.decode() if isinstance(ics, bytes) else ics
    unfolded = text.replace("\r\n ", "")
    token = personal_token(registration)
    assert token not in unfolded and "/aanmelding/" not in unfolded
    descriptions = [str(v.get("description", "")) for v in icalendar.Calendar.from_ical(text).walk("VEVENT")]
    assert settings.SITE_URL + registration.event.get_absolute_url() in descriptions[0]


def test_the_confirmation_and_programme_calendars_carry_the_public_page(open_event, smtp_server, client):
    person = register(open_event, 1)
    runs.publish(runs.run_engine(open_event))
    send_due()
    confirmation, programme = smtp_server.messages
    # The mail keeps the link (its token carries the second it was signed, so compare whom it opens).
    mailed = re.search(r"/aanmelding/([^/\s]+)/", confirmation.get_body(("plain",)).get_content())
    assert mailed and registration_from_token(mailed.group(1)) == person
    for message in (confirmation, programme):
        (ics,) = calendars(message)
        assert_public_only(ics, person)
    download = client.get(reverse("assignment:programme_ics", args=[personal_token(person)]))
    assert_public_only(download.content, person)
