"""All public answers of an event, over all its boards, as the outcome works with them.

A merged answer counts once, with the votes of everyone who voted for it or for one of its originals; its roles,
municipalities and children's mark come from its originals (the merged item itself has none).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from werkconferentie.events.models import Event
from werkconferentie.live.boards import boards_of
from werkconferentie.live.enums import AnswerStatus
from werkconferentie.live.models import Answer, Vote


@dataclass
class OutcomeAnswer:
    """One public answer of the event with what the outcome shows of it; no personal data."""

    id: int
    text: str
    board_id: int
    board_title: str
    board_kind: str
    board_order: int
    votes: int
    priority: bool
    from_children: bool
    roles: list[str] = field(default_factory=list)  # role codes, sorted, without repeats
    municipalities: list[str] = field(default_factory=list)  # CBS codes
    municipality_names: list[str] = field(default_factory=list)
    policy_areas: list[str] = field(default_factory=list)
    crc_articles: list[int] = field(default_factory=list)  # article numbers
    sdgs: list[int] = field(default_factory=list)  # goal numbers
    merged: int = 0  # how many originals, for a merged answer


def public_answer_queryset(event: Event):
    """The event's public answers as model objects (visible and not merged into another)."""
    return Answer.objects.filter(board__event=event, status=AnswerStatus.VISIBLE, merged_into__isnull=True)


def vote_counts(event: Event) -> dict[int, int]:
    """Votes per public answer of the event; a merged answer counts each person once over itself and its originals."""
    voters: dict[int, set[str]] = defaultdict(set)
    rows = Vote.objects.filter(answer__board__event=event).values_list("answer_id", "answer__merged_into_id", "voter")
    for answer_id, merged_into_id, voter in rows:
        voters[merged_into_id or answer_id].add(voter)
    return {answer_id: len(people) for answer_id, people in voters.items()}


def ranked(answers: list[OutcomeAnswer]) -> list[OutcomeAnswer]:
    """Most votes first; priorities before others with as many votes; then in board order, oldest first."""
    return sorted(answers, key=lambda a: (-a.votes, not a.priority, a.board_order, a.id))


def public_answers(event: Event) -> list[OutcomeAnswer]:
    """Every public answer of every board of the event, most-voted first (a fixed number of queries)."""
    boards = {board.pk: (position, board) for position, board in enumerate(boards_of(event))}
    answers = list(
        public_answer_queryset(event)
        .select_related("municipality")
        .prefetch_related("crc_articles", "sdgs")
        .order_by("pk")
    )
    originals: dict[int, list[Answer]] = defaultdict(list)
    merged_ids = [answer.pk for answer in answers if answer.is_merge]
    if merged_ids:
        for original in Answer.objects.filter(merged_into_id__in=merged_ids).select_related("municipality"):
            originals[original.merged_into_id].append(original)
    votes = vote_counts(event)
    result = []
    for answer in answers:
        position, board = boards.get(answer.board_id, (len(boards), None))
        authors = [answer, *originals.get(answer.pk, [])]
        towns = {a.municipality_id: a.municipality.name for a in authors if a.municipality_id}
        result.append(
            OutcomeAnswer(
                id=answer.pk,
                text=answer.text,
                board_id=answer.board_id,
                board_title=board.display_title if board else "",
                board_kind=board.kind if board else "",
                board_order=position,
                votes=votes.get(answer.pk, 0),
                priority=answer.priority,
                from_children=any(a.from_children for a in authors) or bool(board and board.for_children),
                roles=sorted({a.role for a in authors if a.role}),
                municipalities=sorted(towns),
                municipality_names=[towns[code] for code in sorted(towns)],
                policy_areas=list(answer.policy_areas or []),
                crc_articles=sorted(a.number for a in answer.crc_articles.all()),
                sdgs=sorted(g.number for g in answer.sdgs.all()),
                merged=len(originals.get(answer.pk, [])),
            )
        )
    return ranked(result)
