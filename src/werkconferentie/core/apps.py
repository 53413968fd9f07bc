from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(sender, using, **kwargs):
    """After every migrate, the database cache's table (the rate limits' counters, core/ratelimit.py), if the
    settings use one: `createcachetable` makes what is missing and leaves an existing table alone."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    """Site-wide pieces: the page frame, the language switch and the 'over' page."""

    name = "werkconferentie.core"
    verbose_name = _("General")

    def ready(self):
        # Sent once per app after migrate (and after a test's flush); with this app as sender, once per migrate.
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="werkconferentie.core.cache_table")
