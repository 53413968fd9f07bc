from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    """What a programme item is; the event file uses the same values."""

    WALK_IN = "walk-in", _("Walk-in")
    WELCOME = "welcome", _("Welcome")
    TALK = "talk", _("Talk")
    WORKSHOP_ROUND = "workshop-round", _("Workshop round")
    ROUND_TABLE = "round-table", _("Round-table")
    BREAK = "break", _("Break")
    CLOSING = "closing", _("Closing")
    END = "end", _("End")
    OTHER = "other", _("Other")


class OrganisationRole(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    CONTRIBUTOR = "contributor", _("Contributor")
    OTHER = "other", _("Other")
