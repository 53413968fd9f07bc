"""Boards and answers as JSON for phones, the room screen and the host console (API and live feed alike).

Text goes out as text: every page puts it in the DOM with textContent (or Django's escaping), never as HTML.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.urls import reverse

from .boards import vote_counts
from .enums import AnswerStatus, SuggestionStatus
from .models import Answer, Board, DuplicateSuggestion


def board_state(board: Board) -> dict:
    return {
        "code": board.code,
        "title": board.display_title,
        "open": board.is_open,
        "moderated": board.moderated,
        "for_children": board.for_children,
        "join_url": join_url(board),
    }


def join_url(board: Board, *, absolute: bool = True) -> str:
    from django.conf import settings

    path = reverse("live:board", kwargs={"code": board.code})
    return settings.SITE_URL + path if absolute else path


def _answers(board: Board, answer_ids: Iterable[int] | None):
    answers = Answer.objects.filter(board=board).select_related("municipality")
    if answer_ids is not None:
        answers = answers.filter(pk__in=list(answer_ids))
    return answers


def ranked(rows: list[dict]) -> list[dict]:
    """Most votes first; priorities before others with as many votes; then oldest first."""
    return sorted(rows, key=lambda row: (-row["votes"], not row["priority"], row["id"]))


def public_answers(board: Board, answer_ids: Iterable[int] | None = None) -> tuple[list[dict], list[int]]:
    """(answers everyone may see, ids among `answer_ids` that nobody may see any more)."""
    answers = list(_answers(board, answer_ids).prefetch_related("originals"))
    shown = [answer for answer in answers if answer.is_public]
    counts = vote_counts(board, [answer.pk for answer in shown]) if shown else {}
    rows = [_public(answer, counts.get(answer.pk, 0)) for answer in shown]
    removed = [answer.pk for answer in answers if not answer.is_public]
    if answer_ids is not None:
        found = {answer.pk for answer in answers}
        removed += [answer_id for answer_id in answer_ids if answer_id not in found]  # an undone merge's item
    return ranked(rows), sorted(set(removed))


def _public(answer: Answer, votes: int) -> dict:
    return {
        "id": answer.pk,
        "text": answer.text,
        "role": answer.role,  # a code: each page shows it in its own language
        "municipality": answer.municipality.name if answer.municipality_id else "",
        "votes": votes,
        "priority": answer.priority,
        "children": answer.from_children,
        "merged": len(answer.originals.all()) if answer.is_merge else 0,
    }


def _suggested_tags(text: str) -> dict:
    from .tagging import suggest_tags

    found = suggest_tags(text)
    return {"policy_areas": found.policy_areas, "crc_articles": found.crc_articles, "sdgs": found.sdgs}


def host_answers(board: Board, answer_ids: Iterable[int] | None = None) -> tuple[list[dict], list[int]]:
    """Every answer with what the host needs: status, originals, tags and open duplicate suggestions."""
    answers = list(
        _answers(board, answer_ids).prefetch_related("originals", "crc_articles", "sdgs", "indicators", "edits")
    )
    counts = vote_counts(board, [answer.pk for answer in answers]) if answers else {}
    suggestions = defaultdict(list)
    open_suggestions = DuplicateSuggestion.objects.filter(board=board, status=SuggestionStatus.OPEN)
    if answer_ids is not None:
        open_suggestions = open_suggestions.filter(answer_id__in=[answer.pk for answer in answers])
    pairs = set()  # each pair once, also when it was suggested both ways round
    for suggestion in open_suggestions.select_related("other"):
        pair = frozenset((suggestion.answer_id, suggestion.other_id))
        if pair in pairs:
            continue
        pairs.add(pair)
        if suggestion.other.merged_into_id is None and suggestion.other.status != AnswerStatus.HIDDEN:
            suggestions[suggestion.answer_id].append(
                {
                    "id": suggestion.pk,
                    "other": suggestion.other_id,
                    "other_text": suggestion.other.text,
                    "score": round(suggestion.score, 2),
                    "method": suggestion.method,
                }
            )
    rows = []
    for answer in answers:
        row = _public(answer, counts.get(answer.pk, 0))
        row.update(
            {
                "status": answer.status,
                "merged_into": answer.merged_into_id,
                "is_merge": answer.is_merge,
                "originals": [original.pk for original in answer.originals.all()],
                "policy_areas": answer.policy_areas,
                "crc_articles": sorted(article.number for article in answer.crc_articles.all()),
                "sdgs": sorted(goal.number for goal in answer.sdgs.all()),
                "indicators": sorted(indicator.code for indicator in answer.indicators.all()),
                "suggestions": suggestions.get(answer.pk, []),
                "suggested_tags": _suggested_tags(answer.text),
                "created_at": answer.created_at.isoformat(),
                "edits": [
                    {"at": edit.created_at.isoformat(), "by": edit.editor, "text": edit.text}
                    for edit in answer.edits.all()
                ],
            }
        )
        rows.append(row)
    removed = []
    if answer_ids is not None:
        found = {answer.pk for answer in answers}
        removed = sorted(answer_id for answer_id in answer_ids if answer_id not in found)
    return ranked(rows), removed


def word_cloud(answers: list[dict], limit: int = 40) -> list[dict]:
    """The most used words of the answers shown, each with a size class 1-5 for the room screen."""
    from .wordcloud import cloud_sizes, word_counts

    counts = word_counts([answer["text"] for answer in answers], limit=limit)
    sizes = cloud_sizes(counts)
    return [{"word": word, "count": count, "size": size} for (word, count), size in zip(counts, sizes, strict=True)]
