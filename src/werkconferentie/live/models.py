"""Live boards: one per workshop session (plus the round-table and the children's board) with their answers.

The rules (opening, answering, voting, merging, moderation) live in boards.py; the live feed in changes.py.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from werkconferentie.core.i18n import LocalizedMixin
from werkconferentie.events.models import Event, WorkshopSession
from werkconferentie.reference.models import CrcArticle, Municipality, SdgGoal, SdgIndicator
from werkconferentie.registration.enums import Role
from werkconferentie.registration.models import Registration

from .enums import AnswerStatus, BoardKind, SuggestionStatus

ANSWER_MAX_LENGTH = 280
# Join codes: no 0/O, 1/I/L, so a code read off a projector is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_secret() -> str:
    return secrets.token_urlsafe(16)


class Board(LocalizedMixin, models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="boards", verbose_name=_("event"))
    kind = models.CharField(_("kind"), max_length=12, choices=BoardKind.choices, default=BoardKind.WORKSHOP)
    session = models.OneToOneField(
        WorkshopSession,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="board",
        verbose_name=_("workshop session"),
    )
    title_nl = models.CharField(_("title (Dutch)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    # The question this board asks, when it is not the event's central question (the children's board has its own,
    # in very simple words).
    question_nl = models.CharField(_("question (Dutch)"), max_length=300, blank=True)
    question_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    code = models.CharField(_("join code"), max_length=CODE_LENGTH, unique=True, default=new_code)
    is_open = models.BooleanField(_("open"), default=False)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    moderated = models.BooleanField(
        _("moderated"), default=False, help_text=_("Every answer waits for a moderator before anyone sees it.")
    )
    # Part of the host link: replacing it revokes every host link handed out before.
    host_secret = models.CharField(max_length=32, default=new_secret, editable=False)

    class Meta:
        verbose_name = _("live board")
        verbose_name_plural = _("live boards")
        ordering = ["event", "kind", "session__round__number", "session__workshop__number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "kind"], condition=~Q(kind=BoardKind.WORKSHOP), name="one_board_per_event_and_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_title} ({self.code})"

    @property
    def display_title(self) -> str:
        if self.session_id:
            session = self.session
            return f"{session.workshop.loc('title')} · {session.round.loc('title')}"
        return self.loc("title") or self.get_kind_display()

    @property
    def question(self) -> str:
        """The question shown above the answers: the board's own, else the event's central question."""
        return self.loc("question") or self.event.central_question

    @property
    def shows_votes(self) -> bool:
        """Children do not vote on ideas: their board and its screen show no counts."""
        return not self.for_children

    @property
    def for_children(self) -> bool:
        return self.kind == BoardKind.CHILDREN


class Answer(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="answers", verbose_name=_("board"))
    text = models.CharField(_("answer"), max_length=ANSWER_MAX_LENGTH)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("municipality")
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="nl")
    # Who wrote it: a registered participant (cleared on erasure), else nobody; `author` is the voter key of the
    # browser that sent it, so that the phone can mark its own answers.
    registration = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    author = models.CharField(max_length=64, blank=True, editable=False)
    idempotency_key = models.CharField(max_length=64, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=AnswerStatus.choices, default=AnswerStatus.VISIBLE)
    priority = models.BooleanField(_("priority"), default=False)
    from_children = models.BooleanField(_("from children"), default=False)
    # A merge makes a new answer; the originals point at it and stay (a merge can be undone).
    is_merge = models.BooleanField(_("merged answer"), default=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="originals",
        verbose_name=_("merged into"),
    )
    policy_areas = models.JSONField(_("policy areas"), default=list, blank=True)
    crc_articles = models.ManyToManyField(CrcArticle, blank=True, related_name="+", verbose_name=_("CRC articles"))
    sdgs = models.ManyToManyField(SdgGoal, blank=True, related_name="+", verbose_name=_("SDGs"))
    indicators = models.ManyToManyField(SdgIndicator, blank=True, related_name="+", verbose_name=_("SDG indicators"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at", "pk"]
        constraints = [
            # A retry of the same submission (same key) never makes a second answer.
            models.UniqueConstraint(fields=["board", "idempotency_key"], name="one_answer_per_submission"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_public(self) -> bool:
        return self.status == AnswerStatus.VISIBLE and self.merged_into_id is None


class AnswerEdit(models.Model):
    """A moderator changed an answer's text (a name the scrubber missed, a school): when, by whom, to what.

    Only the new text is kept: the text it replaced may hold exactly what the moderator took out."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="edits", verbose_name=_("answer"))
    text = models.CharField(_("new text"), max_length=ANSWER_MAX_LENGTH)
    # The organiser's user name, or empty for a host who came in through the board's host link.
    editor = models.CharField(_("edited by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("edited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("edit of an answer")
        verbose_name_plural = _("edits of answers")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.answer_id} @ {self.created_at:%H:%M}: {self.text[:40]}"


class Vote(models.Model):
    """One person's vote for one answer. `voter` is "r<registration id>" or "b<browser id from a signed cookie>"."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["answer", "voter"], name="one_vote_per_person")]
        indexes = [models.Index(fields=["voter"])]

    def __str__(self) -> str:
        return f"{self.voter} → {self.answer_id}"


class DuplicateSuggestion(models.Model):
    """'These two may say the same': shown to the host, who merges or dismisses."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="suggestions")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    method = models.CharField(max_length=10)  # "text" or "meaning"
    status = models.CharField(max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("duplicate suggestion")
        verbose_name_plural = _("duplicate suggestions")
        ordering = ["-score", "pk"]
        constraints = [models.UniqueConstraint(fields=["answer", "other"], name="one_suggestion_per_pair")]

    def __str__(self) -> str:
        return f"{self.answer_id} ~ {self.other_id} ({self.method} {self.score:.2f})"


class AnswerEmbedding(models.Model):
    """The sentence embedding of an answer, kept when its duplicates are looked for (live.embeddings), so that the
    outcome's theme proposals need not encode every answer of the day again (about 20 ms of CPU each)."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, primary_key=True, related_name="embedding")
    # similarity.DuplicateFinder.encoder_key and a digest of the normalised text: a vector is used only for the
    # same encoder and the same text (a merged answer's text can be edited).
    key = models.CharField(max_length=80)
    vector = models.BinaryField()  # float32, unit length

    def __str__(self) -> str:
        return f"{self.answer_id} ({self.key})"


class Change(models.Model):
    """One change to a board, in commit order: the live feed that every server process follows (changes.py)."""

    id = models.BigAutoField(primary_key=True)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    answer_id = models.BigIntegerField(null=True)  # the answer as shown (a merged item, not its originals)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.id}: board {self.board_id}, answer {self.answer_id}"
