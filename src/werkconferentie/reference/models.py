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

    I = "I", _("Part I: the rights of the child")  # noqa: E741
    II = "II", _("Part II: monitoring of the convention")
    III = "III", _("Part III: final provisions")


class CrcCluster(models.Model):
    """A reporting cluster of the CRC Committee; an article can sit in more than one."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    position = models.PositiveSmallIntegerField(_("order"))
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        ordering = ["position"]
        verbose_name = _("cluster of the UN Committee on the Rights of the Child")
        verbose_name_plural = _("clusters of the UN Committee on the Rights of the Child")

    def __str__(self):
        return f"{self.code}. {self.name_nl}"

    @property
    def name(self) -> str:
        return localized(self, "name")


class CrcArticle(models.Model):
    """One article of the UN Convention on the Rights of the Child (Kinderrechtenverdrag, IVRK)."""

    number = models.PositiveSmallIntegerField(_("article"), unique=True)
    part = models.CharField(_("part"), max_length=3, choices=CrcPart.choices)
    title_nl = models.CharField(_("short title (Dutch)"), max_length=200)
    title_en = models.CharField(_("short title (English)"), max_length=200)
    text_nl = models.TextField(_("text (Dutch)"))
    text_en = models.TextField(_("text (English)"))
    is_general_principle = models.BooleanField(_("general principle"), default=False)
    clusters = models.ManyToManyField(
        CrcCluster, related_name="articles", blank=True, verbose_name=_("clusters of the Committee")
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("article of the Convention on the Rights of the Child")
        verbose_name_plural = _("articles of the Convention on the Rights of the Child")

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

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    short_nl = models.CharField(_("short name (Dutch)"), max_length=200)
    short_en = models.CharField(_("short name (English)"), max_length=200)
    # The UN title exists in English only; there is no official Dutch text in the bundled data.
    title_en = models.TextField(_("full title (English)"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("sustainable development goal (SDG)")
        verbose_name_plural = _("sustainable development goals (SDGs)")

    def __str__(self):
        return f"SDG {self.number}. {self.short_nl}"

    @property
    def short(self) -> str:
        return localized(self, "short")


class SdgTarget(models.Model):
    """A target of an SDG, such as 1.1 or 1.a (English text only)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    goal = models.ForeignKey(SdgGoal, on_delete=models.CASCADE, related_name="targets", verbose_name=_("goal"))
    position = models.PositiveSmallIntegerField(_("order"))
    text_en = models.TextField(_("text (English)"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")

    def __str__(self):
        return self.code


class ChildDimension(models.TextChoices):
    """The five dimensions of child well-being after UNICEF (2018) used by the child-related selection."""

    SURVIVE_THRIVE = "survive_thrive", _("Survive and thrive")
    LEARN = "learn", _("Learn")
    PROTECTED = "protected", _("Protected from violence, exploitation and harmful practices")
    SAFE_CLEAN_ENVIRONMENT = "safe_clean_environment", _("Safe and clean environment")
    FAIR_CHANCE = "fair_chance", _("Fair chance in life")


class SdgIndicator(models.Model):
    """An indicator of the global SDG framework (2025 review), e.g. 1.1.1, with the child-related selection."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    target = models.ForeignKey(SdgTarget, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("target"))
    position = models.PositiveSmallIntegerField(_("order"))
    unsd_code = models.CharField(_("UNSD code"), max_length=16, blank=True)
    text_en = models.TextField(_("text (English)"))
    # Our own selection after UNICEF, not an official list: the UI must call it "child-related (selection)".
    child_related = models.BooleanField(_("child-related (selection)"), default=False)
    child_dimension = models.CharField(_("dimension"), max_length=32, blank=True, choices=ChildDimension.choices)
    child_dimension_nl = models.CharField(_("dimension (Dutch, from the source)"), max_length=200, blank=True)
    # The selection gives no Dutch label per indicator yet; kept so a later data file can add one.
    label_nl = models.CharField(_("Dutch description"), max_length=300, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("SDG indicator")
        verbose_name_plural = _("SDG indicators")

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

    code = models.CharField(_("CBS code"), max_length=6, primary_key=True, help_text=_("For example GM0106."))
    name = models.CharField(_("name"), max_length=100)
    province_code = models.CharField(_("province code"), max_length=2, help_text=_("For example 22."))
    province_name = models.CharField(_("province"), max_length=50)
    valid_from = models.DateField(_("start date"))
    valid_to = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("First day on which the municipality no longer exists.")
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
    )
    successor_note = models.CharField(_("note on the successor"), max_length=300, blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
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
