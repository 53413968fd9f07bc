"""Cancelling asks first, then confirms, and its mail's .ics cancels the appointments (issue 13, point 17)."""

import icalendar
import pytest
from django.urls import reverse

from assignment.helpers import register  # tests/ is on sys.path
from werkconferentie.assignment import runs
from werkconferentie.outbox.mailing import send_due
from werkconferentie.registration.enums import Status
from werkconferentie.registration.links import personal_token

pytestmark = pytest.mark.django_db


def calendar_of(message) -> icalendar.Calendar:
    (part,) = [a for a in message.iter_attachments() if a.get_content_type() == "text/calendar"]
    return icalendar.Calendar.from_ical(part.get_content())


def test_cancelling_asks_then_confirms_and_the_mail_cancels_the_same_appointments(open_event, client, smtp_server):
    person = register(open_event, 1)
    runs.publish(runs.run_engine(open_event))
    token = personal_token(person)
    cancel_url = reverse("registration:cancel", args=[token])

    asked = client.get(cancel_url).content.decode()
    assert "Ja, meld mij af" in asked
    person.refresh_from_db()
    assert person.status == Status.CONFIRMED  # looking at the question cancels nothing
    response = client.post(cancel_url)
    page = client.get(response["Location"]).content.decode()
    assert "U bent afgemeld" in page

    send_due()
    confirmation, programme, cancellation = smtp_server.messages
    booked = {str(v["uid"]) for m in (confirmation, programme) for v in calendar_of(m).walk("VEVENT")}
    cancelled = calendar_of(cancellation)
    assert str(cancelled["method"]) == "CANCEL"
    events = cancelled.walk("VEVENT")
    assert booked <= {str(v["uid"]) for v in events}
    assert all(str(v["status"]) == "CANCELLED" and int(v["sequence"]) >= 1 for v in events)
