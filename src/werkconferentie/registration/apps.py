from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    """Sign-up by role and municipality, the waiting list, self-service by personal link, and privacy."""

    name = "werkconferentie.registration"
    verbose_name = _("Registration")

    def ready(self):
        from werkconferentie.core.middleware import register_page_language
        from werkconferentie.events.seats import register_seats_left
        from werkconferentie.outbox.mailing import register_renderer

        from . import links, notifications, signals, signup  # noqa: F401 (signals: connects its receivers)

        register_renderer(notifications.KIND, notifications.render)
        register_page_language(links.registrants_language)
        register_seats_left(signup.seats_left)
