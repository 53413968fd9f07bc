"""A registration's live-board data, for the registration app's export and erasure (registration/privacy.py).

Answers stay on their board (they are the workshop's outcome) but lose their link to the person and their role
and municipality; votes stay as anonymous votes, so every tally is unchanged.
"""

import secrets
from collections.abc import Sequence

from .models import Answer, Vote


def voter_key(registration) -> str:
    return f"r{registration.pk}"


def erase(registrations: Sequence) -> int:
    from werkconferentie.registration.privacy import erase_from_sessions

    from .identity import SESSION_REGISTRATION

    pks = {registration.pk for registration in registrations}
    # The browser that came through the personal link: its session names the registration.
    touched = erase_from_sessions(lambda key, value: key == SESSION_REGISTRATION and value in pks)
    for registration in registrations:
        touched += Answer.objects.filter(registration=registration).update(
            registration=None, author="", role="", municipality=None
        )
        votes = list(Vote.objects.filter(voter=voter_key(registration)))
        for vote in votes:
            vote.voter = "x" + secrets.token_hex(8)  # one anonymous voter per vote: counts stay, links go
        touched += Vote.objects.bulk_update(votes, ["voter"])
    return touched


def export(registration) -> dict | None:
    answers = Answer.objects.filter(registration=registration).select_related("board")
    votes = Vote.objects.filter(voter=voter_key(registration)).select_related("answer__board")
    if not answers and not votes:
        return None
    return {
        "answers": [
            {"board": answer.board.code, "text": answer.text, "sent_at": answer.created_at.isoformat()}
            for answer in answers
        ],
        "votes": [{"board": vote.answer.board.code, "answer": vote.answer.text} for vote in votes],
    }
