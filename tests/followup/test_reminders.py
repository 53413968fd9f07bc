"""Reminders to the update contacts: the schedule, who gets one, exactly once, through the outbox and real SMTP."""

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from werkconferentie.followup import links, reminders
from werkconferentie.followup.commitments import update_commitment
from werkconferentie.followup.history import Actor
from werkconferentie.followup.models import CommitmentChange, FollowupSettings, SentReminder, UpdateContact
from werkconferentie.outbox.mailing import send_due
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.outcomes.models import LetterDispatch

pytestmark = pytest.mark.django_db

# The example conference's target date is 20 November 2022.


def at(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10), tzinfo=dt.UTC)


@pytest.fixture
def invited(contact, other_contact, commitment):
    """Both contacts got their link; Noordenveld has one open commitment, Tynaarlo none yet."""
    for person in (contact, other_contact):
        person.link_sent_at = timezone.now()
        person.save()
    return contact


def body_of(message) -> str:
    part = message.get_payload()[0] if message.is_multipart() else message
    return part.get_payload(decode=True).decode()


def stages(now):
    return sorted((r.contact.email, r.stage.name) for r in reminders.due_reminders(now))


def test_the_schedule_sends_the_latest_stage_once(invited, other_contact):
    # The default schedule: 28 and 7 days before the target date (20 November 2022), a thank-you on it.
    assert stages(at("2022-10-22")) == []  # 29 days before: nothing yet
    first = reminders.send_due_reminders(at("2022-10-23"))  # 28 days before
    assert sorted((r.contact.email, r.stage.name) for r in first) == [
        ("griffie@noordenveld.example", "before-28"),
        ("griffie@tynaarlo.example", "before-28"),
    ]
    assert reminders.send_due_reminders(at("2022-10-23")) == []  # the same day again
    assert reminders.send_due_reminders(at("2022-11-01")) == []  # and later, before the next stage
    # A missed run at 7 days: two days later, one mail of that stage.
    assert [r.stage.name for r in reminders.send_due_reminders(at("2022-11-15"))] == ["before-7", "before-7"]
    # Runs missed on the target date: the thank-you comes the next run, once.
    assert [r.stage.name for r in reminders.send_due_reminders(at("2022-11-22"))] == ["thanks", "thanks"]
    assert reminders.send_due_reminders(at("2022-11-22")) == []
    assert stages(at("2022-11-27")) == []  # nothing after the target date by default
    assert SentReminder.objects.count() == 6


def test_reminders_arrive_by_smtp_with_her_link_and_a_rerun_sends_nothing(invited, smtp_server):
    reminders.send_due_reminders(at("2022-11-06"))
    assert send_due().sent == 2
    reminders.send_due_reminders(at("2022-11-06"))
    assert send_due().sent == 0
    assert len(smtp_server.messages) == 2
    mail = next(m for m in smtp_server.messages if "noordenveld" in m["To"])
    assert mail["Subject"] == "Herinnering: nog 14 dagen tot de streefdatum voor Noordenveld"
    body = body_of(mail)
    # The token carries the second it was signed, so compare whom the mailed link opens, not its text.
    token = re.search(r"/bijwerken/([^/\s]+)/", body)
    assert token, body
    assert links.contact_from_token(token.group(1)) == invited
    assert "Kinderraad per 1 september" in body and "20 november 2022" in body


def test_only_valid_links_and_unfinished_work_get_reminders(invited, other_contact, commitment, organiser):
    other_contact.link_sent_at = None  # the organiser never sent her link
    other_contact.save()
    assert stages(at("2022-11-14")) == [("griffie@noordenveld.example", "before-7")]
    links.revoke(invited)
    assert stages(at("2022-11-14")) == []
    links.renew(invited)
    invited.link_sent_at = timezone.now()
    invited.save()
    update_commitment(commitment, Actor(user=organiser), status="voldaan", status_note="Klaar.")
    assert stages(at("2022-11-14")) == []  # all done: nothing to remind her of


def test_no_reminder_after_the_deadline_for_a_commitment_with_a_later_deadline(
    invited, commitment, organiser, conference
):
    FollowupSettings.objects.filter(event=conference).update(remind_days_after="7, 28")
    assert ("griffie@noordenveld.example", "after-7") in stages(at("2022-11-27"))
    update_commitment(commitment, Actor(user=organiser), target_date="2023-03-01")
    assert ("griffie@noordenveld.example", "after-7") not in stages(at("2022-11-27"))


def test_no_reminder_once_the_link_has_expired(invited, conference):
    conference.followup_settings.link_days_after_target = 10
    conference.followup_settings.save()
    assert stages(at("2022-11-27")) != []
    assert stages(at("2022-12-01")) == []  # the links ended on 30 November


def test_the_schedule_is_set_per_event(invited, conference, other_event):
    FollowupSettings.objects.filter(event=conference).update(remind_days_before="30", thank_on_target_date=False)
    assert stages(at("2022-10-20")) == []
    assert {name for _email, name in stages(at("2022-10-21"))} == {"before-30"}
    assert stages(at("2022-11-20")) != []  # not sent yet, so still due on the target date itself
    assert stages(at("2022-11-21")) == []  # but a reminder "before" is never sent late, and no thank-you
    # Another event's settings do not change this one's schedule.
    FollowupSettings.objects.create(event=other_event, remind_days_before="60")
    assert stages(at("2022-09-25")) == []
    FollowupSettings.objects.filter(event=conference).update(remind_days_before="")
    assert stages(at("2022-11-19")) == []


def test_the_thank_you_on_the_target_date_sums_up_the_commitments(invited, commitment, organiser):
    update_commitment(commitment, Actor(user=organiser), status="in-uitvoering", status_note="Eerste vergadering.")
    commitment.refresh_from_db()
    update_commitment(commitment, Actor(user=organiser), progress=40)
    reminders.send_due_reminders(at("2022-11-20"))
    mail = OutboxMessage.objects.get(recipient="griffie@noordenveld.example")
    assert mail.subject == "Bedankt: wat Noordenveld regelde voor kinderen"
    assert "Kinderraad per 1 september: In uitvoering (40%)" in mail.body_text
    assert "Eerste vergadering." in mail.body_text
    tynaarlo = OutboxMessage.objects.get(recipient="griffie@tynaarlo.example")
    assert "nog geen afspraken ingevuld" in tynaarlo.body_text


def test_a_contact_is_invited_once_the_letter_to_her_council_was_delivered(
    contact, other_contact, conference, noordenveld, tynaarlo
):
    letter = LetterDispatch.objects.create(
        event=conference,
        municipality=noordenveld,
        email="griffie@noordenveld.example",
        letter_date=dt.date(2022, 12, 1),
    )
    LetterDispatch.objects.create(
        event=conference, municipality=tynaarlo, email="griffie@tynaarlo.example", letter_date=dt.date(2022, 12, 1)
    )  # queued, not delivered yet
    assert stages(at("2022-10-01")) == []
    LetterDispatch.objects.filter(pk=letter.pk).update(delivered_at=timezone.now())
    FollowupSettings.objects.filter(event=conference).update(invite_after_letter=False)
    assert stages(at("2022-10-01")) == []  # the organiser sends the links herself
    FollowupSettings.objects.filter(event=conference).update(invite_after_letter=True)
    assert [r.stage.name for r in reminders.send_due_reminders(at("2022-10-01"))] == ["invitation"]
    mail = OutboxMessage.objects.get()
    assert mail.recipient == "griffie@noordenveld.example" and mail.kind == "followup.link"
    assert "raadsadres) van 1 december 2022" in mail.body_text
    token = re.search(r"/bijwerken/([^/\s]+)/", mail.body_text)
    assert links.contact_from_token(token.group(1)) == contact
    contact.refresh_from_db()
    assert contact.link_sent_at is not None
    assert reminders.send_due_reminders(at("2022-10-01")) == []  # once
    assert reminders.send_due_reminders(at("2022-10-02")) == []  # her link is sent: no second invitation
    # A revoked contact is not invited.
    links.revoke(other_contact)
    LetterDispatch.objects.filter(municipality=tynaarlo).update(delivered_at=timezone.now())
    assert stages(at("2022-10-02")) == []


def test_a_quiet_municipality_is_reminded_after_six_weeks(invited, other_contact, commitment, organiser):
    def back_to(day):
        return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(9), tzinfo=dt.UTC)

    UpdateContact.objects.update(link_sent_at=back_to("2022-08-01"))
    CommitmentChange.objects.update(created_at=back_to("2022-08-01"))
    assert stages(at("2022-09-11")) == []  # 41 days
    sent = reminders.send_due_reminders(at("2022-09-12"))  # 42 days: six weeks
    assert sorted((r.contact.email, r.stage.name) for r in sent) == [
        ("griffie@noordenveld.example", "quiet-2022-08-01"),
        ("griffie@tynaarlo.example", "quiet-2022-08-01"),
    ]
    mail = OutboxMessage.objects.get(recipient="griffie@noordenveld.example")
    assert "6 weken" in mail.body_text and mail.subject == "Hoe ver is Noordenveld? Al een tijd geen nieuws"
    assert reminders.send_due_reminders(at("2022-09-12")) == []
    # The reminder restarts the clock; an update of Noordenveld's commitment too.
    update_commitment(commitment, Actor(user=organiser), progress=10)
    CommitmentChange.objects.filter(changes__has_key="progress").update(created_at=back_to("2022-09-20"))
    assert stages(at("2022-10-22")) == []
    # 28 days before the target date the dated reminder comes first; a quiet one never on the same run.
    assert stages(at("2022-10-23")) == [
        ("griffie@noordenveld.example", "before-28"),
        ("griffie@tynaarlo.example", "before-28"),
    ]
    FollowupSettings.objects.update(remind_days_before="", thank_on_target_date=False)
    assert stages(at("2022-10-24")) == [("griffie@tynaarlo.example", "quiet-2022-09-12")]
    assert stages(at("2022-11-01")) == [
        ("griffie@noordenveld.example", "quiet-2022-09-20"),
        ("griffie@tynaarlo.example", "quiet-2022-09-12"),
    ]
    assert stages(at("2022-11-21")) == []  # not after the target date
    FollowupSettings.objects.update(quiet_days=0)
    assert stages(at("2022-11-01")) == []


def test_two_runs_at_once_queue_each_mail_once(invited):
    seen_by_first = reminders.due_reminders(at("2022-11-14"))
    seen_by_second = reminders.due_reminders(at("2022-11-14"))
    assert [reminders.send(r) for r in seen_by_first] == [True, True]
    assert [reminders.send(r) for r in seen_by_second] == [False, False]
    assert OutboxMessage.objects.count() == 2


def test_the_command_dry_run_and_rerun(invited, conference):
    out = io.StringIO()
    call_command("followup_remind", "--dry-run", "--date", "2022-11-14", stdout=out)
    assert "griffie@noordenveld.example\tbefore-7" in out.getvalue() and "2 herinneringen" in out.getvalue()
    assert not OutboxMessage.objects.exists() and not SentReminder.objects.exists()
    call_command("followup_remind", "--date", "2022-11-14", "--event", conference.slug, stdout=io.StringIO())
    assert OutboxMessage.objects.count() == 2
    out = io.StringIO()
    call_command("followup_remind", "--date", "2022-11-14", stdout=out)
    assert "In de wachtrij gezet: 0 herinneringen." in out.getvalue()
    assert OutboxMessage.objects.count() == 2
    with pytest.raises(CommandError, match="2022-13-01"):
        call_command("followup_remind", "--date", "2022-13-01")
    with pytest.raises(CommandError, match="nergens"):
        call_command("followup_remind", "--event", "nergens")


def test_erasing_a_contact_erases_her_reminders(invited):
    from werkconferentie.followup.privacy import erase_contacts

    reminders.send_due_reminders(at("2022-11-14"))
    erase_contacts([invited])
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["griffie@tynaarlo.example"]


def test_the_command_is_in_the_cli(tmp_path):
    import subprocess
    import sys

    from werkconferentie.cli import DJANGO_COMMANDS

    assert "followup-remind" in DJANGO_COMMANDS
    environment = {"WERKCONFERENTIE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "LANGUAGE_CODE": "en"}
    import os

    environment["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")
    run = [sys.executable, "-m", "werkconferentie"]
    subprocess.run([*run, "migrate", "-v0"], env=environment, check=True, timeout=300)
    result = subprocess.run(
        [*run, "followup-remind", "--dry-run"], capture_output=True, text=True, env=environment, timeout=120
    )
    assert result.returncode == 0 and "0" in result.stdout, result.stderr
    result = subprocess.run(
        [*run, "followup-remind", "--date", "gisteren"], capture_output=True, text=True, env=environment, timeout=120
    )
    assert result.returncode != 0 and "gisteren" in result.stderr and "Traceback" not in result.stderr
    # --daily (what the demo runs): one round at once, then it waits for the next day until it is stopped.
    import signal

    daily = subprocess.Popen(
        [*run, "followup-remind", "--daily"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    )
    try:
        lines = [daily.stdout.readline() for _ in range(2)]
        assert "0 herinneringen" in lines[0] and "0 nieuwsbrieven" in lines[1], lines
        assert daily.poll() is None  # still running, waiting for tomorrow
        daily.send_signal(signal.SIGTERM)
        assert daily.wait(timeout=30) == 0
    finally:
        if daily.poll() is None:
            daily.kill()


def test_two_processes_at_once_send_each_reminder_once(tmp_path, example_file):
    """Two `followup-remind` processes started together on one SQLite file: each mail is queued exactly once.

    With 300 contacts the two runs overlap (measured: one queued 67, the other 233), so both race for the keys."""
    import os
    import re
    import subprocess
    import sys

    environment = {
        "WERKCONFERENTIE_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
    }
    run = [sys.executable, "-m", "werkconferentie"]
    subprocess.run([*run, "migrate", "-v0"], env=environment, check=True, timeout=300)
    subprocess.run([*run, "load-event", example_file], env=environment, check=True, timeout=300, capture_output=True)
    setup = (
        "from django.utils import timezone\n"
        "from werkconferentie.events.models import Event\n"
        "from werkconferentie.followup.models import FollowupSettings, UpdateContact\n"
        "from werkconferentie.reference.models import Municipality\n"
        "event = Event.objects.get(slug='roden-2022')\n"
        "FollowupSettings.objects.create(event=event, link_days_after_target=3650)\n"
        "for n, m in enumerate(Municipality.objects.filter(valid_to__isnull=True).order_by('code')[:300]):\n"
        "    UpdateContact.objects.create(event=event, municipality=m, email=f'griffie{n}@example.org',\n"
        "                                 link_sent_at=timezone.now())\n"
    )
    subprocess.run([*run, "manage", "shell", "-c", setup], env=environment, check=True, timeout=120)
    processes = [
        subprocess.Popen(
            [*run, "followup-remind", "--date", "2022-11-14"],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=300) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    queued = [int(re.search(r"(\d+) herinneringen", out).group(1)) for out, _err in outputs]
    assert sum(queued) == 300, outputs
    count = (
        "from werkconferentie.outbox.models import OutboxMessage\n"
        "from werkconferentie.followup.models import SentReminder\n"
        "mails = OutboxMessage.objects.filter(kind='followup.reminder')\n"
        "print('counts', mails.count(), SentReminder.objects.count(), mails.values('recipient').distinct().count())"
    )
    result = subprocess.run(
        [*run, "manage", "shell", "-c", count], env=environment, check=True, timeout=120, capture_output=True, text=True
    )
    assert result.stdout.strip().splitlines()[-1].split() == ["counts", "300", "300", "300"]
