from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    """Sign-up by role and municipality, the waiting list, self-service by personal link, and privacy."""

    name = "werkconferentie.registration"
    verbose_name = _("Registration")

    def ready(self):
        from werkconferentie.outbox.mailing import register_renderer

        from . import notifications, signals  # noqa: F401 (signals: connects its receivers)

        register_renderer(notifications.KIND, notifications.render)
