"""Assignment runs and their placements, pins set by the organiser, and check-ins on the day.

Every run of the engine is kept (so runs can be compared); at most one run of an event is published, and only
that one is what participants see. Placements carry round and workshop next to the session so that the
database itself refuses two sessions in one round or the same workshop twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from werkconferentie.events.models import Event, Round, Workshop, WorkshopSession
from werkconferentie.registration.models import Registration


class AssignmentRun(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="assignment_runs", verbose_name=_("event"))
    number = models.PositiveIntegerField(_("number"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    objective = models.BigIntegerField(_("objective"), null=True)
    lower_bound = models.BigIntegerField(_("lower bound"), null=True)
    optimal = models.BooleanField(_("proven optimal"), default=False)
    seconds = models.FloatField(_("seconds"), default=0)
    # The engine's statistics and the reasons people could not be placed (JSON, no personal data but ids).
    stats = models.JSONField(_("statistics"), default=dict, blank=True)

    class Meta:
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")
        ordering = ["event", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="run_number_unique_per_event"),
            models.UniqueConstraint(
                fields=["event"], condition=Q(published_at__isnull=False), name="one_published_run_per_event"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event.slug} #{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Placement(models.Model):
    """One person in one session of a run."""

    class Source(models.TextChoices):
        ENGINE = "engine", _("Engine")
        MANUAL = "manual", _("Moved by hand")
        LATE = "late", _("Placed after publishing")

    run = models.ForeignKey(AssignmentRun, on_delete=models.CASCADE, related_name="placements")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="placements")
    session = models.ForeignKey(WorkshopSession, on_delete=models.CASCADE, related_name="placements")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ENGINE)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(fields=["run", "registration", "round"], name="one_session_per_round"),
            models.UniqueConstraint(fields=["run", "registration", "workshop"], name="never_the_same_workshop_twice"),
        ]
        indexes = [models.Index(fields=["run", "session"])]

    def __str__(self) -> str:
        return f"{self.registration_id} → {self.session}"


class Pin(models.Model):
    """The organiser fixes a person in a session; the engine keeps it on every later run."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="pins")
    session = models.ForeignKey(WorkshopSession, on_delete=models.CASCADE, related_name="pins")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pin")
        verbose_name_plural = _("pins")
        constraints = [models.UniqueConstraint(fields=["registration", "round"], name="one_pin_per_round")]

    def __str__(self) -> str:
        return f"{self.registration_id} 📌 {self.session}"


class CheckIn(models.Model):
    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="check_in")
    checked_in_at = models.DateTimeField(_("checked in at"), auto_now_add=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"{self.registration_id} @ {self.checked_in_at:%H:%M}"
