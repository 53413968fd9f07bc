"""Outgoing mail as rows: one message per recipient, with its attachments, until the SMTP server accepts it.

The rows hold everything needed to build the mail again, so a retry hours later sends exactly what was
queued, with the same Message-ID. A message can also be queued as a reference (template, kind, object_id and
a small context) that the worker renders before the first attempt; see `mailing.enqueue_to_render`. `kind`
and `object_id` say what caused a message (such as "registration.confirmation" and a registration's id)
without a foreign key, so the outbox depends on no other app.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import MessageState


class OutboxMessage(models.Model):
    recipient = models.EmailField(_("recipient"), max_length=254, db_index=True)
    subject = models.CharField(_("subject"), max_length=500)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="nl")
    reply_to = models.EmailField(_("reply to"), max_length=254, blank=True)
    message_id = models.CharField(
        _("Message-ID"), max_length=255, unique=True, help_text=_("Set once when queued; every retry carries it.")
    )
    state = models.CharField(_("state"), max_length=10, choices=MessageState.choices, default=MessageState.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(
        _("next attempt"),
        default=timezone.now,
        help_text=_("While sending: when the worker's claim runs out and another worker may take it over."),
    )
    last_error = models.TextField(_("last error"), blank=True)
    kind = models.CharField(_("kind"), max_length=100, blank=True, help_text=_("What caused the message."))
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    # A message queued with `mailing.enqueue_to_render` is rendered by the worker just before its first attempt:
    # until then `template` holds the template prefix (subject and body are empty) and `context` the facts of
    # the moment it was queued; once rendered, `template` is emptied and the message is like any other.
    template = models.CharField(
        _("template"), max_length=200, blank=True, help_text=_("Set while the message waits to be rendered.")
    )
    context = models.JSONField(_("context"), default=dict, blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The worker's query: due messages in the order they became due.
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["kind", "object_id"], name="outbox_cause"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_state_display()})"


class OutboxAttachment(models.Model):
    message = models.ForeignKey(
        OutboxMessage, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    filename = models.CharField(_("file name"), max_length=255)
    mimetype = models.CharField(_("type"), max_length=100)
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename
