"""The weekly news about ideas: when a public commitment linked to an idea changes status, the people behind that
idea hear of it, at most once a week, in one mail with every change since their previous one.

Who gets it:
- a participant who asked for news on her page (ParticipantChoice.wants_news), about the answers she gave and
  the answers she voted for. Only votes cast through her personal link count ("r<registration id>"); a vote
  from a browser without one ("b…") cannot be traced to anyone and brings no mail;
- a children's board's group, through the address of its teacher or youth worker (ChildrenGroupContact,
  typed by the organiser with a recorded statement that the adult agreed and that it is no child's address),
  in very simple Dutch. Nothing about the children is stored.

Which ideas a commitment is linked to is the trail's answer (trail.py): through its outcome points, the themes
of those points, and the answers it names. Each digest is recorded as a SentDigest under a unique key (event,
recipient, ISO week) in the transaction that queues the mail: a rerun, or a second process, sends nothing twice,
and the next digest starts where this one ended (`covered_until`). `werkconferentie followup-remind` runs it
every day after the reminders.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from werkconferentie.events.models import Event
from werkconferentie.live.models import Answer, Board, Vote
from werkconferentie.outbox.mailing import enqueue, erase_caused_by
from werkconferentie.registration import links as personal_links
from werkconferentie.registration.enums import Status

from . import links
from .enums import CommitmentStatus
from .errors import FollowupError
from .models import ChildrenGroupContact, CommitmentChange, ParticipantChoice, SentDigest
from .privacy import DIGEST_MAIL_KIND, GROUP_DIGEST_MAIL_KIND
from .trail import board_ideas, trails


@dataclass
class News:
    """One status change of one commitment, with the recipient's ideas it answers."""

    change: CommitmentChange
    ideas: list[Answer]

    @property
    def commitment(self):
        return self.change.commitment

    @property
    def before(self) -> str:
        return CommitmentStatus(self.change.changes["status"][0]).label

    @property
    def after(self) -> str:
        return CommitmentStatus(self.change.changes["status"][1]).label

    @property
    def status(self) -> str:
        return self.change.changes["status"][1]


@dataclass
class Digest:
    event: Event
    recipient: str  # "r<registration id>" or "g<group contact id>"
    email: str
    language: str
    url: str
    week: str
    until: dt.datetime
    news: list[News] = field(default_factory=list)
    registration: object = None
    group: ChildrenGroupContact | None = None

    @property
    def for_children(self) -> bool:
        return self.group is not None


def iso_week(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _status_changes(event: Event, now: dt.datetime) -> list[CommitmentChange]:
    """Status changes of the event's public commitments up to `now`, oldest first (a new commitment is no change
    of status; the trail pages show it)."""
    return list(
        CommitmentChange.objects.filter(
            event=event, action="update", commitment__isnull=False, commitment__is_public=True, created_at__lte=now
        )
        .filter(changes__has_key="status")
        .select_related("commitment__municipality")
        .order_by("created_at", "pk")
    )


def commitments_of_ideas(ideas) -> dict[int, set[int]]:
    """Per answer, the public commitments its trail leads to (trail.py), for many answers at once."""
    unique = list({answer.pk: answer for answer in ideas}.values())
    return {trail.answer.pk: {c.pk for c in trail.commitments} for trail in trails(unique)}


def _news_for(
    ideas: list[Answer], linked: dict[int, set[int]], changes: list[CommitmentChange], since: dt.datetime | None
) -> list[News]:
    commitment_ideas: dict[int, list[Answer]] = defaultdict(list)
    for answer in ideas:
        for commitment_id in linked.get(answer.pk, ()):
            commitment_ideas[commitment_id].append(answer)
    return [
        News(change, commitment_ideas[change.commitment_id])
        for change in changes
        if change.commitment_id in commitment_ideas
        and (since is None or change.created_at > since)
        and change.changes["status"][0] != change.changes["status"][1]
    ]


def _covered(event: Event) -> tuple[dict[str, dt.datetime], set[tuple[str, str]]]:
    """Per recipient the end of her last digest, and the (recipient, week) pairs already sent."""
    sent = SentDigest.objects.filter(event=event)
    until = dict(sent.values("recipient").annotate(last=Max("covered_until")).values_list("recipient", "last"))
    return until, set(sent.values_list("recipient", "week"))


def participant_ideas(registrations) -> dict[int, list[Answer]]:
    """Per registration, the answers she gave and the ones she voted for through her personal link."""
    registrations = list(registrations)
    ideas: dict[int, list[Answer]] = defaultdict(list)
    for answer in Answer.objects.filter(registration__in=registrations).select_related("board").order_by("pk"):
        ideas[answer.registration_id].append(answer)
    voters = {f"r{registration.pk}": registration.pk for registration in registrations}
    voted = defaultdict(set)
    for voter, answer_id in Vote.objects.filter(voter__in=voters).values_list("voter", "answer_id"):
        voted[voters[voter]].add(answer_id)
    answers = Answer.objects.select_related("board").in_bulk({pk for ids in voted.values() for pk in ids})
    for registration_id, answer_ids in voted.items():
        own = {answer.pk for answer in ideas[registration_id]}
        ideas[registration_id] += [answers[pk] for pk in sorted(answer_ids - own) if pk in answers]
    return ideas


def due_digests(now: dt.datetime | None = None, events=None) -> list[Digest]:
    """The digests to send now: every recipient with news since her last digest and none this week yet."""
    now = now or timezone.now()
    if events is None:
        events = Event.objects.filter(commitment_changes__changes__has_key="status").distinct()
    due = []
    for event in events:
        if now >= links.followup_ends_at(event):
            continue  # the follow-up is over, and the pages the digest links to with it
        changes = _status_changes(event, now)
        if not changes:
            continue
        week = iso_week(now.astimezone(event.tzinfo).date())
        until, sent = _covered(event)
        choices = list(
            ParticipantChoice.objects.filter(wants_news=True, registration__event=event)
            .exclude(registration__status=Status.CANCELLED)
            .select_related("registration")
            .order_by("registration_id")
        )
        ideas = participant_ideas(choice.registration for choice in choices)
        groups = list(ChildrenGroupContact.objects.filter(board__event=event).select_related("board").order_by("pk"))
        group_ideas = {group.pk: list(board_ideas(group.board)) for group in groups}
        linked = commitments_of_ideas(
            [answer for answers in ideas.values() for answer in answers]
            + [answer for answers in group_ideas.values() for answer in answers]
        )
        for choice in choices:
            registration = choice.registration
            recipient = f"r{registration.pk}"
            if (recipient, week) in sent or not ideas.get(registration.pk):
                continue
            news = _news_for(ideas[registration.pk], linked, changes, until.get(recipient))
            if news:
                due.append(
                    Digest(
                        event=event,
                        recipient=recipient,
                        email=registration.email,
                        language=registration.language,
                        url=settings.SITE_URL
                        + reverse("followup:my_ideas", args=[personal_links.personal_token(registration)]),
                        week=week,
                        until=now,
                        news=news,
                        registration=registration,
                    )
                )
        for group in groups:
            recipient = f"g{group.pk}"
            if (recipient, week) in sent:
                continue
            news = _news_for(group_ideas[group.pk], linked, changes, until.get(recipient))
            if news:
                due.append(
                    Digest(
                        event=event,
                        recipient=recipient,
                        email=group.email,
                        language="nl",  # the children's news is in very simple Dutch
                        url=settings.SITE_URL + reverse("followup:children", args=[group.board.code]),
                        week=week,
                        until=now,
                        news=news,
                        group=group,
                    )
                )
    return due


def _mail(digest: Digest) -> tuple[str, str]:
    prefix = "group_digest" if digest.for_children else "digest"
    with translation.override(digest.language):
        context = {"digest": digest, "event": digest.event, "news": digest.news, "url": digest.url}
        if digest.group is not None:
            context["board"] = digest.group.board
        else:
            context["registration"] = digest.registration
        subject = render_to_string(f"followup/mail/{prefix}_subject.txt", context).strip()
        text = render_to_string(f"followup/mail/{prefix}.txt", context)
    return subject, text


def send(digest: Digest) -> bool:
    """Queue one digest under its key; False when this recipient got one this week already (another run)."""
    subject, text = _mail(digest)
    try:
        with transaction.atomic():
            SentDigest.objects.create(
                event=digest.event,
                recipient=digest.recipient,
                email=digest.email,
                registration=digest.registration,
                group_contact=digest.group,
                week=digest.week,
                covered_until=digest.until,
            )
            enqueue(
                digest.email,
                subject,
                text,
                language=digest.language,
                kind=GROUP_DIGEST_MAIL_KIND if digest.for_children else DIGEST_MAIL_KIND,
                object_id=digest.group.pk if digest.for_children else digest.registration.pk,
                reply_to=digest.event.contact_email,
            )
    except IntegrityError:
        return False
    return True


def send_due_digests(now: dt.datetime | None = None, events=None) -> list[Digest]:
    return [digest for digest in due_digests(now, events) if send(digest)]


# --- The address of a children's group ----------------------------------------------------------------------------


def consent_statement() -> str:
    """What the organiser confirms when she types a group's address; kept with it, in her language."""
    return _(
        "The teacher or youth worker of this group agreed to get the news about the group's ideas by mail. The "
        "address is the adult's, not a child's."
    )


def set_group_contact(board: Board, email: str, *, consented: bool, user=None) -> ChildrenGroupContact:
    if not board.for_children:
        raise FollowupError(_("Only a children's board has a group address."))
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise FollowupError(_("“%(email)s” is not an e-mail address.") % {"email": email[:80]}) from None
    if not consented:
        raise FollowupError(_("Tick that the teacher or youth worker agreed, and that it is not a child's address."))
    existing = ChildrenGroupContact.objects.filter(board=board).first()
    if existing is not None and existing.email.lower() != email.lower():
        remove_group_contact(existing)  # a new person: the old one's digests and mail go
        existing = None
    group = existing or ChildrenGroupContact(board=board)
    group.email = email
    group.consent_statement = consent_statement()
    group.consented_at = timezone.now()
    group.consented_by = user if user is not None and getattr(user, "is_authenticated", False) else None
    group.save()
    return group


def remove_group_contact(group: ChildrenGroupContact) -> None:
    """Delete the address with its record of digests and every digest mail to it still in the outbox."""
    with transaction.atomic():
        erase_caused_by(GROUP_DIGEST_MAIL_KIND, group.pk)
        group.delete()
