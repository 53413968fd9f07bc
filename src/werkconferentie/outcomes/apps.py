from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    """After the conference: themes over all answers, outcome points (the requests), the report's settings."""

    name = "werkconferentie.outcomes"
    verbose_name = _("Outcomes")

    def ready(self):
        from werkconferentie.outbox.mailing import register_renderer

        from . import dispatch

        register_renderer(dispatch.KIND, dispatch.render)
