"""The event's mail pages in the back office (issue 13, points 9 and 10): what was sent, rendered with its
attachments, and messages to all participants or a selection, previewed, confirmed and sent through the outbox
in each person's language, with their history."""

import icalendar
import pytest
from django.urls import reverse

from assignment.helpers import SLUGS, register
from werkconferentie.assignment import runs
from werkconferentie.outbox.mailing import render_pending, send_due
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.registration import mailings, signup
from werkconferentie.registration.enums import Role, Status
from werkconferentie.registration.models import Mailing

from .factories import UserFactory
from .roles import ROLES, assert_only_the_organiser, assert_refused, role_client

pytestmark = pytest.mark.django_db


def url(name, event, *args):
    return reverse(f"admin:registration_registration_{name}", args=[event.slug, *args])


@pytest.fixture
def people(open_event):
    """Four people: Dutch and English, two roles, two municipalities; one on the waiting list; programme published."""
    open_event.capacity = 3
    open_event.save()
    anouk = register(open_event, 1, ranking=SLUGS)
    bram = register(open_event, 2, ranking=SLUGS, language="en", role=Role.ALDERMAN, municipality="GM0106")
    cor = register(open_event, 3, ranking=SLUGS[::-1])
    wim = register(open_event, 4, ranking=SLUGS)  # waiting list
    runs.publish(runs.run_engine(open_event))
    render_pending()  # the programme mails, as the mail worker renders them (with their .ics)
    return {"anouk": anouk, "bram": bram, "cor": cor, "wim": wim}


@pytest.fixture
def organiser_client(client, open_event):
    client.force_login(UserFactory(username="organisator", organiser_of=[open_event]))
    client.cookies["django_language"] = "en"
    return client


def message_form(**overrides):
    data = {
        "subject_nl": "Praktische informatie",
        "body_nl": "Parkeren kan achter het gemeentehuis.",
        "subject_en": "Practical information",
        "body_en": "You can park behind the town hall.",
        "statuses": ["confirmed"],
    }
    data.update(overrides)
    return data


# --- Who may see the pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organiser_of_the_event_sees_its_mail_pages(open_event, people, role):
    message = mailings.event_messages(open_event).filter(attachments__isnull=False).first()
    attachment = message.attachments.first()
    sent = mailings.send(open_event, mailings.Draft("Onderwerp", "Tekst"), mailings.Audience())
    client = role_client(role, open_event, people["anouk"])
    for address in (
        url("mail", open_event),
        url("mail_compose", open_event),
        url("mailing", open_event, sent.pk),
        url("mail_message", open_event, message.pk),
        url("mail_attachment", open_event, message.pk, attachment.pk),
    ):
        assert_only_the_organiser(role, client.get(address))
    before = OutboxMessage.objects.count()
    response = client.post(url("mail_compose", open_event), {**message_form(), "confirm": "1"})
    if role == "organiser":
        assert response.status_code == 302
    else:
        assert_refused(role, response)
        assert OutboxMessage.objects.count() == before


def test_a_message_of_another_event_is_not_found(organiser_client, open_event, people, other_event):
    elsewhere = OutboxMessage.objects.create(
        recipient="x@example.org",
        subject="Elders",
        body_text="x",
        message_id="<elders@test>",
        kind="registration",
        object_id="999999",
    )
    assert organiser_client.get(url("mail_message", open_event, elsewhere.pk)).status_code == 404


# --- Point 10: the sent mail, rendered, with its attachments ---------------------------------------------------


def test_the_mail_page_shows_each_mail_rendered_with_its_attachments(organiser_client, open_event, people):
    page = organiser_client.get(url("mail", open_event)).content.decode()
    confirmation = mailings.event_messages(open_event).filter(recipient=people["bram"].email).order_by("pk").first()
    assert people["bram"].email in page and url("mail_message", open_event, confirmation.pk) in page
    shown = organiser_client.get(url("mail_message", open_event, confirmation.pk)).content.decode()
    assert "You are registered" in shown and "Dear Deelnemer 2" in shown  # rendered, in his language
    confirmation.refresh_from_db()
    (attachment,) = confirmation.attachments.all()
    link = url("mail_attachment", open_event, confirmation.pk, attachment.pk)
    assert link in shown and "roden-2022.ics" in shown
    download = organiser_client.get(link)
    assert download["Content-Type"].startswith("text/calendar")
    assert icalendar.Calendar.from_ical(download.content).walk("VEVENT")


def test_the_console_prints_one_line_per_mail(open_event, people, settings, capsys):
    settings.EMAIL_BACKEND = "werkconferentie.outbox.console.EmailBackend"
    capsys.readouterr()
    counts = send_due()
    printed = capsys.readouterr().out.strip().splitlines()
    assert counts.sent == len(printed) == OutboxMessage.objects.count()
    assert all(" mail to " in line for line in printed)
    assert any("roden-2022.ics" in line for line in printed)
    assert "BEGIN:VTIMEZONE" not in "\n".join(printed)


# --- Point 9: messages to participants ---------------------------------------------------------------------------


def test_compose_preview_confirm_send_in_each_language_with_history(organiser_client, open_event, people, smtp_server):
    send_due()
    already = len(smtp_server.messages)
    preview = organiser_client.post(url("mail_compose", open_event), message_form())
    page = preview.content.decode()
    assert preview.status_code == 200 and "This message goes to 3 people" in page
    assert "(1 of them registered in English)" in page
    assert "Beste Deelnemer 1" in page and "Parkeren kan achter het gemeentehuis." in page  # the Dutch mail
    assert "Dear Deelnemer 2" in page and "You can park behind the town hall." in page  # the English mail
    assert "Deelnemer 4" not in page  # on the waiting list, not chosen
    assert not Mailing.objects.exists()

    response = organiser_client.post(url("mail_compose", open_event), {**message_form(), "confirm": "1"})
    assert response.status_code == 302
    (sent,) = Mailing.objects.all()
    assert sent.recipient_count == 3 and sent.messages.count() == 3
    send_due()
    mails = {m["To"]: m for m in smtp_server.messages[already:]}
    assert set(mails) == {people[n].email for n in ("anouk", "bram", "cor")}
    assert mails[people["bram"].email]["Subject"] == "Practical information"
    assert mails[people["anouk"].email]["Subject"] == "Praktische informatie"
    assert "/aanmelding/" in mails[people["anouk"].email].get_body(("plain",)).get_content()

    history = organiser_client.get(url("mail", open_event)).content.decode()
    assert "Praktische informatie" in history and url("mailing", open_event, sent.pk) in history
    detail = organiser_client.get(url("mailing", open_event, sent.pk)).content.decode()
    assert people["bram"].email in detail and "Sent" in detail


def test_without_english_everyone_gets_the_dutch(open_event, people):
    draft = mailings.Draft("Herinnering", "Tot morgen!")
    subject, text = mailings.render(draft, people["bram"])
    assert subject == "Herinnering" and "Tot morgen!" in text and text.startswith("Dear Deelnemer 2")


def test_the_selection(open_event, people):
    def names(**audience):
        return {r.name for r in mailings.recipients(open_event, mailings.Audience(**audience))}

    assert names() == {"Deelnemer 1", "Deelnemer 2", "Deelnemer 3"}
    assert names(statuses=[Status.WAITLISTED]) == {"Deelnemer 4"}
    assert names(roles=[Role.ALDERMAN]) == {"Deelnemer 2"}
    assert names(municipalities=["GM0106"], statuses=[Status.CONFIRMED, Status.WAITLISTED]) == {"Deelnemer 2"}
    run = runs.published_run(open_event)
    session = runs.programme_of(run, people["cor"])[0].session
    in_session = {p.registration.name for p in run.placements.filter(session=session).select_related("registration")}
    assert names(sessions=[session.pk]) == in_session and "Deelnemer 3" in in_session
    signup.cancel(people["anouk"])
    assert "Deelnemer 1" not in names(statuses=[Status.CONFIRMED, Status.WAITLISTED, Status.CANCELLED])


def test_english_needs_both_subject_and_text(organiser_client, open_event, people):
    response = organiser_client.post(url("mail_compose", open_event), message_form(body_en=""))
    assert response.status_code == 400 and "or neither" in response.content.decode()
