"""The words councils use for their promises (toezeggingenlijst, moties list)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitmentKind(models.TextChoices):
    TOEZEGGING = "toezegging", _("Promise by the executive (toezegging)")
    MOTIE = "motie", _("Motion (motie)")
    AMENDEMENT = "amendement", _("Amendment (amendement)")
    RAADSVOORSTEL = "raadsvoorstel", _("Council proposal (raadsvoorstel)")
    EIGEN_ACTIE = "eigen-actie", _("Own action")


class CommitmentStatus(models.TextChoices):
    """In the order a promise usually goes through them; `default_progress` gives each a starting percentage."""

    OPEN = "openstaand", _("Outstanding")
    IN_PROGRESS = "in-uitvoering", _("In progress")
    PARTLY_DONE = "deels-voldaan", _("Partly done")
    DONE = "voldaan", _("Done")
    HELD = "aangehouden", _("On hold")
    NOT_ADOPTED = "niet-overgenomen", _("Not adopted")


DEFAULT_PROGRESS = {
    CommitmentStatus.OPEN: 0,
    CommitmentStatus.DONE: 100,
}
