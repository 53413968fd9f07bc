"""Mail queued as a reference (enqueue_to_render) and rendered by the worker just before it is sent."""

import pytest

from werkconferentie.outbox import mailing
from werkconferentie.outbox.enums import MessageState
from werkconferentie.outbox.mailing import enqueue_to_render, register_renderer, render, send_due
from werkconferentie.outbox.models import OutboxMessage

KIND = "outbox_test"


@pytest.fixture
def renderer():
    """A renderer for KIND that records what it was asked; `renderer.fail` makes it raise."""

    def render_test(message):
        calls.append((message.object_id, dict(message.context)))
        if render_test.fail:
            raise LookupError("object gone")
        return {"name": message.context["name"]}, [("a.ics", b"BEGIN:VCALENDAR", None)]

    calls = []
    render_test.fail = False
    render_test.calls = calls
    register_renderer(KIND, render_test)
    yield render_test
    mailing._renderers.pop((KIND, ""), None)


def test_only_a_reference_is_queued_and_the_worker_renders_it_in_its_language(
    db, smtp_server, mail_templates, renderer
):
    message = enqueue_to_render(
        "member@example.org", "outbox_test/welcome", kind=KIND, object_id=7, language="en", context={"name": "A & B"}
    )
    assert (message.template, message.subject, message.body_text) == ("outbox_test/welcome", "", "")
    assert not message.attachments.exists() and renderer.calls == []

    assert send_due().sent == 1

    message.refresh_from_db()
    assert message.state == MessageState.SENT and message.template == ""
    assert message.subject == "Work conference back office: A & B"  # rendered in the message's language
    assert renderer.calls == [("7", {"name": "A & B"})]
    (sent,) = smtp_server.messages
    assert sent["Subject"] == message.subject and sent["Message-ID"] == message.message_id
    assert [part.get_filename() for part in sent.iter_attachments()] == ["a.ics"]


def test_a_message_is_rendered_once(db, mail_templates, renderer):
    message = enqueue_to_render(
        "member@example.org", "outbox_test/welcome", kind=KIND, object_id=7, context={"name": "C"}
    )
    render(message)
    render(OutboxMessage.objects.get(pk=message.pk))
    render(message)  # a stale copy: the row says it is rendered already
    assert len(renderer.calls) == 1 and message.attachments.count() == 1
    assert message.subject == "Beheer werkconferentie: C"


def test_a_failed_rendering_is_retried_like_a_failed_send(db, smtp_server, mail_templates, renderer):
    renderer.fail = True
    message = enqueue_to_render("member@example.org", "outbox_test/welcome", kind=KIND, object_id=7, context={})
    counts = send_due()
    assert (counts.sent, counts.retrying) == (0, 1)
    message.refresh_from_db()
    assert message.state == MessageState.PENDING and "object gone" in message.last_error
    assert message.template and not smtp_server.messages


def test_a_kind_without_renderer_cannot_be_queued(db):
    with pytest.raises(LookupError):
        enqueue_to_render("member@example.org", "outbox_test/welcome", kind="nobody-renders-this", object_id=1)
    assert not OutboxMessage.objects.exists()
