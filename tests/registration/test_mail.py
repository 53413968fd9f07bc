"""A registration's mail is queued as a reference inside the capacity transaction and rendered by the worker."""

import re

import icalendar
import pytest

from werkconferentie.outbox.mailing import send_due
from werkconferentie.outbox.models import OutboxAttachment, OutboxMessage
from werkconferentie.reference.models import Municipality
from werkconferentie.registration import privacy, signup
from werkconferentie.registration.enums import Role
from werkconferentie.registration.links import personal_url, registration_from_token

pytestmark = pytest.mark.django_db


def sign_up(event, n, **overrides):
    values = {
        "name": f"Deelnemer {n}",
        "email": f"deelnemer{n}@example.org",
        "role": Role.COUNCIL_MEMBER,
        "municipality": Municipality.objects.get(pk="GM1730"),
        "preferences": list(event.workshops.order_by("number")[:1]),
    }
    values.update(overrides)
    return signup.register(event, signup.SignupData(**values)).registration


def test_the_capacity_transaction_queues_only_a_reference(open_event):
    registration = sign_up(open_event, 1, language="en")
    message = OutboxMessage.objects.get()
    assert (message.recipient, message.language, message.kind, message.object_id) == (
        registration.email,
        "en",
        "registration",
        str(registration.pk),
    )
    assert message.template == "registration/mail/confirmed" and message.context["calendar"] is True
    assert message.subject == message.body_text == "" and not OutboxAttachment.objects.exists()


def test_the_worker_sends_it_in_the_persons_language_with_the_calendar(open_event, smtp_server):
    english = sign_up(open_event, 1, language="en")
    dutch = sign_up(open_event, 2, language="nl")

    assert send_due().sent == 2

    en, nl = smtp_server.messages
    assert en["To"] == english.email and en["Subject"].startswith("You are registered")
    assert nl["To"] == dutch.email and "aangemeld" in nl["Subject"].lower()
    # The link is signed with a time stamp (a second's resolution): compare what it opens, not its text.
    prefix = personal_url(english).split("/aanmelding/")[0] + "/aanmelding/"
    token = re.search(re.escape(prefix) + r"([^/\s]+)/", en.get_body(("plain",)).get_content()).group(1)
    assert registration_from_token(token) == english
    assert en["Content-Language"] == "en"
    for sent in (en, nl):
        (attachment,) = list(sent.iter_attachments())
        assert attachment.get_filename() == "roden-2022.ics"
        (vevent,) = icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")
        assert vevent["dtstart"].dt == open_event.starts_at
    assert OutboxMessage.objects.filter(template="").count() == 2  # rendered and stored: a retry sends the same


def test_the_waiting_list_place_is_the_one_at_sign_up(open_event, smtp_server):
    open_event.capacity = 1
    open_event.save()
    first = sign_up(open_event, 1)
    sign_up(open_event, 2)
    waiting = sign_up(open_event, 3)
    signup.cancel(first)  # the second moves up; the third is now first on the list, but was second when mailed

    send_due()

    (waitlisted,) = [m for m in smtp_server.messages if m["To"] == waiting.email]
    assert "nummer 2 op de wachtlijst" in waitlisted.get_body(("plain",)).get_content()


def test_erasure_removes_a_mail_not_rendered_yet(open_event):
    registration = sign_up(open_event, 1)
    assert OutboxMessage.objects.filter(template__gt="").exists()
    privacy.erase_email(registration.email)
    assert not OutboxMessage.objects.exists()
