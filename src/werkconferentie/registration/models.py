"""Registrations for an event, their ranked workshop preferences, and the privacy statement they agreed to.

Seats are decided in signup.py under the event's capacity lock (capacity.py); these models hold no rules.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from werkconferentie.core.i18n import LocalizedMixin
from werkconferentie.events.models import Event, Workshop
from werkconferentie.reference.models import Municipality

from .enums import Role, Status


def new_secret() -> str:
    return secrets.token_urlsafe(16)


class PrivacyStatement(LocalizedMixin, models.Model):
    """A version of the privacy statement; a registration records the version it consented to."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_from = models.DateField(_("effective from"))
    text_nl = models.TextField(_("text (Dutch)"))
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        verbose_name = _("privacy statement")
        verbose_name_plural = _("privacy statements")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version} ({self.effective_from:%Y-%m-%d})"

    @classmethod
    def current(cls) -> "PrivacyStatement":
        return cls.objects.order_by("-version").first()


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), max_length=254)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    role_other = models.CharField(_("role (other)"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("municipality"),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=500, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="nl")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, db_index=True)
    consent_statement = models.ForeignKey(
        PrivacyStatement, on_delete=models.PROTECT, related_name="+", verbose_name=_("privacy statement")
    )
    consented_at = models.DateTimeField(_("consent given at"))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # Part of the personal link: replacing it makes every earlier link of this person invalid.
    secret = models.CharField(max_length=32, default=new_secret, editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            # One active registration per address per event; after cancelling one may register again.
            models.UniqueConstraint(
                fields=["event", "email"], condition=~Q(status="cancelled"), name="one_active_registration_per_email"
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.event.slug})"

    @property
    def role_label(self) -> str:
        return self.role_other if self.role == Role.OTHER and self.role_other else self.get_role_display()

    @property
    def affiliation(self) -> str:
        return self.municipality.name if self.municipality_id else self.organisation

    def ranked_workshops(self) -> list[Workshop]:
        return [preference.workshop for preference in self.preferences.all()]


class Preference(models.Model):
    """One workshop in a person's ranking; rank 1 is the first choice."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="preferences")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="preferences")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("workshop preference")
        verbose_name_plural = _("workshop preferences")
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "workshop"], name="workshop_once_per_ranking"),
            models.UniqueConstraint(fields=["registration", "rank"], name="rank_once_per_ranking"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.workshop}"


class ErasedRegistrations(models.Model):
    """What is left of erased registrations: a count per event, role and status, nothing about the person."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)
    status = models.CharField(max_length=12, choices=Status.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("erased registrations")
        verbose_name_plural = _("erased registrations")
        constraints = [models.UniqueConstraint(fields=["event", "role", "status"], name="one_tally_per_kind")]

    def __str__(self) -> str:
        return f"{self.event.slug} {self.role} {self.status}: {self.count}"


class Mailing(models.Model):
    """A message the organiser wrote to the participants of an event (or a selection), and what was sent.

    Each recipient's mail is an outbox message (`messages`), in her language when both languages are written;
    the audience is kept as it was chosen, so the history says to whom and why.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="mailings", verbose_name=_("event"))
    subject_nl = models.CharField(_("subject (Dutch)"), max_length=200)
    body_nl = models.TextField(_("message (Dutch)"))
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("message (English)"), blank=True)
    audience = models.JSONField(_("audience"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    messages = models.ManyToManyField("outbox.OutboxMessage", blank=True, related_name="+")

    class Meta:
        verbose_name = _("message to participants")
        verbose_name_plural = _("messages to participants")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.subject_nl
