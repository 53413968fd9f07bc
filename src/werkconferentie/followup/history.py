"""The history of every commitment: each change through commitments.py writes one CommitmentChange.

The same pattern as outcomes/history.py: `snapshot` before, `record` what differs after; values as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass

from werkconferentie.outcomes.history import differences, snapshot

from .models import TITLE_MAX_LENGTH, Commitment, CommitmentChange, UpdateContact

__all__ = ["Actor", "differences", "record", "snapshot", "trail_of"]


@dataclass(frozen=True)
class Actor:
    """Who makes a change: an organiser's account, an update contact (through her link), or the system."""

    user: object = None
    contact: UpdateContact | None = None

    @classmethod
    def system(cls) -> Actor:
        return cls()


def record(commitment: Commitment, actor: Actor, action: str, changes: dict | None = None) -> CommitmentChange:
    user = actor.user if actor.user is not None and getattr(actor.user, "is_authenticated", False) else None
    return CommitmentChange.objects.create(
        event_id=commitment.event_id,
        commitment=commitment if commitment.pk else None,
        municipality_id=commitment.municipality_id,
        commitment_label=f"{commitment.number}. {commitment.title}"[:TITLE_MAX_LENGTH],
        user=user,
        contact=actor.contact,
        by_contact=actor.contact is not None,
        action=action,
        changes=changes or {},
    )


def trail_of(commitment: Commitment):
    """The changes of one commitment, oldest first."""
    return CommitmentChange.objects.filter(commitment=commitment).order_by("created_at", "pk")
