"""The rules of signing up: seats, the waiting list, duplicates, cancelling, preferences, mails queued."""

import datetime as dt

import pytest
from django.utils import timezone

from werkconferentie.outbox.mailing import render_pending
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.reference.models import Municipality
from werkconferentie.registration import signup
from werkconferentie.registration.enums import Role, Status
from werkconferentie.registration.links import ExpiredLink, InvalidLink, personal_token, registration_from_token
from werkconferentie.registration.models import PrivacyStatement

pytestmark = pytest.mark.django_db


def data(event, n, **overrides):
    workshops = list(event.workshops.order_by("number"))
    values = {
        "name": f"Deelnemer {n}",
        "email": f"deelnemer{n}@example.org",
        "role": Role.COUNCIL_MEMBER,
        "municipality": Municipality.objects.get(pk="GM1730"),  # Tynaarlo
        "preferences": [workshops[1], workshops[0]],
    }
    values.update(overrides)
    return signup.SignupData(**values)


def mails_to(address):
    render_pending()  # what the mail worker does before sending
    return list(OutboxMessage.objects.filter(recipient=address).order_by("pk"))


def test_register_confirms_and_queues_a_mail_with_calendar(open_event):
    result = signup.register(open_event, data(open_event, 1, email=" Deelnemer1@Example.ORG "))
    registration = result.registration
    assert result.created and registration.status == Status.CONFIRMED
    assert registration.email == "deelnemer1@example.org"
    assert [w.slug for w in registration.ranked_workshops()] == ["kinderen-en-omgeving", "betekenisvolle-participatie"]
    assert registration.consent_statement == PrivacyStatement.current()
    (mail,) = mails_to("deelnemer1@example.org")
    assert "aangemeld" in mail.subject.lower()
    assert "/aanmelding/" in mail.body_text
    assert [a.filename for a in mail.attachments.all()] == ["roden-2022.ics"]


def test_full_event_puts_people_on_the_waiting_list_in_order(open_event):
    open_event.capacity = 2
    open_event.save()
    results = [signup.register(open_event, data(open_event, n)).registration for n in range(5)]
    assert [r.status for r in results] == ["confirmed", "confirmed", "waitlisted", "waitlisted", "waitlisted"]
    assert [signup.waitlist_position(r) for r in results] == [None, None, 1, 2, 3]
    # The place the sign-up itself reports (counted under the lock) is the same.
    later = signup.register(open_event, data(open_event, 5))
    assert later.position == signup.waitlist_position(later.registration) == 4
    assert "wachtlijst" in mails_to("deelnemer3@example.org")[0].subject.lower()
    assert signup.seats_left(open_event) == 0


def test_cancelling_gives_the_seat_to_the_first_on_the_waiting_list(open_event):
    open_event.capacity = 1
    open_event.save()
    first, second, third = (signup.register(open_event, data(open_event, n)).registration for n in range(3))
    promoted = signup.cancel(first)
    assert [r.pk for r in promoted] == [second.pk]
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == Status.CONFIRMED and third.status == Status.WAITLISTED
    assert signup.waitlist_position(third) == 1
    assert any("plaats" in m.subject.lower() for m in mails_to(second.email))
    assert signup.cancel(first) == []  # twice is harmless


def test_second_registration_creates_nothing_and_mails_the_link(open_event):
    signup.register(open_event, data(open_event, 1))
    again = signup.register(open_event, data(open_event, 1, name="Iemand anders", email="DEELNEMER1@example.org"))
    assert not again.created
    assert open_event.registrations.count() == 1
    assert "al aangemeld" in mails_to("deelnemer1@example.org")[-1].subject.lower()


def test_register_again_after_cancelling(open_event):
    first = signup.register(open_event, data(open_event, 1)).registration
    signup.cancel(first)
    again = signup.register(open_event, data(open_event, 1))
    assert again.created and again.registration.pk != first.pk


def test_closed_registration_is_refused_and_saves_nothing(roden):
    with pytest.raises(signup.RegistrationClosed):
        signup.register(roden, data(roden, 1))
    assert roden.registrations.count() == 0 and OutboxMessage.objects.count() == 0


def test_preferences_must_be_distinct_and_of_this_event(open_event, other_event_workshop):
    workshop = open_event.workshops.first()
    with pytest.raises(signup.InvalidPreferences):
        signup.register(open_event, data(open_event, 1, preferences=[workshop, workshop]))
    with pytest.raises(signup.InvalidPreferences):
        signup.register(open_event, data(open_event, 1, preferences=[other_event_workshop]))
    assert open_event.registrations.count() == 0


def test_change_preferences(open_event):
    registration = signup.register(open_event, data(open_event, 1)).registration
    workshops = list(open_event.workshops.order_by("-number"))
    signup.change_preferences(registration, workshops)
    assert registration.ranked_workshops() == workshops


def test_raising_capacity_fills_from_the_waiting_list(open_event):
    open_event.capacity = 1
    open_event.save()
    people = [signup.register(open_event, data(open_event, n)).registration for n in range(4)]
    open_event.capacity = 3
    open_event.save()
    assert [r.pk for r in signup.fill_from_waitlist(open_event)] == [people[1].pk, people[2].pk]


def test_personal_link_round_trip_and_tampering(open_event):
    registration = signup.register(open_event, data(open_event, 1)).registration
    token = personal_token(registration)
    assert registration_from_token(token) == registration
    with pytest.raises(InvalidLink):
        registration_from_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    with pytest.raises(InvalidLink):
        registration_from_token("not-a-token")
    registration.secret = "revoked"
    registration.save()
    with pytest.raises(InvalidLink):
        registration_from_token(token)


def test_personal_link_expires_after_the_event(open_event):
    registration = signup.register(open_event, data(open_event, 1)).registration
    token = personal_token(registration)
    later = max(open_event.ends_at, open_event.registration_closes_at) + dt.timedelta(minutes=1)
    with pytest.raises(ExpiredLink):
        registration_from_token(token, now=later)
    assert registration_from_token(token, now=timezone.now()) == registration
