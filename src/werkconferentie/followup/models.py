"""What the municipalities committed to after the conference, how far they got, and who may report it.

The rules live in plain modules: commitments.py (adding and changing commitments, progress, merged
municipalities), history.py (every change: who, when, before, after), links.py (update links for contacts),
contacts.py (who is asked), trail.py (what happened to each idea), progress.py (the public overview).
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, validate_comma_separated_integer_list
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkconferentie.events.models import Event
from werkconferentie.live.models import Answer, Board
from werkconferentie.outcomes.models import OutcomePoint
from werkconferentie.reference.models import CrcArticle, Municipality, SdgGoal
from werkconferentie.registration.models import Registration

from .enums import CommitmentKind, CommitmentStatus

TITLE_MAX_LENGTH = 300
NOTE_MAX_LENGTH = 500
REACTION_MAX_LENGTH = 1000
DEFAULT_LINK_DAYS_AFTER_TARGET = 60


def new_secret() -> str:
    return secrets.token_urlsafe(16)


DEFAULT_QUIET_DAYS = 42
DEFAULT_REMIND_DAYS_BEFORE = "28,7"


class FollowupSettings(models.Model):
    """Per event: how long update links stay valid after the target date, and the schedule of the mails to the
    update contacts (reminders.py). An event without a row uses the defaults of the fields."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="followup_settings", verbose_name=_("event")
    )
    link_days_after_target = models.PositiveIntegerField(
        _("days the update links stay valid after the target date"),
        default=DEFAULT_LINK_DAYS_AFTER_TARGET,
        validators=[MaxValueValidator(3650)],
    )
    invite_after_letter = models.BooleanField(
        _("send the update link when the raadsadres has been sent"),
        default=True,
        help_text=_(
            "The daily job mails every contact whose link was not sent yet, once the letter to her council has "
            "been delivered. Off: you send the links yourself."
        ),
    )
    quiet_days = models.PositiveIntegerField(
        _("remind when nothing was updated for this many days"),
        default=DEFAULT_QUIET_DAYS,
        validators=[MaxValueValidator(365)],
        help_text=_("0: never."),
    )
    remind_days_before = models.CharField(
        _("remind this many days before the target date"),
        max_length=100,
        blank=True,
        default=DEFAULT_REMIND_DAYS_BEFORE,
        validators=[validate_comma_separated_integer_list],
        help_text=_("Numbers separated by commas, such as 28,7. Empty: no reminders before the target date."),
    )
    remind_days_after = models.CharField(
        _("remind this many days after the target date"),
        max_length=100,
        blank=True,
        default="",
        validators=[validate_comma_separated_integer_list],
        help_text=_("Only while commitments are still open past their own target date. Empty: none."),
    )
    thank_on_target_date = models.BooleanField(
        _("thank the contacts on the target date, with a summary of their commitments"), default=True
    )

    class Meta:
        verbose_name = _("follow-up settings")
        verbose_name_plural = _("follow-up settings")

    def __str__(self) -> str:
        return str(self.event)


class Commitment(models.Model):
    """One promise of one municipality after the conference: a toezegging, a motie, an own action …

    A commitment with a `parent` is a milestone of that parent; a parent with milestones shows the weighted average
    of their progress (commitments.progress_of). The municipality is always a current one: a merged municipality's
    commitments move to its successor (commitments.take_over_merged).
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("event"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    number = models.PositiveIntegerField(_("number"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("part of"),
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MaxValueValidator(100)], help_text=_("How much this milestone counts.")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CommitmentKind.choices, default=CommitmentKind.TOEZEGGING)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True)
    committed_by = models.CharField(
        _("committed by"), max_length=200, blank=True, help_text=_("A function or a party, such as 'wethouder jeugd'.")
    )
    committed_on = models.DateField(_("date committed"), null=True, blank=True)
    target_date = models.DateField(_("target date"))
    status = models.CharField(
        _("status"), max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    status_note = models.CharField(_("state of affairs"), max_length=NOTE_MAX_LENGTH)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    document_links = models.JSONField(_("council documents"), default=list, blank=True)  # [{"title", "url"}]
    crc_articles = models.ManyToManyField(CrcArticle, blank=True, related_name="+", verbose_name=_("CRC articles"))
    sdgs = models.ManyToManyField(SdgGoal, blank=True, related_name="+", verbose_name=_("SDGs"))
    policy_areas = models.JSONField(_("policy areas"), default=list, blank=True)
    outcome_points = models.ManyToManyField(
        OutcomePoint, blank=True, related_name="commitments", verbose_name=_("outcome points")
    )
    answers = models.ManyToManyField(Answer, blank=True, related_name="commitments", verbose_name=_("answers"))
    child_summary = models.TextField(_("summary for children"), blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last update"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["event", "municipality__name", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "municipality", "number"], name="commitment_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.number}. {self.title}"


class UpdateContact(models.Model):
    """A person who reports on her municipality's commitments through a signed link, without an account.

    Changing `secret` (or setting `revoked_at`) makes every link handed out before useless.
    """

    class Source(models.TextChoices):
        ORGANISER = "organiser", _("Named by the organiser")
        PARTICIPANT = "participant", _("Participant who agreed")
        GRIFFIE = "griffie", _("Griffie")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="update_contacts", verbose_name=_("event"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"))
    function = models.CharField(_("function"), max_length=200, blank=True, help_text=_("Such as griffier, raadslid."))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.ORGANISER)
    registration = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="nl")
    secret = models.CharField(max_length=32, default=new_secret, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    link_sent_at = models.DateTimeField(_("link sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("update contact")
        verbose_name_plural = _("update contacts")
        ordering = ["event", "municipality__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "municipality", "email"], name="one_contact_per_address"),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.email} ({self.municipality_id})"


def attachment_path(attachment, filename: str) -> str:
    # A random name: the stored file's name says nothing about who uploaded it, and cannot be guessed.
    return f"followup/{attachment.commitment.event_id}/{secrets.token_hex(12)}.pdf"


class CommitmentAttachment(models.Model):
    """A PDF as evidence (a council decision, a letter), stored through Django's storage API."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("commitment")
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class CommitmentChange(models.Model):
    """One change to a commitment: who (an organiser's account or an update contact), when, and per field the
    value before and after ({"field": [before, after]}). Kept when the commitment is deleted; when the contact
    is erased, `by_contact` stays and the page says "contact erased"."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="commitment_changes", verbose_name=_("event")
    )
    commitment = models.ForeignKey(Commitment, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    commitment_label = models.CharField(max_length=TITLE_MAX_LENGTH, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(UpdateContact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by_contact = models.BooleanField(default=False)
    action = models.CharField(_("action"), max_length=20)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("commitment change")
        verbose_name_plural = _("commitment changes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.commitment_label}"

    @property
    def new_status_label(self) -> str:
        """The status this change set, in words ("In uitvoering"), or "" when it left the status alone."""
        status = (self.changes.get("status") or [None, None])[1]
        return CommitmentStatus(status).label if status in CommitmentStatus.values else ""


class ParticipantChoice(models.Model):
    """What a participant agreed to after the conference (AVG: only with her consent): to be asked to report on
    her municipality's commitments, and to get news when a commitment linked to her ideas changes."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="followup_choice", verbose_name=_("registration")
    )
    may_be_contact = models.BooleanField(_("may be asked to report on her municipality's commitments"), default=False)
    wants_news = models.BooleanField(_("wants news about her ideas"), default=False)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("participant's follow-up choice")
        verbose_name_plural = _("participants' follow-up choices")

    def __str__(self) -> str:
        return str(self.registration_id)


class SentReminder(models.Model):
    """One reminder or invitation sent, under a key that makes a second run of the same day send nothing twice."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    # Deleted with the contact (erasure): the key names her, and a deleted contact gets no more mail anyway.
    contact = models.ForeignKey(UpdateContact, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    key = models.CharField(max_length=200, unique=True)
    # The event's day the job sent it for: where the clock of "nothing updated for six weeks" starts again.
    day = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")

    def __str__(self) -> str:
        return self.key


class Reaction(models.Model):
    """A message to the organiser about what became of the ideas ("I do not agree", "this is not what we meant").

    Moderated: only the organiser reads it; nothing is published. A child's reaction is scrubbed of personal details
    before it is stored (live.boards.children_text), like a child's idea.
    """

    class Source(models.TextChoices):
        PARTICIPANT = "deelnemer", _("participant (personal page)")
        BOARD = "bord", _("visitor of a board's page")
        CHILDREN = "kinderen", _("children's page")

    class Status(models.TextChoices):
        NEW = "nieuw", _("new")
        READ = "gelezen", _("read")
        SET_ASIDE = "terzijde", _("set aside")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="reactions", verbose_name=_("event"))
    board = models.ForeignKey(
        "live.Board", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("board")
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("about the answer")
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("from")
    )
    source = models.CharField(_("from"), max_length=12, choices=Source.choices)
    text = models.TextField(_("reaction"), max_length=REACTION_MAX_LENGTH)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return self.text[:60]


class ChildrenGroupContact(models.Model):
    """The teacher's or youth worker's address that gets the news about a children's board's ideas (digest.py).

    Never a child's address: the organiser confirms that, and that the adult agreed, when she types it; the
    statement she confirmed and when are kept. Nothing about the children themselves is stored.
    """

    board = models.OneToOneField(
        Board, on_delete=models.CASCADE, related_name="followup_group_contact", verbose_name=_("board")
    )
    email = models.EmailField(_("address of the teacher or youth worker"))
    consent_statement = models.TextField(_("statement confirmed"))
    consented_at = models.DateTimeField(_("confirmed at"))
    consented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("news address of a children's group")
        verbose_name_plural = _("news addresses of children's groups")

    def __str__(self) -> str:
        return f"{self.board_id}: {self.email}"


class SentDigest(models.Model):
    """One weekly digest of news about ideas, to one recipient: a participant ("r<registration id>") or a
    children's group ("g<group contact id>"). Unique per event, recipient and ISO week: at most one a week, and a
    rerun sends nothing twice. `covered_until` is where the recipient's next digest starts."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    recipient = models.CharField(max_length=20)
    email = models.EmailField()
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    group_contact = models.ForeignKey(
        ChildrenGroupContact, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    week = models.CharField(max_length=8)  # ISO week, such as 2022-W46
    covered_until = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("news digest sent")
        verbose_name_plural = _("news digests sent")
        constraints = [models.UniqueConstraint(fields=["event", "recipient", "week"], name="one_digest_a_week")]

    def __str__(self) -> str:
        return f"{self.week} {self.email}"
