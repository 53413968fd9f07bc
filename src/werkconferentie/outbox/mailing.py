"""Queue mail in the caller's transaction and send it later, with retries, so that no mail is lost.

This is the transactional-outbox pattern. `enqueue` only inserts rows: call it inside the transaction that
makes the change the mail is about (a registration, a cancellation). If that transaction rolls back, no mail
is queued; once it commits, the mail is in the database whatever the SMTP server does. A worker
(`werkconferentie send-mail`) calls `send_due`, which sends what is due and retries failures with back-off.

Rendering a mail (templates, a calendar attachment) costs more than inserting it, and a transaction that holds
a lock should stay short. `enqueue_to_render` therefore inserts only a reference: recipient, language, the
template prefix, what caused the mail (kind, object_id) and a small JSON context with the facts of that
moment. It commits with the change like any other message; the worker renders it just before the first
attempt, through the renderer that the causing app registered for that kind (`register_renderer`), and
stores the result, so retries send exactly what was rendered.

Delivery is at least once at the SMTP boundary, and in practice exactly once. A worker claims one message
(state "sending" with a lease), hands it to the SMTP server, and marks it "sent" in its own short transaction
right after the server's "250 OK" to the message data. Only a worker that dies, or loses its database, between
that reply and the commit of "sent" (a few milliseconds) leaves a message that is sent again when the lease
runs out; the copy carries the same Message-ID, so mail programs show it once. Marking it sent before
handing it over would turn that window into a lost mail instead, which is worse.
"""

from __future__ import annotations

import datetime as dt
import logging
import mimetypes
import re
import smtplib
import threading
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.utils import DNS_NAME
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone, translation

from .enums import MessageState
from .models import OutboxAttachment, OutboxMessage

logger = logging.getLogger(__name__)

# (file name, content, MIME type or None to guess it from the name): the shape of EmailMessage.attach's arguments.
Attachment = tuple[str, bytes | str, str | None]
# Given a message queued with enqueue_to_render, the template context and attachments to render it with.
Renderer = Callable[[OutboxMessage], tuple[dict, list[Attachment]]]
_renderers: dict[tuple[str, str], Renderer] = {}  # (kind, template prefix or "" for any)

DUE_STATES = (MessageState.PENDING, MessageState.SENDING)
# The worker's SMTP timeout when EMAIL_TIMEOUT is not set: Django's default is to wait for ever, which would
# hold a claimed message past its lease.
DEFAULT_SMTP_TIMEOUT = 30


def max_attempts() -> int:
    return getattr(settings, "OUTBOX_MAX_ATTEMPTS", 20)


def lease() -> dt.timedelta:
    """How long a claimed message stays with its worker; after that another worker may take it over."""
    return dt.timedelta(seconds=getattr(settings, "OUTBOX_LEASE_SECONDS", 300))


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential back-off after the given number of failed attempts: 10 s, 20 s, 40 s, … at most 30 min."""
    first = getattr(settings, "OUTBOX_RETRY_SECONDS", 10)
    cap = getattr(settings, "OUTBOX_RETRY_MAX_SECONDS", 1800)
    return dt.timedelta(seconds=min(first * 2 ** min(max(attempts - 1, 0), 30), cap))


# --- Queueing -----------------------------------------------------------------------------------------------


def enqueue(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Iterable[Attachment] = (),
    language: str = "nl",
    kind: str = "",
    object_id: object = None,
    reply_to: str = "",
) -> OutboxMessage:
    """Queue one mail to one address; call it inside the transaction of the change that causes the mail.

    It commits or rolls back with that change. `kind` and `object_id` record what caused the mail (such as
    "registration.confirmation" and a registration's id), so that it can be found and erased with it.
    """
    validate_email(to)
    with transaction.atomic():
        message = OutboxMessage.objects.create(
            recipient=to,
            # A header cannot hold a line break (Django would refuse the mail only when sending it), and a
            # subject too long for its column must not make the caller's change fail.
            subject=" ".join(subject.split())[: OutboxMessage._meta.get_field("subject").max_length],
            body_text=text,
            body_html=html or "",
            language=language,
            reply_to=reply_to,
            message_id=_make_message_id(),
            kind=kind,
            object_id="" if object_id is None else str(object_id),
        )
        OutboxAttachment.objects.bulk_create(
            [_attachment(message, *attachment) for attachment in attachments], batch_size=100
        )
    return message


def enqueue_from_templates(
    to: str,
    template_prefix: str,
    context: dict,
    language: str = "nl",
    attachments: Iterable[Attachment] = (),
    **options,
) -> OutboxMessage:
    """Render `<prefix>_subject.txt`, `<prefix>.txt` and, when it exists, `<prefix>.html` in the recipient's
    language and queue the result (same transaction rule and options as `enqueue`).

    The text templates are rendered without HTML escaping, so "Jansen & Zn" stays as it is in plain text.
    """
    subject, text, html = _render_templates(template_prefix, context, language)
    return enqueue(to, subject, text, html, attachments=attachments, language=language, **options)


def render_from_templates(template_prefix: str, context: dict, language: str = "nl") -> tuple[str, str, str | None]:
    """Subject, text and HTML (or None) as `enqueue_from_templates` would queue them, without queueing: for
    showing the organiser an example before anything is sent."""
    subject, text, html = _render_templates(template_prefix, context, language)
    return " ".join(subject.split()), text, html


def enqueue_to_render(
    to: str,
    template_prefix: str,
    *,
    kind: str,
    object_id: object,
    language: str = "nl",
    context: dict | None = None,
    reply_to: str = "",
) -> OutboxMessage:
    """Queue a mail that the worker renders when it sends it; call it inside the transaction of the change.

    Only one row is inserted, so it is cheap inside a lock. The worker renders `<prefix>_subject.txt`,
    `<prefix>.txt` and `<prefix>.html` (when it exists) in `language`, with the template context and attachments
    that the renderer registered for `kind` builds from the message (see `register_renderer`); `context` is
    JSON that the renderer gets back, for facts that must be those of this moment (such as a place on a list).
    """
    validate_email(to)
    _renderer_for(kind, template_prefix)
    return OutboxMessage.objects.create(
        recipient=to,
        subject="",
        body_text="",
        language=language,
        reply_to=reply_to,
        message_id=_make_message_id(),
        kind=kind,
        object_id=str(object_id),
        template=template_prefix,
        context=context or {},
    )


@dataclass(frozen=True)
class ToRender:
    """One message for `enqueue_many_to_render`: the arguments of `enqueue_to_render`."""

    to: str
    template_prefix: str
    kind: str
    object_id: object
    language: str = "nl"
    context: dict | None = None


def enqueue_many_to_render(messages: Iterable[ToRender], batch_size: int = 500) -> int:
    """`enqueue_to_render` for many messages at once, in a few bulk inserts (publishing mails thousands inside its
    lock); call it inside the transaction of the change. Returns how many were queued."""
    rows = []
    for message in messages:
        validate_email(message.to)
        _renderer_for(message.kind, message.template_prefix)
        rows.append(
            OutboxMessage(
                recipient=message.to,
                subject="",
                body_text="",
                language=message.language,
                message_id=_make_message_id(),
                kind=message.kind,
                object_id=str(message.object_id),
                template=message.template_prefix,
                context=message.context or {},
            )
        )
    with transaction.atomic():
        OutboxMessage.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def register_renderer(kind: str, renderer: Renderer, *, template: str = "") -> None:
    """Let the worker render messages of `kind` queued with `enqueue_to_render`: `renderer(message)` returns the
    template context and the attachments. Call it from the causing app's AppConfig.ready().

    With `template`, the renderer is for that kind's messages of that template prefix only, ahead of the kind's
    general renderer: another app can add mails to a kind (assignment's programme mails are "registration" mails,
    found and erased with the registration) without the kind's owner knowing of them.
    """
    _renderers[(kind, template)] = renderer


def _renderer_for(kind: str, template: str) -> Renderer:
    renderer = _renderers.get((kind, template)) or _renderers.get((kind, ""))
    if renderer is None:
        raise LookupError(f"no renderer registered for outbox messages of kind {kind!r}")
    return renderer


def render(message: OutboxMessage) -> None:
    """Render a message queued with `enqueue_to_render` and store subject, bodies and attachments in its row (a
    no-op for a rendered message). Raises what the renderer raises, such as when the object is gone."""
    if not message.template:
        return
    context, attachments = _renderer_for(message.kind, message.template)(message)
    subject, text, html = _render_templates(message.template, context, message.language)
    subject = " ".join(subject.split())[: OutboxMessage._meta.get_field("subject").max_length]
    with transaction.atomic():
        # Only once, even if two callers render the same message at the same moment.
        if OutboxMessage.objects.filter(pk=message.pk, template=message.template).update(
            subject=subject, body_text=text, body_html=html or "", template=""
        ):
            OutboxAttachment.objects.bulk_create(
                [_attachment(message, *attachment) for attachment in attachments], batch_size=100
            )
    message.refresh_from_db()


def render_pending() -> int:
    """Render every message still waiting to be rendered, now (for tests and previews); returns how many."""
    messages = list(OutboxMessage.objects.exclude(template="").order_by("id"))
    for message in messages:
        render(message)
    return len(messages)


def _render_templates(template_prefix: str, context: dict, language: str) -> tuple[str, str, str | None]:
    with translation.override(language):
        subject = _render_plain(f"{template_prefix}_subject.txt", context)
        text = _render_plain(f"{template_prefix}.txt", context)
        try:
            html = get_template(f"{template_prefix}.html").render(context)
        except TemplateDoesNotExist:
            html = None
    return subject, text, html


def _render_plain(name: str, context: dict) -> str:
    template = get_template(name)
    engine_template = getattr(template, "template", None)  # the Django engine's own Template
    if engine_template is None:
        return template.render(context)
    return engine_template.render(Context(context, autoescape=False))


def _make_message_id() -> str:
    """A Message-ID in the sender's domain, fixed at queueing so that a retry is recognisably the same mail."""
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", "")
    domain = sender.rpartition("@")[2].strip("> ") if "@" in sender else str(DNS_NAME)
    return make_msgid(domain=domain or str(DNS_NAME))


def _attachment(message: OutboxMessage, filename: str, content: bytes | str, mimetype: str | None = None):
    if isinstance(content, str):
        content = content.encode()
    mimetype = mimetype or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return OutboxAttachment(message=message, filename=filename, mimetype=mimetype, content=content)


# --- Sending ------------------------------------------------------------------------------------------------


@dataclass
class SendCounts:
    """What one round of `send_due` did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.retrying + self.failed

    def __add__(self, other: SendCounts) -> SendCounts:
        return SendCounts(self.sent + other.sent, self.retrying + other.retrying, self.failed + other.failed)


def send_due(
    limit: int | None = 100, now: dt.datetime | None = None, stop: threading.Event | None = None
) -> SendCounts:
    """Send the messages that are due, one claim at a time, until none is left, `limit` is reached or the
    SMTP server is unreachable (the rest then waits for the next round rather than failing one by one).

    `now` fixes the clock (for tests); `stop`, when set, ends the round after the current message.
    """
    clock = (lambda: now) if now is not None else timezone.now
    counts = SendCounts()
    connection = get_connection(
        fail_silently=False, timeout=getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_SMTP_TIMEOUT
    )
    try:
        while (limit is None or counts.total < limit) and not (stop is not None and stop.is_set()):
            message = _claim_next(clock())
            if message is None:
                break
            try:
                render(message)  # a message queued with enqueue_to_render; a failure is retried like a send
                connection.open()  # a no-op while open; opened only once there is something to send
                accepted = connection.send_messages([_email(message, connection)])
                if not accepted:
                    raise smtplib.SMTPException("the mail backend did not accept the message")
            except Exception as error:  # any failure must leave the message queued, never lose it
                if _record_failure(message, error, clock()) == MessageState.FAILED:
                    counts.failed += 1
                else:
                    counts.retrying += 1
                if _server_unreachable(error):
                    break
            else:
                _mark_sent(message)
                counts.sent += 1
    finally:
        with suppress(Exception):  # closing a dead connection may fail too; the messages are safe already
            connection.close()
    return counts


def _claim_next(now: dt.datetime) -> OutboxMessage | None:
    """Take the oldest due message for this worker: state "sending", one more attempt, a lease until
    next_attempt_at. A message left "sending" past its lease (its worker died) is due again.

    On PostgreSQL a competing worker skips the row locked here (SKIP LOCKED) and takes the next; on SQLite the
    IMMEDIATE transaction mode makes claims queue one after the other, and SELECT FOR UPDATE is left out.
    """
    while True:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(state__in=DUE_STATES, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "id")
                .first()
            )
            if message is None:
                return None
            if message.state == MessageState.SENDING and message.attempts >= max_attempts():
                # Its worker died while sending it, on the last attempt: it may be what kills the workers.
                message.state = MessageState.FAILED
                message.last_error = "the worker stopped while sending it, on the last allowed attempt"
                message.save(update_fields=["state", "last_error"])
                logger.error("outbox message %s failed permanently: %s", message.pk, message.last_error)
                continue
            message.state = MessageState.SENDING
            message.attempts += 1
            message.next_attempt_at = now + lease()
            message.save(update_fields=["state", "attempts", "next_attempt_at"])
            return message


def _email(message: OutboxMessage, connection) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        to=[message.recipient],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={
            "Message-ID": message.message_id,
            "Content-Language": message.language,
            # RFC 3834: tells auto-responders (holiday replies) not to answer.
            "Auto-Submitted": "auto-generated",
        },
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments.all():
        email.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return email


def _mark_sent(message: OutboxMessage) -> None:
    # Its own transaction (autocommit), straight after the server's acceptance: the at-least-once window.
    OutboxMessage.objects.filter(pk=message.pk, state=MessageState.SENDING).update(
        state=MessageState.SENT, sent_at=timezone.now(), last_error=""
    )
    logger.info("outbox message %s sent (attempt %s)", message.pk, message.attempts)


def _record_failure(message: OutboxMessage, error: Exception, now: dt.datetime) -> MessageState:
    description = _describe(error, message.recipient)
    if message.attempts >= max_attempts():
        state, next_attempt_at = MessageState.FAILED, now
        logger.error(
            "outbox message %s failed permanently after %s attempts: %s", message.pk, message.attempts, description
        )
    else:
        state, next_attempt_at = MessageState.PENDING, now + retry_delay(message.attempts)
        logger.warning(
            "outbox message %s: attempt %s failed (%s); next attempt at %s",
            message.pk,
            message.attempts,
            description,
            next_attempt_at.isoformat(timespec="seconds"),
        )
    OutboxMessage.objects.filter(pk=message.pk, state=MessageState.SENDING).update(
        state=state, next_attempt_at=next_attempt_at, last_error=description
    )
    return state


def _describe(error: Exception, recipient: str) -> str:
    """The error for the back office, without the recipient's address (SMTP replies often quote it)."""
    text = f"{type(error).__name__}: {error}"
    text = re.sub(re.escape(recipient), "[recipient]", text, flags=re.IGNORECASE)
    return text[:1000]


def _server_unreachable(error: Exception) -> bool:
    """True when the SMTP server, not this one message, is the problem: connection refused or lost, or 421."""
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code == 421 or isinstance(error, smtplib.SMTPConnectError)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    # smtplib's other errors are OSErrors too, but about this message (such as a refused recipient).
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


# --- Back office and privacy ---------------------------------------------------------------------------------


def retry_now(messages: QuerySet[OutboxMessage], now: dt.datetime | None = None) -> int:
    """Make pending and permanently failed messages due at once (failed ones with a fresh set of attempts).

    Messages being sent, or sent, are left alone. Returns how many messages were made due.
    """
    now = now or timezone.now()
    with transaction.atomic():
        count = messages.filter(state=MessageState.PENDING).update(next_attempt_at=now)
        count += messages.filter(state=MessageState.FAILED).update(
            state=MessageState.PENDING, attempts=0, next_attempt_at=now
        )
    return count


def erase_recipient(email: str) -> int:
    """Delete every message to this address, in any state, with its attachments (AVG/GDPR erasure).

    Returns the number of messages deleted. A message being sent at this moment may still go out once.
    """
    return _delete(OutboxMessage.objects.filter(recipient__iexact=email.strip()))


def erase_caused_by(kind: str, object_id: object) -> int:
    """Delete every message that `kind` and `object_id` caused, whoever it went to (such as mail to an
    organiser about a registration that is being erased). Returns the number of messages deleted."""
    return _delete(OutboxMessage.objects.filter(kind=kind, object_id=str(object_id)))


def purge_sent(older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Delete sent messages whose sending is longer ago than `older_than`; returns how many."""
    cutoff = (now or timezone.now()) - older_than
    return _delete(OutboxMessage.objects.filter(state=MessageState.SENT, sent_at__lt=cutoff))


def _delete(messages: QuerySet[OutboxMessage]) -> int:
    _total, per_model = messages.delete()
    return per_model.get(OutboxMessage._meta.label, 0)
