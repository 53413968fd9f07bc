from django.db import models
from django.utils.translation import gettext_lazy as _


class BoardKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop session")
    ROUND_TABLE = "round-table", _("Round-table")
    CHILDREN = "children", _("Children and young people")


class AnswerStatus(models.TextChoices):
    """Visible answers are on every screen; pending ones wait for a moderator; hidden ones only the host sees."""

    VISIBLE = "visible", _("Visible")
    PENDING = "pending", _("Waiting for approval")
    HIDDEN = "hidden", _("Hidden")


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Merged")
    DISMISSED = "dismissed", _("Dismissed")
