from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentConfig(AppConfig):
    """Assigning participants to workshop sessions: the Django side of the allocation engine."""

    name = "werkconferentie.assignment"
    verbose_name = _("Assignment")

    def ready(self):
        from werkconferentie.outbox.mailing import register_renderer
        from werkconferentie.registration.privacy import register_personal_data
        from werkconferentie.registration.programme import register_programme

        from . import notifications, privacy, runs, signals  # noqa: F401  (signals: late registrations and cancellations after publishing)

        register_programme(runs.personal_programme, runs.apply_changed_choices)
        for template in (notifications.TEMPLATE, notifications.DROPPED_TEMPLATE):
            register_renderer(notifications.KIND, notifications.render, template=template)
        register_personal_data("assignment", erase=privacy.erase, export=privacy.export)
