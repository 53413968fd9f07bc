from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Site-wide pieces: the page frame, the language switch and the 'over' page."""

    name = "werkconferentie.core"
    verbose_name = _("General")
