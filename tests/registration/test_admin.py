"""The registrations in the back office: list, filters, actions, the dashboard, and what organisers may not do."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.registration.enums import Status
from werkconferentie.registration.models import PrivacyStatement, Registration

from .factories import RegistrationFactory, municipality

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:registration_registration_changelist"


def changelist(client, **params):
    response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    return response.content.decode()


def test_organiser_sees_own_registrations_only(filled_event, elsewhere_event, organiser, client):
    client.force_login(organiser)
    page = changelist(client)
    assert "Zoë Jansen" in page and "Sebastiaan ’t Hart" in page
    assert "Elders Persoon" not in page
    # The event filter offers only one's own events (with only one, Django leaves the filter out).
    assert "Werkconferentie Emmen" not in page
    other = elsewhere_event.registrations.get()
    response = client.get(reverse("admin:registration_registration_change", args=[other.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_superuser_filters_by_event(filled_event, elsewhere_event, superuser, client):
    client.force_login(superuser)
    page = changelist(client, event__id__exact=elsewhere_event.pk)
    assert "Werkconferentie Zuidlaren" in page and "Elders Persoon" in page and "Zoë" not in page


def test_list_columns_and_waitlist_position(filled_event, organiser, client):
    client.force_login(organiser)
    page = changelist(client, status="waitlisted")
    assert "Fenna Bakker" in page and "Daan de Vries" in page and "Zoë" not in page
    assert "Jeugdzorg Ĳsselland" in changelist(client, q="Ĳsselland")
    # Daan is second on the list, also when he is the only row shown.
    page = changelist(client, q="daan@assen.nl")
    assert 'class="field-waitlist_position_column">2<' in page


@pytest.mark.parametrize(
    ("params", "expected", "absent"),
    [
        ({"province": "22"}, ["Zoë Jansen", "Fenna Bakker", "Daan de Vries"], ["Sebastiaan"]),
        ({"province": "26"}, ["Sebastiaan ’t Hart"], ["Zoë"]),
        ({"province": "none"}, ["Ĳsbrand Öztürk"], ["Zoë"]),
        ({"role": "wethouder"}, ["Sebastiaan ’t Hart"], ["Zoë"]),
        ({"q": "Tynaarlo"}, ["Zoë Jansen"], ["Sebastiaan"]),
        ({"q": "jeugdzorg"}, ["Ĳsbrand Öztürk"], ["Zoë"]),
    ],
)
def test_filters_and_search(filled_event, organiser, client, params, expected, absent):
    client.force_login(organiser)
    page = changelist(client, **params)
    assert all(name in page for name in expected), params
    assert not any(name in page for name in absent), params


def test_province_filter_offers_provinces_of_own_registrations(filled_event, organiser, client):
    client.force_login(organiser)
    page = changelist(client)
    assert "?province=22" in page and "?province=26" in page and "?province=none" in page
    assert "?province=20" not in page


def test_list_queries_do_not_grow(filled_event, organiser, client, django_assert_max_num_queries):
    for _number in range(30):
        RegistrationFactory(event=filled_event, municipality=municipality("GM0014"), waitlisted=True)
    client.force_login(organiser)
    client.get(reverse(CHANGELIST))  # warm caches (content types, session)
    with django_assert_max_num_queries(20):
        page = changelist(client)
    assert page.count("field-waitlist_position_column") >= 30


def post_action(client, action, registrations, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [r.pk for r in registrations], **extra}
    return client.post(reverse(CHANGELIST), data)


def test_cancel_asks_first_then_gives_the_seat_to_the_waiting_list(filled_event, organiser, client):
    client.force_login(organiser)
    zoe = Registration.objects.get(name="Zoë Jansen")
    response = post_action(client, "cancel_registrations", [zoe])
    assert response.status_code == 200 and "Zoë Jansen" in response.content.decode()
    assert Registration.objects.get(pk=zoe.pk).status == Status.CONFIRMED
    mails = OutboxMessage.objects.count()

    response = post_action(client, "cancel_registrations", [zoe], post="yes")
    assert response.status_code == 302
    assert Registration.objects.get(pk=zoe.pk).status == Status.CANCELLED
    fenna = Registration.objects.get(name="Fenna Bakker")
    assert fenna.status == Status.CONFIRMED
    recipients = set(OutboxMessage.objects.order_by("-id").values_list("recipient", flat=True)[:2])
    assert OutboxMessage.objects.count() == mails + 2 and recipients == {"zoe@tynaarlo.nl", "fenna@example.org"}


def test_promote_needs_a_free_seat(filled_event, organiser, client):
    client.force_login(organiser)
    daan = Registration.objects.get(name="Daan de Vries")
    post_action(client, "promote_from_waitlist", [daan])
    assert Registration.objects.get(pk=daan.pk).status == Status.WAITLISTED  # full
    filled_event.capacity = 4
    filled_event.save()
    response = post_action(client, "promote_from_waitlist", [daan])
    assert response.status_code == 302
    assert Registration.objects.get(pk=daan.pk).status == Status.CONFIRMED  # the organiser may skip the queue
    assert OutboxMessage.objects.filter(recipient="daan@assen.nl").exists()


def test_actions_reach_only_own_registrations(filled_event, elsewhere_event, organiser, client):
    client.force_login(organiser)
    other = elsewhere_event.registrations.get()
    post_action(client, "cancel_registrations", [other], post="yes")
    assert Registration.objects.get(pk=other.pk).status == Status.CONFIRMED


def test_export_action_for_a_selection(filled_event, organiser, client):
    client.force_login(organiser)
    chosen = Registration.objects.filter(name__in=["Zoë Jansen", "Sebastiaan ’t Hart"])
    response = post_action(client, "export_csv", chosen)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    content = response.content.decode("utf-8-sig")
    assert "Zoë Jansen" in content and "Sebastiaan ’t Hart" in content and "Fenna" not in content
    response = post_action(client, "export_xlsx", chosen)
    assert response.status_code == 200 and response["Content-Type"].endswith("spreadsheetml.sheet")


def test_export_action_refuses_a_mix_of_events(filled_event, elsewhere_event, superuser, client):
    client.force_login(superuser)
    mixed = Registration.objects.filter(name__in=["Zoë Jansen", "Elders Persoon"])
    response = post_action(client, "export_csv", mixed)
    assert response.status_code == 302


def test_status_is_read_only_and_no_add_or_delete(filled_event, organiser, client):
    client.force_login(organiser)
    zoe = Registration.objects.get(name="Zoë Jansen")
    url = reverse("admin:registration_registration_change", args=[zoe.pk])
    page = client.get(url).content.decode()
    assert 'name="status"' not in page and 'name="name"' in page
    assert "Werkplaats 1" in page  # the ranking, read-only
    assert "deletelink" not in page
    data = {
        "name": "Zoë Jansen-de Boer",
        "email": "ZOE@tynaarlo.nl",
        "language": "en",
        "role": "raadslid",
        "municipality": "GM1730",
        "status": "cancelled",
        "preferences-TOTAL_FORMS": "0",
        "preferences-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    zoe.refresh_from_db()
    assert (zoe.name, zoe.email, zoe.status) == ("Zoë Jansen-de Boer", "zoe@tynaarlo.nl", Status.CONFIRMED)
    assert client.get(reverse("admin:registration_registration_add")).status_code == 403
    assert client.get(reverse("admin:registration_registration_delete", args=[zoe.pk])).status_code == 403
    actions = client.get(reverse(CHANGELIST)).content.decode()
    assert "delete_selected" not in actions and "erase_selected" in actions


def test_email_must_stay_unique_within_the_event(filled_event, organiser, client):
    client.force_login(organiser)
    zoe = Registration.objects.get(name="Zoë Jansen")
    data = {
        "name": zoe.name,
        "email": "fenna@example.org",
        "language": "nl",
        "role": "raadslid",
        "municipality": "GM1730",
        "preferences-TOTAL_FORMS": "0",
        "preferences-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:registration_registration_change", args=[zoe.pk]), data)
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_privacy_statement_read_only_for_organisers(filled_event, organiser, superuser, client):
    statement = PrivacyStatement.current()
    url = reverse("admin:registration_privacystatement_change", args=[statement.pk])
    client.force_login(organiser)
    assert client.get(url).status_code == 200
    assert 'name="_save"' not in client.get(url).content.decode()
    assert client.get(reverse("admin:registration_privacystatement_add")).status_code == 403
    client.force_login(superuser)
    assert client.get(reverse("admin:registration_privacystatement_add")).status_code == 200
    # A version people consented to stays as it was.
    assert 'name="_save"' not in client.get(url).content.decode()


def test_dashboard(filled_event, organiser, client):
    client.force_login(organiser)
    url = reverse("admin:registration_registration_dashboard", args=[filled_event.slug])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    # In the admin's frame, with the numbers as text in tables with captions.
    assert 'id="site-name"' in page and "<caption>" in page
    assert "Tynaarlo" in page and "Drenthe" in page and "Werkplaats 3" in page
    assert "Fenna Bakker" in page.split('id="wc-waitlist"')[1]
    assert 'aria-hidden="true"' in page and 'style="width: 100%"' in page
    assert reverse("admin:registration_registration_export_xlsx", args=[filled_event.slug]) in page


def test_dashboard_is_linked(filled_event, organiser, client):
    client.force_login(organiser)
    dashboard = reverse("admin:registration_registration_dashboard", args=[filled_event.slug])
    events = reverse("admin:registration_registration_events")
    assert events in client.get(reverse("admin:index")).content.decode()
    assert dashboard in client.get(events).content.decode()
    assert dashboard in client.get(reverse("admin:events_event_change", args=[filled_event.pk])).content.decode()
    assert events in changelist(client)


def test_dashboard_queries_are_bounded(filled_event, organiser, client, django_assert_max_num_queries):
    RegistrationFactory.create_batch(25, event=filled_event, waitlisted=True)
    client.force_login(organiser)
    url = reverse("admin:registration_registration_dashboard", args=[filled_event.slug])
    client.get(url)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_erased_counts_are_read_only(filled_event, organiser, client):
    from werkconferentie.registration.models import ErasedRegistrations

    tally = ErasedRegistrations.objects.create(event=filled_event, role="raadslid", status="confirmed", count=2)
    client.force_login(organiser)
    assert client.get(reverse("admin:registration_erasedregistrations_changelist")).status_code == 200
    page = client.get(reverse("admin:registration_erasedregistrations_change", args=[tally.pk])).content.decode()
    assert 'name="_save"' not in page
    assert client.get(reverse("admin:registration_erasedregistrations_add")).status_code == 403
