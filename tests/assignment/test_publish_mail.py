"""Publishing queues its mails under the capacity lock without rendering them, and mails those it leaves out
(issue 14, point 9)."""

import icalendar
import pytest
from django.db import transaction
from django.test.signals import template_rendered
from django.urls import reverse

from registration.factories import UserFactory
from werkconferentie.assignment import runs
from werkconferentie.events.calendar import session_uid
from werkconferentie.outbox.mailing import render_pending, send_due
from werkconferentie.outbox.models import OutboxMessage

from .helpers import register


def plain(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def calendars(mail) -> list[icalendar.Calendar]:
    return [
        icalendar.Calendar.from_ical(part.get_content())
        for part in mail.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]


@pytest.fixture
def twelve(open_event):
    return open_event, [register(open_event, n) for n in range(12)]


@pytest.mark.django_db(transaction=True)
def test_no_mail_is_rendered_while_publishing_holds_the_lock(twelve):
    """The capacity lock is held for the whole of publish's transaction (BEGIN IMMEDIATE on SQLite, the event's row
    on PostgreSQL), so a template rendered inside any transaction during publish() was rendered under the lock.
    Django's test environment sends `template_rendered` for every template it renders."""
    event, people = twelve
    run = runs.run_engine(event)
    OutboxMessage.objects.all().delete()
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append((template.name, transaction.get_connection().in_atomic_block))

    template_rendered.connect(record)
    try:
        changes = runs.publish(run)
        assert rendered == []
        assert render_pending() == len(changes) == 12
    finally:
        template_rendered.disconnect(record)
    # The worker does render them, outside any transaction (so the hook above does see rendering).
    assert rendered and not any(in_transaction for _name, in_transaction in rendered)
    assert {name for name, _ in rendered} >= {"assignment/mail/programme.txt", "assignment/mail/programme_subject.txt"}
    assert not OutboxMessage.objects.exclude(template="").exists()


@pytest.mark.django_db
def test_publishing_queues_references_that_commit_with_the_publication(twelve):
    event, people = twelve
    OutboxMessage.objects.all().delete()
    run = runs.run_engine(event)
    runs.publish(run)
    queued = OutboxMessage.objects.filter(kind="registration")
    assert queued.count() == 12
    assert all(m.template == "assignment/mail/programme" and m.subject == "" for m in queued)
    assert {m.context["run"] for m in queued} == {run.pk}
    # Her programme as published travels with the row: the worker renders that, whenever it runs.
    for message in queued:
        sessions = run.placements.filter(registration_id=message.object_id).values_list("session_id", flat=True)
        assert message.context["sessions"] == sorted(sessions)


@pytest.mark.django_db
def test_someone_a_new_publication_leaves_without_a_seat_gets_a_mail_saying_so(twelve, smtp_server):
    event, people = twelve
    runs.publish(runs.run_engine(event))
    send_due()
    first_round = event.rounds.order_by("number").first()
    sessions = list(first_round.sessions.order_by("pk"))
    # Round 1 now seats two people fewer than there are: the new run must leave two out.
    for session in sessions:
        session.capacity = 0
        session.save()
    sessions[0].capacity, sessions[1].capacity = 5, 5
    sessions[0].save()
    sessions[1].save()
    second = runs.run_engine(event)
    left_out = {int(pk) for pk in second.stats["unassigned"]}
    assert len(left_out) == 2

    before = len(smtp_server.messages)
    changes = runs.publish(second)
    assert {c.registration_id for c in changes if not c.has_programme} == left_out
    send_due()
    mails = {mail["To"]: mail for mail in smtp_server.messages[before:]}
    for person in people:
        if person.pk in left_out:
            mail = mails[person.email]
            assert mail["Subject"].startswith("Uw programma is veranderd")
            assert "geen plaats in een workshop" in plain(mail)
            # No programme file; one that cancels the sessions she had, by the UIDs of the file she got before.
            (calendar,) = calendars(mail)
            assert str(calendar["method"]) == "CANCEL"
            cancelled = {str(v["uid"]) for v in calendar.walk("VEVENT")}
            assert cancelled == {session_uid(event, person.pk, key) for key in ("ronde-1", "ronde-2")}


@pytest.mark.django_db
def test_someone_who_loses_one_round_is_told_which(twelve, smtp_server, client):
    event, people = twelve
    runs.publish(runs.run_engine(event))
    second = runs.run_engine(event)
    anouk = people[0]
    first_round = event.rounds.order_by("number").first()
    # A run in which she has no seat in round 1 any more (as when an organiser's pins fill it).
    second.placements.filter(registration=anouk, round=first_round).delete()
    preview = runs.preview_publication(second)
    assert preview.dropped == 1 and anouk in preview.recipients
    # The organiser is told before she confirms.
    client.force_login(UserFactory(username="organisator", organiser_of=[event]))
    url = reverse("admin:assignment_assignmentrun_event", args=[event.slug])
    asked = client.post(url, {"action": "publish", "run": second.number}, headers={"Accept-Language": "nl"})
    assert "1 deelnemer verliest een sessie die ze had" in asked.content.decode()
    send_due()
    before = len(smtp_server.messages)
    runs.publish(second)
    send_due()
    (mail,) = [m for m in smtp_server.messages[before:] if m["To"] == anouk.email]
    text = plain(mail)
    assert mail["Subject"].startswith("Uw programma")
    assert f"geen plaats meer in: {first_round.loc('title')}." in text
    programme, cancelling = calendars(mail)
    assert str(programme["method"]) == "PUBLISH" and str(cancelling["method"]) == "CANCEL"
    assert [str(v["uid"]) for v in cancelling.walk("VEVENT")] == [session_uid(event, anouk.pk, first_round.key)]
    kept = runs.programme_of(second, anouk)
    assert len(kept) == 1 and kept[0].session.workshop.loc("title") in text
