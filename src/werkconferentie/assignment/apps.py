from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentConfig(AppConfig):
    """Assigning participants to workshop sessions: the Django side of the allocation engine."""

    name = "werkconferentie.assignment"
    verbose_name = _("Assignment")

    def ready(self):
        from werkconferentie.registration.programme import register_programme

        from . import runs, signals  # noqa: F401  (late registrations and cancellations after publishing)

        register_programme(runs.personal_programme, runs.apply_changed_choices)
