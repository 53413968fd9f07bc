"""Raising an event's capacity moves the waiting list up at once (issue 14, point 10)."""

from pathlib import Path

import pytest
import yaml
from django.db import transaction

from werkconferentie.events.loading import load_event_file
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.registration import signup
from werkconferentie.registration.enums import Status

from .test_signup import data

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_event(open_event):
    open_event.capacity = 1
    open_event.save()
    for n in range(1, 4):
        signup.register(open_event, data(open_event, n))
    assert [r.status for r in open_event.registrations.order_by("pk")] == ["confirmed", "waitlisted", "waitlisted"]
    return open_event


def statuses(event):
    return [r.status for r in event.registrations.order_by("pk")]


def test_raising_the_capacity_promotes_in_order_and_mails(full_event, django_capture_on_commit_callbacks):
    mails_before = OutboxMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        full_event.capacity = 2
        full_event.save()
    assert statuses(full_event) == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
    assert OutboxMessage.objects.count() == mails_before + 1  # the one who moved up hears so


def test_lowering_or_keeping_the_capacity_promotes_nobody(full_event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        full_event.title_nl = "Andere titel"
        full_event.save()
        full_event.capacity = 0
        full_event.save()
    assert statuses(full_event) == [Status.CONFIRMED, Status.WAITLISTED, Status.WAITLISTED]


def test_a_rolled_back_raise_promotes_nobody(full_event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                full_event.capacity = 5
                full_event.save()
                raise RuntimeError("the organiser's change fails")
        except RuntimeError:
            pass
    assert callbacks == [] and statuses(full_event) == [Status.CONFIRMED, Status.WAITLISTED, Status.WAITLISTED]


def test_raising_the_capacity_in_the_event_file_promotes(
    full_event, example_file, tmp_path, django_capture_on_commit_callbacks
):
    file = yaml.safe_load(Path(example_file).read_text())
    file["registration"]["capacity"] = 3
    path = tmp_path / "bigger.yaml"
    path.write_text(yaml.safe_dump(file, allow_unicode=True))
    with django_capture_on_commit_callbacks(execute=True):
        load_event_file(path)
    assert statuses(full_event) == [Status.CONFIRMED] * 3


def test_raising_the_capacity_in_the_back_office_promotes(full_event, client, django_capture_on_commit_callbacks):
    from registration.factories import UserFactory

    client.force_login(UserFactory(organiser_of=[full_event]))
    url = f"/beheer/events/event/{full_event.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    post = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            post[f"{management.prefix}-{name}"] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None:
                    post[f"{inline_form.prefix}-{name}"] = value
    post["capacity"] = 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {k: v for k, v in post.items() if not isinstance(v, list) or v})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert statuses(full_event) == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
