from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """The event and its programme: speakers, organisations, workshops, rounds and workshop sessions."""

    name = "werkconferentie.events"
    verbose_name = _("Conferences")
