"""What happened to each idea: answer → merged into → priority → outcome point → request in the raadsadres →
commitments of each municipality → their status. Only public commitments are shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from werkconferentie.live.enums import AnswerStatus
from werkconferentie.live.models import Answer
from werkconferentie.outcomes.models import OutcomePoint, ThemeAnswer

from .models import Commitment


@dataclass
class IdeaTrail:
    answer: Answer
    merged_into: Answer | None = None
    priority: bool = False
    hidden: bool = False
    points: list[OutcomePoint] = field(default_factory=list)
    requests: list[OutcomePoint] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return any(c.status == "voldaan" for c in self.commitments)

    @property
    def nothing_yet(self) -> bool:
        return not (self.merged_into or self.priority or self.points or self.commitments)


def trails(answers) -> list[IdeaTrail]:
    """The trail of each answer, in a fixed number of queries."""
    answers = list(answers)
    if not answers:
        return []
    merged_ids = {a.merged_into_id for a in answers if a.merged_into_id}
    merged = Answer.objects.in_bulk(merged_ids)
    shown = {a.pk: (merged.get(a.merged_into_id) or a) for a in answers}  # the answer as the outcome counts it
    ids = {a.pk for a in answers} | {s.pk for s in shown.values()}
    points_of = defaultdict(set)
    for answer_id, point_id in OutcomePoint.answers.through.objects.filter(answer_id__in=ids).values_list(
        "answer_id", "outcomepoint_id"
    ):
        points_of[answer_id].add(point_id)
    theme_of = dict(ThemeAnswer.objects.filter(answer_id__in=ids).values_list("answer_id", "theme_id"))
    event_ids = {a.board.event_id for a in answers}
    all_points = {p.pk: p for p in OutcomePoint.objects.filter(event_id__in=event_ids)}
    for point in all_points.values():
        if point.theme_id in theme_of.values():
            for answer_id, theme_id in theme_of.items():
                if theme_id == point.theme_id:
                    points_of[answer_id].add(point.pk)
    public = list(
        Commitment.objects.filter(event_id__in=event_ids, is_public=True)
        .select_related("municipality")
        .prefetch_related("outcome_points", "answers")
        .order_by("municipality__name", "number")
    )
    result = []
    for answer in answers:
        target = shown[answer.pk]
        point_ids = points_of[answer.pk] | points_of[target.pk]
        points = sorted((all_points[pk] for pk in point_ids), key=lambda p: p.number)
        commitments = [
            c
            for c in public
            if {p.pk for p in c.outcome_points.all()} & point_ids
            or {a.pk for a in c.answers.all()} & {answer.pk, target.pk}
        ]
        result.append(
            IdeaTrail(
                answer=answer,
                merged_into=target if target.pk != answer.pk else None,
                priority=target.priority,
                hidden=answer.status != AnswerStatus.VISIBLE and answer.merged_into_id is None,
                points=points,
                requests=[p for p in points if p.is_request],
                commitments=commitments,
            )
        )
    return result


def participant_answers(registration):
    return Answer.objects.filter(registration=registration).select_related("board").order_by("created_at", "pk")


def board_ideas(board):
    """A board's ideas that anyone may see: shown (for children: approved), not the texts made by merging."""
    return (
        Answer.objects.filter(board=board, status=AnswerStatus.VISIBLE, is_merge=False)
        .select_related("board")
        .order_by("created_at", "pk")
    )
