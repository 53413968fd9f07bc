from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """Outgoing mail, kept in the database until the SMTP server has accepted it."""

    name = "werkconferentie.outbox"
    verbose_name = _("Outgoing mail")
