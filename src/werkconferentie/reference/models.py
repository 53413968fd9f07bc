"""Reference data bundled with the package: CRC articles, SDGs and Dutch municipalities.

The rows come from the files in `reference/data/` (see `loading.py`) and are never edited by hand, so the
admin shows them read-only. Text that exists in Dutch and English is stored as `*_nl`/`*_en` pairs; the
properties without suffix return the one for the active language.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from werkconferentie.core.i18n import active_content_language, localized, localized_language


class CrcPart(models.TextChoices):
    """The treaty's three parts: the rights (I), monitoring (II) and final provisions (III)."""

    I = "I", _("Deel I: de rechten van het kind")  # noqa: E741
    II = "II", _("Deel II: toezicht op het verdrag")
    III = "III", _("Deel III: slotbepalingen")


class CrcCluster(models.Model):
    """A reporting cluster of the CRC Committee; an article can sit in more than one."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    position = models.PositiveSmallIntegerField(_("volgorde"))
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200)

    class Meta:
        ordering = ["position"]
        verbose_name = _("cluster van het VN-Kinderrechtencomité")
        verbose_name_plural = _("clusters van het VN-Kinderrechtencomité")

    def __str__(self):
        return f"{self.code}. {self.name_nl}"

    @property
    def name(self) -> str:
        return localized(self, "name")


class CrcArticle(models.Model):
    """One article of the UN Convention on the Rights of the Child (Kinderrechtenverdrag, IVRK)."""

    number = models.PositiveSmallIntegerField(_("artikel"), unique=True)
    part = models.CharField(_("deel"), max_length=3, choices=CrcPart.choices)
    title_nl = models.CharField(_("korte titel (Nederlands)"), max_length=200)
    title_en = models.CharField(_("korte titel (Engels)"), max_length=200)
    text_nl = models.TextField(_("tekst (Nederlands)"))
    text_en = models.TextField(_("tekst (Engels)"))
    is_general_principle = models.BooleanField(_("algemeen beginsel"), default=False)
    clusters = models.ManyToManyField(
        CrcCluster, related_name="articles", blank=True, verbose_name=_("clusters van het comité")
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("artikel van het Kinderrechtenverdrag")
        verbose_name_plural = _("artikelen van het Kinderrechtenverdrag")

    def __str__(self):
        return f"{self.number}. {self.title_nl}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def text_language(self) -> str:
        return localized_language(self, "text")


class SdgGoal(models.Model):
    """One of the 17 Sustainable Development Goals of Agenda 2030."""

    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    short_nl = models.CharField(_("korte naam (Nederlands)"), max_length=200)
    short_en = models.CharField(_("korte naam (Engels)"), max_length=200)
    # The UN title exists in English only; there is no official Dutch text in the bundled data.
    title_en = models.TextField(_("volledige titel (Engels)"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("duurzaamheidsdoel (SDG)")
        verbose_name_plural = _("duurzaamheidsdoelen (SDG's)")

    def __str__(self):
        return f"SDG {self.number}. {self.short_nl}"

    @property
    def short(self) -> str:
        return localized(self, "short")


class SdgTarget(models.Model):
    """A target of an SDG, such as 1.1 or 1.a (English text only)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    goal = models.ForeignKey(SdgGoal, on_delete=models.CASCADE, related_name="targets", verbose_name=_("doel"))
    position = models.PositiveSmallIntegerField(_("volgorde"))
    text_en = models.TextField(_("tekst (Engels)"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("subdoel (SDG-target)")
        verbose_name_plural = _("subdoelen (SDG-targets)")

    def __str__(self):
        return self.code


class ChildDimension(models.TextChoices):
    """The five dimensions of child well-being after UNICEF (2018) used by the child-related selection."""

    SURVIVE_THRIVE = "survive_thrive", _("Overleven en gedijen")
    LEARN = "learn", _("Leren")
    PROTECTED = "protected", _("Beschermd tegen geweld, uitbuiting en schadelijke praktijken")
    SAFE_CLEAN_ENVIRONMENT = "safe_clean_environment", _("Veilige en schone leefomgeving")
    FAIR_CHANCE = "fair_chance", _("Eerlijke kans in het leven")


class SdgIndicator(models.Model):
    """An indicator of the global SDG framework (2025 review), e.g. 1.1.1, with the child-related selection."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    target = models.ForeignKey(
        SdgTarget, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("subdoel")
    )
    position = models.PositiveSmallIntegerField(_("volgorde"))
    unsd_code = models.CharField(_("UNSD-code"), max_length=16, blank=True)
    text_en = models.TextField(_("tekst (Engels)"))
    # Our own selection after UNICEF, not an official list: the UI must call it "kindgerelateerd (selectie)".
    child_related = models.BooleanField(_("kindgerelateerd (selectie)"), default=False)
    child_dimension = models.CharField(_("dimensie"), max_length=32, blank=True, choices=ChildDimension.choices)
    child_dimension_nl = models.CharField(_("dimensie (Nederlands, uit de bron)"), max_length=200, blank=True)
    # The selection gives no Dutch label per indicator yet; kept so a later data file can add one.
    label_nl = models.CharField(_("Nederlandse omschrijving"), max_length=300, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("indicator (SDG)")
        verbose_name_plural = _("indicatoren (SDG)")

    def __str__(self):
        return self.code

    @property
    def child_dimension_label(self) -> str:
        """The dimension in the active language: the source's Dutch wording, else our gettext label."""
        if active_content_language() == "nl" and self.child_dimension_nl:
            return self.child_dimension_nl
        return str(ChildDimension(self.child_dimension).label) if self.child_dimension else ""


class MunicipalityQuerySet(models.QuerySet):
    def on(self, date: datetime.date):
        """Municipalities that existed on `date` (valid_from inclusive, valid_to exclusive as in CBS data)."""
        return self.filter(valid_from__lte=date).filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=date))

    def current(self):
        return self.filter(valid_to__isnull=True)


class Municipality(models.Model):
    """A Dutch municipality (gemeente) by its CBS code, current or dissolved since 1970."""

    code = models.CharField(_("CBS-code"), max_length=6, primary_key=True, help_text=_("Bijvoorbeeld GM0106."))
    name = models.CharField(_("naam"), max_length=100)
    province_code = models.CharField(_("provinciecode"), max_length=2, help_text=_("Bijvoorbeeld 22."))
    province_name = models.CharField(_("provincie"), max_length=50)
    valid_from = models.DateField(_("begindatum"))
    valid_to = models.DateField(
        _("einddatum"), null=True, blank=True, help_text=_("Eerste dag dat de gemeente niet meer bestaat.")
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("opvolger"),
    )
    successor_note = models.CharField(_("toelichting opvolger"), max_length=300, blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        indexes = [models.Index(fields=["province_code", "name"]), models.Index(fields=["valid_to"])]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    @property
    def province_code_pv(self) -> str:
        """The province code as CBS writes it in its area codes, e.g. PV22."""
        return f"PV{self.province_code}"
