"""The outcome of an event: themes over its public answers, outcome points (the requests to the councils), the
report's settings (publication, raadsadres texts) and the history of every change.

The rules live in plain modules: themes.py (proposing and rearranging themes), points.py (outcome points),
report.py (publication and the letter texts with their defaults), history.py (what changed, by whom).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkconferentie.core.i18n import LocalizedMixin
from werkconferentie.events.models import Event
from werkconferentie.live.models import Answer
from werkconferentie.reference.models import CrcArticle, SdgGoal

TITLE_MAX_LENGTH = 300


class Theme(models.Model):
    """A group of public answers (of any board of the event) about one subject; named after its most-voted answer
    when proposed, renamed by the organiser."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="outcome_themes", verbose_name=_("event"))
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    order = models.PositiveIntegerField(_("order"), default=0)
    accepted = models.BooleanField(_("accepted"), default=False)
    answers = models.ManyToManyField(
        Answer, through="ThemeAnswer", related_name="outcome_themes", verbose_name=_("answers")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["event", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class ThemeAnswer(models.Model):
    """An answer's place in a theme. An answer belongs to one event (through its board), so one theme at most."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("theme"))
    answer = models.OneToOneField(
        Answer, on_delete=models.CASCADE, related_name="theme_membership", verbose_name=_("answer")
    )

    class Meta:
        verbose_name = _("answer in a theme")
        verbose_name_plural = _("answers in themes")

    def __str__(self) -> str:
        return f"{self.theme_id}: {self.answer_id}"


class OutcomePoint(LocalizedMixin, models.Model):
    """One point of the outcome: what the conference found and what it asks the council. `is_request` marks the
    conference's numbered requests to all councils; `number` orders all points of the event (1, 2, 3 …)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="outcome_points", verbose_name=_("event"))
    number = models.PositiveIntegerField(_("number"), default=0)
    title_nl = models.CharField(_("title (Dutch)"), max_length=TITLE_MAX_LENGTH)
    title_en = models.CharField(_("title (English)"), max_length=TITLE_MAX_LENGTH, blank=True)
    explanation_nl = models.TextField(_("explanation (Dutch)"), blank=True)
    explanation_en = models.TextField(_("explanation (English)"), blank=True)
    request_nl = models.TextField(_("request to the council (Dutch)"), blank=True)
    request_en = models.TextField(_("request to the council (English)"), blank=True)
    is_request = models.BooleanField(
        _("request to all councils"),
        default=False,
        help_text=_("One of the conference's numbered requests to every council."),
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="points", verbose_name=_("theme")
    )
    answers = models.ManyToManyField(
        Answer, blank=True, related_name="outcome_points", verbose_name=_("supporting answers")
    )
    crc_articles = models.ManyToManyField(CrcArticle, blank=True, related_name="+", verbose_name=_("CRC articles"))
    sdgs = models.ManyToManyField(SdgGoal, blank=True, related_name="+", verbose_name=_("SDGs"))
    policy_areas = models.JSONField(_("policy areas"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("outcome point")
        verbose_name_plural = _("outcome points")
        ordering = ["event", "number", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title_nl}"


class OutcomeReport(LocalizedMixin, models.Model):
    """Per event: whether the report is public, and who writes the raadsadres with which texts.

    Empty texts mean the default of report.py (`letter_texts`), so improving a default reaches every event that
    did not write its own. An empty letter date means the day the letter is made.
    """

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="outcome_report", verbose_name=_("event")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    sender_name = models.CharField(
        _("sender"), max_length=200, blank=True, help_text=_("Empty: the organising organisation of the event.")
    )
    signatory_name = models.CharField(_("signed by"), max_length=200, blank=True)
    signatory_function_nl = models.CharField(_("function of the signatory (Dutch)"), max_length=200, blank=True)
    signatory_function_en = models.CharField(_("function of the signatory (English)"), max_length=200, blank=True)
    sender_address = models.TextField(_("sender's postal address"), blank=True)
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("Empty: the contact e-mail of the event.")
    )
    letter_place = models.CharField(
        _("place of the letter"), max_length=100, blank=True, help_text=_("Empty: the town of the venue.")
    )
    letter_date = models.DateField(
        _("date of the letter"), null=True, blank=True, help_text=_("Empty: the day the letter is made.")
    )
    intro_nl = models.TextField(_("opening paragraph (Dutch)"), blank=True)
    intro_en = models.TextField(_("opening paragraph (English)"), blank=True)
    handling_nl = models.TextField(_("proposed handling (Dutch)"), blank=True)
    handling_en = models.TextField(_("proposed handling (English)"), blank=True)
    closing_nl = models.TextField(_("closing paragraph (Dutch)"), blank=True)
    closing_en = models.TextField(_("closing paragraph (English)"), blank=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("outcome report")
        verbose_name_plural = _("outcome reports")

    def __str__(self) -> str:
        return str(self.event)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class OutcomeChange(models.Model):
    """One change to an event's outcome (a theme, a point, the report): who, when, what, and per field the value
    before and after ({"field": [before, after]}). Kept when the object itself is deleted."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="outcome_changes", verbose_name=_("event"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=20)
    object_type = models.CharField(_("kind of object"), max_length=20)  # "theme", "point" or "report"
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    object_label = models.CharField(_("object"), max_length=TITLE_MAX_LENGTH, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("outcome change")
        verbose_name_plural = _("outcome changes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_label}"


# --- Sending the raadsadres: griffie addresses and one record per letter sent -------------------------------------


class GriffieAddress(models.Model):
    """Where a council's mail goes: the griffie's e-mail and postal address. Public facts about a public body, so
    one list for every event; typed per municipality in the back office or imported from a CSV (griffies.py)."""

    municipality = models.OneToOneField(
        "reference.Municipality",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="griffie_address",
        verbose_name=_("municipality"),
    )
    email = models.EmailField(_("e-mail address of the griffie"), max_length=254, blank=True)
    postal_address = models.TextField(_("postal address of the griffie"), blank=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("griffie address")
        verbose_name_plural = _("griffie addresses")
        ordering = ["municipality__name"]

    def __str__(self) -> str:
        return str(self.municipality)


class CouncilHandling(models.TextChoices):
    """How the council handles a letter on its list of ingekomen stukken; the categories differ per municipality,
    these are the common ones (see docs/sending-letters.md)."""

    NOTED = "noted", _("noted (voor kennisgeving aangenomen)")
    EXECUTIVE = "executive", _("referred to the executive (in handen van het college gesteld)")
    EXECUTIVE_ADVISES = "advice", _("the executive advises the council first")
    AGENDA = "agenda", _("put on the agenda for discussion")
    OTHER = "other", _("other")


class LetterDispatch(models.Model):
    """One raadsadres sent to one griffie: where it went, its mail in the outbox, and what the council did with
    it (entered by the organiser). Sending again makes a new record; the follow-up of commitments builds on it.

    The address is a copy of the griffie address at sending time, so a later change of the list does not change
    what this letter was sent to. `delivered_at` is copied from the outbox when the mail server accepted the mail
    (dispatch.sync_delivery), so the fact stays when old outbox messages are purged.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="letter_dispatches", verbose_name=_("event")
    )
    municipality = models.ForeignKey(
        "reference.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    email = models.EmailField(_("sent to"), max_length=254)
    postal_address = models.TextField(_("postal address"), blank=True)
    letter_date = models.DateField(_("date of the letter"))
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("queued by"),
    )
    message = models.OneToOneField(
        "outbox.OutboxMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letter_dispatch",
        verbose_name=_("mail"),
    )
    delivered_at = models.DateTimeField(_("delivered to the mail server at"), null=True, blank=True)
    listed_on = models.DateField(_("on the list of ingekomen stukken on"), null=True, blank=True)
    handling = models.CharField(
        _("handling by the council"), max_length=12, choices=CouncilHandling.choices, blank=True
    )
    handling_other = models.CharField(_("handling, in words"), max_length=300, blank=True)
    answer_received_on = models.DateField(_("answer received on"), null=True, blank=True)
    answer_summary = models.CharField(_("the answer in short"), max_length=1000, blank=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("raadsadres sent")
        verbose_name_plural = _("raadsadressen sent")
        ordering = ["event", "municipality__name", "queued_at", "pk"]
        indexes = [models.Index(fields=["event", "municipality"], name="outcomes_dispatch_event_mun")]

    def __str__(self) -> str:
        return f"{self.event} → {self.municipality} ({self.queued_at:%Y-%m-%d})"
