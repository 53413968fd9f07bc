"""The outbox against a real SMTP server on loopback: what arrives, and that nothing is lost or sent twice."""

import datetime as dt

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from werkconferentie.outbox.enums import MessageState
from werkconferentie.outbox.mailing import (
    enqueue,
    enqueue_from_templates,
    erase_caused_by,
    erase_recipient,
    purge_sent,
    retry_delay,
    retry_now,
    send_due,
)
from werkconferentie.outbox.models import OutboxAttachment, OutboxMessage


def calendar_file() -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//werkconferentie//test//NL")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", "roden-2022@werkconferentie")
    event.add("summary", "Mini-werkconferentie Kinderrechten – Roden")
    event.add("dtstamp", dt.datetime(2022, 9, 1, tzinfo=dt.UTC))
    event.add("dtstart", dt.datetime(2022, 10, 6, 9, 30, tzinfo=timezone.get_default_timezone()))
    event.add("dtend", dt.datetime(2022, 10, 6, 16, 0, tzinfo=timezone.get_default_timezone()))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def state_of(message: OutboxMessage) -> str:
    message.refresh_from_db()
    return message.state


def test_queued_mail_arrives_in_its_language_with_html_and_calendar(db, smtp_server, mail_templates):
    ics = calendar_file()
    dutch = enqueue_from_templates(
        "raadslid@tynaarlo.example",
        "outbox_test/welcome",
        {"name": "Jansen & Zn"},
        language="nl",
        attachments=[("roden-2022.ics", ics, "text/calendar")],
        kind="registration",
        object_id=7,
    )
    english = enqueue_from_templates(
        "member@example.org", "outbox_test/welcome", {"name": "Jansen & Zn"}, language="en"
    )
    assert (dutch.kind, dutch.object_id) == ("registration", "7")

    counts = send_due()

    assert (counts.sent, counts.retrying, counts.failed) == (2, 0, 0)
    assert state_of(dutch) == state_of(english) == MessageState.SENT
    first, second = smtp_server.mailbox.envelopes
    assert first.rcpt_tos == ["raadslid@tynaarlo.example"] and first.mail_from == "werkconferentie@example.org"
    nl, en = smtp_server.messages
    # The subject's template spans two lines; a header cannot, so they are joined.
    assert nl["Subject"] == "Beheer werkconferentie: Jansen & Zn"
    assert en["Subject"] == "Work conference back office: Jansen & Zn"
    assert nl["Content-Language"] == "nl" and en["Content-Language"] == "en"
    assert nl["Message-ID"] == dutch.message_id and en["Message-ID"] == english.message_id
    # Plain text is not HTML-escaped; the HTML alternative is.
    assert nl.get_body(("plain",)).get_content().strip() == "Engels: Jansen & Zn"
    assert en.get_body(("plain",)).get_content().strip() == "English: Jansen & Zn"
    assert "<b>Jansen &amp; Zn</b>" in nl.get_body(("html",)).get_content()

    (attachment,) = list(nl.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "roden-2022.ics"
    parsed = icalendar.Calendar.from_ical(attachment.get_content())
    (event,) = parsed.walk("VEVENT")
    assert str(event["summary"]) == "Mini-werkconferentie Kinderrechten – Roden"
    assert parsed.walk("VTIMEZONE"), "the calendar keeps its time zone"
    assert not list(en.iter_attachments())


def test_enqueue_commits_or_rolls_back_with_the_callers_transaction(transactional_db):
    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        enqueue("a@example.org", "Bevestiging", "Tekst", attachments=[("a.ics", b"BEGIN:VCALENDAR", None)])
        raise Refused
    assert not OutboxMessage.objects.exists() and not OutboxAttachment.objects.exists()

    with transaction.atomic():
        message = enqueue("a@example.org", "Bevestiging", "Tekst", attachments=[("a.ics", "BEGIN:VCALENDAR", None)])
    assert OutboxMessage.objects.get() == message
    assert message.attachments.get().mimetype == "text/calendar"  # guessed from the name


def test_enqueue_makes_a_subject_fit_for_a_header(db):
    message = enqueue("a@example.org", "Bevestiging\n  van je aanmelding " + "x" * 600, "Tekst")
    assert message.subject.startswith("Bevestiging van je aanmelding xxx") and len(message.subject) == 500
    message.refresh_from_db()
    assert len(message.subject) == 500


def test_enqueue_refuses_what_could_never_be_sent(db):
    with pytest.raises(ValidationError):
        enqueue("not an address", "Onderwerp", "Tekst")
    with pytest.raises(ValidationError):
        enqueue("a@example.org, b@example.org", "Onderwerp", "Tekst")


def test_smtp_server_down_loses_nothing_and_restarted_sends_each_once(db, smtp_server):
    queued = [enqueue(f"deelnemer{n}@example.org", f"Bericht {n}", "Tekst") for n in range(3)]
    smtp_server.stop()
    start = timezone.now()

    counts = send_due(now=start)

    # The server is unreachable: one message records the failure, the others are not even tried.
    assert (counts.sent, counts.retrying, counts.failed) == (0, 1, 0)
    first = OutboxMessage.objects.get(pk=queued[0].pk)
    assert (first.state, first.attempts) == (MessageState.PENDING, 1)
    assert first.next_attempt_at == start + dt.timedelta(seconds=10)
    assert "ConnectionRefusedError" in first.last_error and "deelnemer0" not in first.last_error
    assert OutboxMessage.objects.filter(attempts=0, state=MessageState.PENDING).count() == 2

    # Rounds while it stays down: each remaining message gets its try and its back-off, then nothing is due.
    while send_due(now=start).total:
        pass
    assert set(OutboxMessage.objects.values_list("state", "attempts")) == {(MessageState.PENDING, 1)}

    smtp_server.start()
    assert send_due(now=start + dt.timedelta(seconds=5)).total == 0, "not due before its back-off"
    counts = send_due(now=start + dt.timedelta(seconds=11))
    assert counts.sent == 3
    assert send_due(now=start + dt.timedelta(days=1)).total == 0

    received = [message["Message-ID"] for message in smtp_server.messages]
    assert sorted(received) == sorted(message.message_id for message in queued)
    assert not OutboxMessage.objects.exclude(state=MessageState.SENT).exists()
    assert not OutboxMessage.objects.exclude(last_error="").exists()


def test_back_off_doubles_up_to_its_cap_and_gives_up_after_the_last_attempt(db, smtp_server, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 4
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 8, 9, 20, 100)] == [10, 20, 40, 1280, 1800, 1800, 1800]
    message = enqueue("deelnemer@example.org", "Bericht", "Tekst")
    smtp_server.stop()
    now = timezone.now()
    delays = []
    for _attempt in range(3):
        assert send_due(now=now).retrying == 1
        message.refresh_from_db()
        delays.append((message.next_attempt_at - now).total_seconds())
        now = message.next_attempt_at
    assert delays == [10, 20, 40]
    assert send_due(now=now).failed == 1
    assert state_of(message) == MessageState.FAILED
    assert send_due(now=now + dt.timedelta(days=1)).total == 0, "a failed message is not tried again by itself"

    # Once the server is back, the back office's "send again now" gives it a fresh set of attempts.
    smtp_server.start()
    assert retry_now(OutboxMessage.objects.all()) == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.PENDING, 0)
    assert send_due().sent == 1 and len(smtp_server.messages) == 1


def test_a_refused_recipient_is_retried_and_the_round_goes_on(db, smtp_server):
    async def refuse_unknown(server, session, envelope, address, rcpt_options):
        if address.lower().startswith("onbekend"):
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_server.mailbox.handle_RCPT = refuse_unknown
    smtp_server.stop()
    smtp_server.start()  # the handler's hooks are looked up when the server starts
    refused = enqueue("Onbekend@Example.org", "Bericht", "Tekst")
    delivered = enqueue("bekend@example.org", "Bericht", "Tekst")

    counts = send_due()

    assert (counts.sent, counts.retrying) == (1, 1)
    assert state_of(delivered) == MessageState.SENT
    assert state_of(refused) == MessageState.PENDING
    assert "550" in refused.last_error and "SMTPRecipientsRefused" in refused.last_error
    assert "onbekend" not in refused.last_error.lower(), "the address is not kept in the error"


def test_a_message_whose_worker_died_is_sent_again_after_its_lease(db, smtp_server):
    now = timezone.now()
    abandoned = enqueue("a@example.org", "Achtergelaten", "Tekst")
    in_hand = enqueue("b@example.org", "In behandeling", "Tekst")
    OutboxMessage.objects.filter(pk=abandoned.pk).update(
        state=MessageState.SENDING, attempts=1, next_attempt_at=now - dt.timedelta(seconds=1)
    )
    OutboxMessage.objects.filter(pk=in_hand.pk).update(
        state=MessageState.SENDING, attempts=1, next_attempt_at=now + dt.timedelta(minutes=4)
    )

    assert send_due(now=now).sent == 1

    assert [message["Subject"] for message in smtp_server.messages] == ["Achtergelaten"]
    abandoned.refresh_from_db()
    assert (abandoned.state, abandoned.attempts) == (MessageState.SENT, 2)
    assert state_of(in_hand) == MessageState.SENDING, "a live worker's claim is left alone"


def test_a_worker_dying_on_the_last_attempt_fails_the_message_without_sending(db, smtp_server, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    message = enqueue("a@example.org", "Gifpil", "Tekst")
    past = timezone.now() - dt.timedelta(seconds=1)
    OutboxMessage.objects.filter(pk=message.pk).update(state=MessageState.SENDING, attempts=3, next_attempt_at=past)

    assert send_due().total == 0
    assert state_of(message) == MessageState.FAILED and not smtp_server.messages


def test_erasure_and_purge(db):
    sent = enqueue("Raadslid@Tynaarlo.example", "Bevestiging", "Tekst", attachments=[("a.ics", b"x", None)])
    OutboxMessage.objects.filter(pk=sent.pk).update(
        state=MessageState.SENT, sent_at=timezone.now() - dt.timedelta(days=40)
    )
    enqueue("raadslid@tynaarlo.example", "Herinnering", "Tekst")
    enqueue("organisator@example.org", "Nieuwe aanmelding", "Tekst", kind="registration.new", object_id=12)
    other = enqueue("ander@example.org", "Bevestiging", "Tekst")
    OutboxMessage.objects.filter(pk=other.pk).update(
        state=MessageState.SENT, sent_at=timezone.now() - dt.timedelta(days=10)
    )

    assert erase_recipient(" raadslid@TYNAARLO.example ") == 2
    assert not OutboxAttachment.objects.exists()
    assert erase_caused_by("registration.new", 12) == 1
    assert purge_sent(dt.timedelta(days=30)) == 0
    assert purge_sent(dt.timedelta(days=7)) == 1
    assert not OutboxMessage.objects.exists()
