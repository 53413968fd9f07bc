"""Reactions to what became of the ideas: a short message to the organiser, from a participant's personal page,
a board's page after the day or the children's page. Only the organiser reads them (moderated; nothing is
published); she marks each read or sets it aside.

A child's reaction is scrubbed of personal details before it is stored, by the same rule as a child's idea.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from werkconferentie.core.ratelimit import Rate
from werkconferentie.live.boards import children_text, clean_text

from .errors import FollowupError
from .models import REACTION_MAX_LENGTH, Reaction

# What one address may send: enough for a class sharing one connection, too little to flood the organiser.
RATE = Rate(count=20, seconds=3600)
RATE_SCOPE = "followup-reaction"


def submit_reaction(event, text: str, source: str, *, board=None, answer=None, registration=None) -> Reaction:
    """Store a reaction, or raise FollowupError with a message for the person."""
    if source not in Reaction.Source.values:
        raise FollowupError(_("This reaction cannot be sent from here."))
    text = children_text(text) if source == Reaction.Source.CHILDREN else clean_text(text)
    if not text:
        raise FollowupError(_("Write your reaction first."))
    if len(text) > REACTION_MAX_LENGTH:
        raise FollowupError(_("Your reaction is too long: at most %(max)d characters.") % {"max": REACTION_MAX_LENGTH})
    if answer is not None and answer.board.event_id != event.pk:
        raise FollowupError(_("This idea is not part of this conference."))
    return Reaction.objects.create(
        event=event, board=board, answer=answer, registration=registration, source=source, text=text
    )


def mark(reaction: Reaction, status: str, user) -> Reaction:
    """The organiser marks a reaction read, sets it aside, or back to new."""
    if status not in Reaction.Status.values:
        raise FollowupError(_("Choose read, set aside or new."))
    reaction.status = status
    new = status == Reaction.Status.NEW
    reaction.handled_at = None if new else timezone.now()
    reaction.handled_by = None if new else user
    reaction.save(update_fields=["status", "handled_at", "handled_by"])
    return reaction


def reactions_of(event, status: str | None = None):
    reactions = Reaction.objects.filter(event=event).select_related("board", "answer", "registration")
    return reactions.filter(status=status) if status else reactions
