from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    """On the day: live boards where participants answer the central question, vote, and hosts moderate."""

    name = "werkconferentie.live"
    verbose_name = _("Live boards")

    def ready(self):
        from werkconferentie.registration.privacy import register_personal_data

        from . import privacy

        register_personal_data("live_answers", erase=privacy.erase, export=privacy.export)
