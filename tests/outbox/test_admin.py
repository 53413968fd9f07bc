"""The outbox in the back office: superusers look and send again; nobody else sees it, nobody edits."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from werkconferentie.core.roles import ensure_organiser_group
from werkconferentie.outbox.enums import MessageState
from werkconferentie.outbox.mailing import enqueue
from werkconferentie.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:outbox_outboxmessage_changelist"


@pytest.fixture
def messages_in_outbox():
    failed = enqueue("raadslid@tynaarlo.example", "Bevestiging", "Tekst", attachments=[("a.ics", b"x", None)])
    OutboxMessage.objects.filter(pk=failed.pk).update(state=MessageState.FAILED, attempts=20, last_error="421")
    sent = enqueue("wethouder@assen.example", "Herinnering", "Tekst")
    OutboxMessage.objects.filter(pk=sent.pk).update(state=MessageState.SENT)
    return failed, sent


def test_superuser_lists_filters_searches_and_reads(admin_client, messages_in_outbox):
    failed, sent = messages_in_outbox
    page = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert "raadslid@tynaarlo.example" in page and "wethouder@assen.example" in page

    page = admin_client.get(reverse(CHANGELIST), {"state__exact": "failed"}).content.decode()
    assert "raadslid@tynaarlo.example" in page and "wethouder@assen.example" not in page
    page = admin_client.get(reverse(CHANGELIST), {"q": "assen"}).content.decode()
    assert "raadslid@tynaarlo.example" not in page and "wethouder@assen.example" in page

    response = admin_client.get(reverse("admin:outbox_outboxmessage_change", args=[failed.pk]))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode(), "read-only"
    assert "a.ics" in response.content.decode()


def test_nobody_adds_changes_or_deletes(admin_client, messages_in_outbox):
    failed, _sent = messages_in_outbox
    assert admin_client.get(reverse("admin:outbox_outboxmessage_add")).status_code == 403
    assert admin_client.get(reverse("admin:outbox_outboxmessage_delete", args=[failed.pk])).status_code == 403
    response = admin_client.post(reverse("admin:outbox_outboxmessage_change", args=[failed.pk]), {"subject": "Anders"})
    assert response.status_code == 403
    assert OutboxMessage.objects.get(pk=failed.pk).subject == "Bevestiging"


def test_organisers_do_not_see_the_outbox(client, messages_in_outbox):
    organiser = get_user_model().objects.create_user("organisator", password="een-lang-wachtwoord-1", is_staff=True)
    organiser.groups.add(ensure_organiser_group())
    client.force_login(organiser)
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert "outbox" not in client.get(reverse("admin:index")).content.decode()


def test_send_again_now_requeues_failed_and_leaves_sent_alone(admin_client, messages_in_outbox):
    failed, sent = messages_in_outbox
    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "send_again_now", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )
    assert response.status_code == 200
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.state, failed.attempts) == (MessageState.PENDING, 0)
    assert sent.state == MessageState.SENT
