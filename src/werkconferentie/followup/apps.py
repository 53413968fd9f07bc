from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    """Until the target date: the municipalities' commitments, their progress, and what happened to each idea."""

    name = "werkconferentie.followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from . import privacy

        privacy.register()
