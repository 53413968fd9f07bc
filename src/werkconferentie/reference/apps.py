from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    """Bundled reference data: CRC articles, SDGs and Dutch municipalities."""

    name = "werkconferentie.reference"
    verbose_name = _("Reference")
