"""Example answers for the demo's conference (data/demo-answers.yaml): written for the demo, not said in Roden.

`werkconferentie demo` loads them once, so that a newcomer sees filled boards, proposed themes, a draft report and
letters at once. They go in through the live boards' own functions (answers, votes, moderation, tags) and the
outcome points' `create_point`, as if people had used the application. Loading again does nothing: every
example answer carries an idempotency key starting with "demo-", and their presence means "loaded".
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import yaml
from django.db import transaction

from werkconferentie.events.models import Event
from werkconferentie.live.boards import (
    Submission,
    boards_of,
    ensure_boards,
    set_open,
    submit_answer,
    update_answer,
    vote,
)
from werkconferentie.live.enums import AnswerStatus, BoardKind
from werkconferentie.live.models import Answer
from werkconferentie.reference.models import Municipality

from . import points

KEY_PREFIX = "demo-"


@dataclass
class Loaded:
    answers: int = 0
    votes: int = 0
    points: int = 0


def data_file():
    return resources.files("werkconferentie.outcomes") / "data" / "demo-answers.yaml"


def read_data() -> dict:
    return yaml.safe_load(data_file().read_text(encoding="utf-8"))


def is_loaded(event: Event) -> bool:
    return Answer.objects.filter(board__event=event, idempotency_key__startswith=KEY_PREFIX).exists()


def _board(boards, entry: dict):
    for board in boards:
        if "children" in entry and board.kind == BoardKind.CHILDREN:
            return board
        if "round-table" in entry and board.kind == BoardKind.ROUND_TABLE:
            return board
        if (
            "workshop" in entry
            and board.kind == BoardKind.WORKSHOP
            and board.session.workshop.slug == entry["workshop"]
            and board.session.round.key == entry["round"]
        ):
            return board
    raise LookupError(f"the example event has no board for {entry}")


def load_demo_answers(event: Event) -> Loaded:
    """Put the example answers, votes, priorities, tags and outcome points on `event` (the Roden example), once."""
    loaded = Loaded()
    if is_loaded(event):
        return loaded
    data = read_data()
    ensure_boards(event)
    boards = list(boards_of(event).select_related("session__workshop", "session__round"))
    municipalities = {m.code: m for m in Municipality.objects.all()}
    by_key: dict[str, Answer] = {}
    with transaction.atomic():
        for entry in data["boards"]:
            board = _board(boards, entry)
            was_open = board.is_open
            if not was_open:
                board = set_open(board, True)
            children = board.kind == BoardKind.CHILDREN
            for item in entry["answers"]:
                answer, _created = submit_answer(
                    board,
                    Submission(
                        text=item["text"],
                        idempotency_key=KEY_PREFIX + item["key"],
                        role=item.get("role", ""),
                        municipality=municipalities.get(item.get("municipality", "")),
                        from_children=children,
                    ),
                )
                loaded.answers += 1
                answer = update_answer(
                    answer,
                    status=AnswerStatus.VISIBLE,  # children's ideas: approved by a moderator in the example
                    priority=item.get("priority", False),
                    policy_areas=item.get("policy_areas", []),
                    crc_articles=item.get("crc", []),
                    sdgs=item.get("sdgs", []),
                )
                for n in range(item.get("votes", 0)):  # after approval: only public answers get votes
                    loaded.votes += vote(answer, f"{KEY_PREFIX}voter-{n}")
                by_key[item["key"]] = answer
            if not was_open:
                set_open(board, False)
        for point in data["points"]:
            values = {k: v for k, v in point.items() if k not in ("answers", "crc")}
            points.create_point(
                event,
                answers=[by_key[key].pk for key in point.get("answers", [])],
                crc_articles=point.get("crc", []),
                **values,
            )
            loaded.points += 1
    return loaded
