from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The audience the invitation names, plus 'other' with a text of one's own."""

    MAYOR = "burgemeester", _("Mayor")
    ALDERMAN = "wethouder", _("Alderman")
    POLICY_MAKER = "beleidsmaker", _("Policy maker")
    COUNCIL_MEMBER = "raadslid", _("Council member")
    PROVINCIAL_COUNCIL_MEMBER = "statenlid", _("Member of the Provincial Council")
    YOUTH_CARE_WORKER = "jeugdhulpverlener", _("Youth-care worker")
    OTHER = "anders", _("Other")


class Status(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
