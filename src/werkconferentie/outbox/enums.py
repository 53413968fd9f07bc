from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageState(models.TextChoices):
    """Where a message is on its way out; only the worker in outbox.mailing moves it along."""

    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed permanently")
