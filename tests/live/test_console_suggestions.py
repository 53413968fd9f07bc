"""Duplicate suggestions in the console (issue 13.20): one pointing at an answer that was merged meanwhile goes
away at once (its row is sent again), and a pair is listed once even when it was suggested both ways round."""

from werkconferentie.live import boards, present
from werkconferentie.live.models import Change, DuplicateSuggestion


def suggestions(board) -> list[tuple[int, int]]:
    rows, _removed = present.host_answers(board)
    return [(row["id"], suggestion["other"]) for row in rows for suggestion in row["suggestions"]]


def test_a_pair_suggested_both_ways_is_listed_once(board, answer_on):
    a = answer_on(board, "Meer speelplekken in elke wijk")
    b = answer_on(board, "Zebrapaden bij scholen")
    DuplicateSuggestion.objects.create(board=board, answer=a, other=b, score=0.9, method="text")
    DuplicateSuggestion.objects.create(board=board, answer=b, other=a, score=0.9, method="text")
    assert len(suggestions(board)) == 1


def test_the_engine_does_not_suggest_a_pair_the_other_way_round(board, answer_on):
    a = answer_on(board, "Meer speelplekken in elke wijk")
    b = answer_on(board, "Meer speelplekken in iedere wijk")
    boards.suggest_duplicates(b)  # as after b's commit
    assert DuplicateSuggestion.objects.filter(answer=b, other=a).exists()
    assert boards.suggest_duplicates(a) == []  # asked again for the older one: b -> a exists already
    assert suggestions(board) == [(b.pk, a.pk)]


def test_after_a_merge_suggestions_pointing_at_a_merged_answer_go_and_their_rows_are_sent_again(board, answer_on):
    a = answer_on(board, "Meer speelplekken in elke wijk")
    b = answer_on(board, "Zebrapaden bij scholen")
    c = answer_on(board, "Speelplekken in de wijk, meer graag")
    DuplicateSuggestion.objects.get_or_create(board=board, answer=c, other=a, defaults={"score": 0.8, "method": "text"})
    assert (c.pk, a.pk) in suggestions(board)
    before = Change.objects.order_by("-id").first().id
    merged = boards.merge([a, b])
    sent_again = set(Change.objects.filter(id__gt=before).values_list("answer_id", flat=True))
    assert c.pk in sent_again  # the consoles get c's row again ...
    rows, _removed = present.host_answers(board, [c.pk])
    assert rows[0]["suggestions"] == []  # ... without the suggestion
    assert merged.pk in sent_again
