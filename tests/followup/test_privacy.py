"""Contacts who never registered (a griffie, a council member the organiser named) are personal data too: in the
data download, erased by `erase EMAIL` and by `purge`; the commitments and their history stay, as "contact
erased"."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from werkconferentie.followup import contacts, privacy
from werkconferentie.followup.commitments import update_commitment
from werkconferentie.followup.history import Actor
from werkconferentie.followup.models import Commitment, CommitmentChange, FollowupSettings, UpdateContact
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.registration import privacy as registration_privacy
from werkconferentie.registration.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(conference, commitment, contact):
    """The griffie (no registration) got her link and reported progress through it."""
    contacts.send_link(contact)
    update_commitment(commitment, Actor(contact=contact), status="in-uitvoering", status_note="Besluit in mei.")
    return contact


def test_a_contact_without_registration_is_in_the_data_download(reported):
    assert not Registration.objects.filter(email__iexact=reported.email).exists()
    data = registration_privacy.export_email(reported.email.upper())
    assert data["registrations"] == []
    [item] = data["followup"]
    assert (item["event"], item["municipality"], item["name"], item["email"], item["source"]) == (
        reported.event.slug,
        "GM1699",
        "Griffie Noordenveld",
        "griffie@noordenveld.example",
        "organiser",
    )
    assert item["link_sent_at"] is not None and item["revoked"] is False
    assert [mail["state"] for mail in data["other_mails"]] == ["pending"]  # her link mail, listed without its link


def test_erase_by_address_removes_the_contact_and_her_mail_and_keeps_the_commitments(
    conference, commitment, reported, other_contact
):
    out = io.StringIO()
    call_command("erase", reported.email.upper(), "--yes", stdout=out)
    assert "followup: 1" in out.getvalue()
    assert not UpdateContact.objects.filter(email__iexact=reported.email).exists()
    assert UpdateContact.objects.filter(pk=other_contact.pk).exists()  # another address stays
    assert not OutboxMessage.objects.filter(recipient__iexact=reported.email).exists()
    commitment.refresh_from_db()
    assert commitment.status == "in-uitvoering"
    change = CommitmentChange.objects.get(action="update")
    assert change.by_contact and change.contact is None
    html = Client().get(reverse("followup:municipality", args=[conference.slug, "GM1699"])).content.decode()
    assert "contactpersoon gewist" in html and "griffier" not in html
    # Nothing is left to find.
    out = io.StringIO()
    call_command("erase", reported.email, "--yes", stdout=out)
    assert "Nothing is held" in out.getvalue()
    assert "followup" not in registration_privacy.export_email(reported.email)


def test_purge_waits_for_the_end_of_the_follow_up(conference, commitment, reported):
    # The example conference was in 2022; links work until ten years after the target date (the fixture).
    assert privacy.kept_until(conference) == dt.date(2022, 11, 20) + dt.timedelta(days=3650)
    assert conference.pk not in privacy.held_in()
    registration_privacy.purge_event(conference)
    assert UpdateContact.objects.filter(pk=reported.pk).exists()  # the follow-up still runs
    # A conference in April 2022 kept for 30 days, and links that ended 30 days after the target date.
    conference.date = dt.date(2022, 4, 22)
    conference.retention_days = 30
    conference.save()
    FollowupSettings.objects.filter(event=conference).update(link_days_after_target=30)
    assert conference.erased_on == dt.date(2022, 5, 22)
    assert privacy.kept_until(conference) == dt.date(2022, 12, 20)
    assert conference.pk in privacy.held_in()
    # Registrations were purged above: the event is still listed, because of its contacts.
    assert not conference.registrations.exists()
    assert registration_privacy.events_past_retention() == [conference]
    out = io.StringIO()
    call_command("purge", stdout=out)
    assert "followup 1" in out.getvalue()
    assert not UpdateContact.objects.filter(event=conference).exists()
    assert not OutboxMessage.objects.filter(recipient__iexact=reported.email).exists()
    assert Commitment.objects.filter(pk=commitment.pk).exists()
    assert CommitmentChange.objects.filter(action="update", by_contact=True, contact=None).exists()
    assert registration_privacy.events_past_retention() == []


def test_contacts_stay_until_the_retention_is_over(conference, contact):
    FollowupSettings.objects.filter(event=conference).update(link_days_after_target=0)
    today = conference.erased_on  # the links ended long before, the retention ends today
    assert privacy.kept_until(conference) == conference.erased_on
    assert conference.pk not in privacy.held_in(today)
    assert privacy.purge_event(conference, today) == 0
    assert UpdateContact.objects.filter(pk=contact.pk).exists()
    assert conference.pk in privacy.held_in(today + dt.timedelta(days=1))
    assert privacy.purge_event(conference, today + dt.timedelta(days=1)) == 1


def test_the_privacy_statement_says_what_the_follow_up_keeps_and_how_long(conference, contact):
    html = Client().get(reverse("privacy:event", args=[conference.slug])).content.decode()
    until = dt.date(2022, 11, 20) + dt.timedelta(days=3650)  # the fixture's links work ten years
    assert "Na de conferentie: wat gemeenten doen" in html
    assert "griffie" in html and f"tot {until.day} november {until.year}" in html
    html = Client().get(reverse("privacy:statement")).content.decode()
    assert "tot de opvolging voorbij is" in html
