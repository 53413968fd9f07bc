"""The event and its programme.

Texts that appear on public pages exist in Dutch and English (`_nl` / `_en` pairs, see core.i18n). Children of
an event carry a `key` taken from the event file, so that loading a changed file updates them in place instead
of replacing rows that later data (registrations, assignments) points to.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkconferentie.core.i18n import LocalizedMixin

from .enums import ItemKind, OrganisationRole


class Event(LocalizedMixin, models.Model):
    slug = models.SlugField(_("slug"), unique=True, help_text=_("Short name used in web addresses."))
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    theme_nl = models.CharField(_("theme (Dutch)"), max_length=300, blank=True)
    theme_en = models.CharField(_("theme (English)"), max_length=300, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Amsterdam")
    venue_name = models.CharField(_("venue"), max_length=200)
    venue_street = models.CharField(_("street and number"), max_length=200, blank=True)
    venue_postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    venue_city = models.CharField(_("town"), max_length=100)
    contact_email = models.EmailField(_("contact e-mail"))
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: when the event starts.")
    )
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("Number of participants the venue takes."))
    central_question_nl = models.TextField(_("central question (Dutch)"), blank=True)
    central_question_en = models.TextField(_("central question (English)"), blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    target_date_label_nl = models.CharField(_("target date meaning (Dutch)"), max_length=200, blank=True)
    target_date_label_en = models.CharField(_("target date meaning (English)"), max_length=200, blank=True)
    more_info_url = models.URLField(_("more information (web address)"), blank=True)
    # The privacy statement names these for the event (AVG/GDPR article 13).
    privacy_controller = models.CharField(
        _("controller of personal data"),
        max_length=200,
        blank=True,
        help_text=_(
            "Who is responsible for the personal data of this event (AVG). Empty: the organising organisation."
        ),
    )
    privacy_contact = models.EmailField(
        _("privacy contact"), blank=True, help_text=_("For questions about personal data. Empty: the contact e-mail.")
    )
    retention_days = models.PositiveIntegerField(
        _("retention (days after the event)"),
        null=True,
        blank=True,
        help_text=_("After this many days the personal data is erased. Empty: the installation's setting."),
    )
    published = models.BooleanField(_("published"), default=True)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organisers"),
        blank=True,
        related_name="organised_events",
        help_text=_("Accounts that manage this event in the back office."),
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-date"]

    def __str__(self) -> str:
        return self.title_nl

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def at(self, time: dt.time) -> dt.datetime:
        """A time of day on the event's date, as an aware datetime in the event's time zone."""
        return dt.datetime.combine(self.date, time, tzinfo=self.tzinfo)

    @property
    def starts_at(self) -> dt.datetime:
        return self.at(self.start_time)

    @property
    def ends_at(self) -> dt.datetime:
        return self.at(self.end_time)

    @property
    def registration_closes_at(self) -> dt.datetime:
        return self.registration_closes or self.starts_at

    @property
    def registration_deadline(self) -> dt.datetime:
        """The closing time a page may show: never after the conference starts (a later one is clamped)."""
        return min(self.registration_closes_at, self.starts_at)

    def has_ended(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def registration_is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.registration_opens and now < self.registration_opens:
            return False
        return now < self.registration_closes_at

    @property
    def controller(self) -> str:
        """The controller in the sense of the AVG: as set, else the organising organisation, else the venue."""
        if self.privacy_controller:
            return self.privacy_controller
        organiser = self.organisations.filter(role=OrganisationRole.ORGANISER).first()
        return organiser.loc("name") if organiser else self.venue_name

    @property
    def privacy_contact_email(self) -> str:
        return self.privacy_contact or self.contact_email

    @property
    def retention(self) -> int:
        """Days after the event until its personal data is erased."""
        return self.retention_days if self.retention_days is not None else settings.RETENTION_DAYS

    @property
    def erased_on(self) -> dt.date:
        return self.date + dt.timedelta(days=self.retention)

    @property
    def central_question(self) -> str:
        return self.loc("central_question")


class Organisation(LocalizedMixin, models.Model):
    """An organisation taking part in an event: the organiser or a contributor named in the invitation."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="organisations", verbose_name=_("event"))
    key = models.SlugField(_("key"))
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    url = models.URLField(_("website"), blank=True)
    role = models.CharField(_("role"), max_length=20, choices=OrganisationRole.choices, default=OrganisationRole.OTHER)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["order", "name_nl"]
        constraints = [models.UniqueConstraint(fields=["event", "key"], name="organisation_key_unique_per_event")]

    def __str__(self) -> str:
        return self.name_nl


class Speaker(LocalizedMixin, models.Model):
    """A person on the programme: the chair, a speaker or a workshop host."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("event"))
    key = models.SlugField(_("key"))
    name = models.CharField(_("name"), max_length=200)
    affiliation_nl = models.CharField(_("position and organisation (Dutch)"), max_length=300, blank=True)
    affiliation_en = models.CharField(_("position and organisation (English)"), max_length=300, blank=True)
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="people", verbose_name=_("organisations")
    )

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["event", "key"], name="speaker_key_unique_per_event")]

    def __str__(self) -> str:
        return self.name


class Round(LocalizedMixin, models.Model):
    """A time slot in which workshops run in parallel."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("event"))
    key = models.SlugField(_("key"))
    number = models.PositiveIntegerField(_("number"))
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))

    class Meta:
        verbose_name = _("workshop round")
        verbose_name_plural = _("workshop rounds")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "key"], name="round_key_unique_per_event"),
            models.UniqueConstraint(fields=["event", "number"], name="round_number_unique_per_event"),
        ]

    def __str__(self) -> str:
        return self.title_nl


class Workshop(LocalizedMixin, models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="workshops", verbose_name=_("event"))
    slug = models.SlugField(_("slug"))
    number = models.PositiveIntegerField(_("number"))
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    theme_nl = models.CharField(_("theme (Dutch)"), max_length=200, blank=True)
    theme_en = models.CharField(_("theme (English)"), max_length=200, blank=True)
    description_nl = models.TextField(_("short description (Dutch)"), blank=True)
    description_en = models.TextField(_("short description (English)"), blank=True)
    hosts = models.ManyToManyField(Speaker, blank=True, related_name="workshops", verbose_name=_("hosts"))
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="workshops", verbose_name=_("organisations")
    )

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="workshop_slug_unique_per_event"),
            models.UniqueConstraint(fields=["event", "number"], name="workshop_number_unique_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title_nl}"

    def get_absolute_url(self) -> str:
        return reverse("events:workshop", kwargs={"slug": self.event.slug, "workshop": self.slug})


class WorkshopSession(models.Model):
    """A workshop held in one round, in a room with a capacity. A workshop need not run in every round."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("workshop")
    )
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("round"))
    room = models.CharField(_("room"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))

    class Meta:
        verbose_name = _("workshop session")
        verbose_name_plural = _("workshop sessions")
        ordering = ["round__number", "workshop__number"]
        constraints = [models.UniqueConstraint(fields=["workshop", "round"], name="one_session_per_workshop_per_round")]

    def __str__(self) -> str:
        return f"{self.workshop} · {self.round}"


class ProgrammeItem(LocalizedMixin, models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="programme", verbose_name=_("event"))
    order = models.PositiveIntegerField(_("order"), default=0)
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices, default=ItemKind.OTHER)
    title_nl = models.CharField(_("title (Dutch)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    speakers = models.ManyToManyField(
        Speaker, blank=True, through="ProgrammeSpeaker", related_name="programme_items", verbose_name=_("speakers")
    )
    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.SET_NULL, related_name="programme_items", verbose_name=_("round")
    )

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme")
        ordering = ["start_time", "order"]

    def __str__(self) -> str:
        return f"{self.start_time:%H:%M} {self.title_nl}"

    @property
    def ordered_speakers(self) -> list["Speaker"]:
        """The speakers in programme order (prefetch `speaker_links__speaker` to save queries)."""
        return [link.speaker for link in self.speaker_links.all()]


class ProgrammeSpeaker(models.Model):
    """A speaker on a programme item, in the order the programme names them."""

    item = models.ForeignKey(ProgrammeItem, on_delete=models.CASCADE, related_name="speaker_links")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="programme_links")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["item", "speaker"], name="speaker_once_per_item")]

    def __str__(self) -> str:
        return f"{self.speaker} · {self.item}"
