"""The rules of live boards without HTTP: boards per session, answers, idempotency, votes, merges, moderation."""

import pytest

from werkconferentie.live import boards as rules
from werkconferentie.live.boards import BoardClosed, LiveError, NotVotable, Submission
from werkconferentie.live.enums import AnswerStatus, BoardKind, SuggestionStatus
from werkconferentie.live.models import CODE_ALPHABET, Answer, Board, Change, DuplicateSuggestion, Vote

pytestmark = pytest.mark.django_db


def test_every_session_gets_a_board_and_the_round_table_and_children_one_each(roden, boards):
    sessions = sum(workshop.sessions.count() for workshop in roden.workshops.all())
    kinds = [board.kind for board in boards]
    assert kinds.count(BoardKind.WORKSHOP) == sessions == 6
    assert kinds.count(BoardKind.ROUND_TABLE) == 1 and kinds.count(BoardKind.CHILDREN) == 1
    assert len({board.code for board in boards}) == len(boards)
    assert all(len(board.code) == 6 and set(board.code) <= set(CODE_ALPHABET) for board in boards)
    assert next(b for b in boards if b.kind == BoardKind.CHILDREN).moderated
    assert rules.ensure_boards(roden) == boards  # again: nothing new, same codes
    assert not any(board.is_open for board in boards)


def test_codes_are_found_however_they_are_typed(board):
    typed = " " + "-".join(board.code.lower()) + " "
    assert rules.board_by_code(typed) == board
    assert rules.board_by_code("") is None and rules.board_by_code("\x00<script>") is None
    assert rules.board_by_code("Z" * 500) is None


def test_a_closed_board_takes_no_answers_and_says_so(boards):
    closed = boards[0]
    with pytest.raises(BoardClosed, match="closed|gesloten"):
        rules.submit_answer(closed, Submission(text="Meer speelplekken", idempotency_key="k"))
    assert not Answer.objects.exists()


def test_the_same_key_twice_gives_the_first_answer_back(board, answer_on):
    first, created = rules.submit_answer(board, Submission(text="Meer speelplekken", idempotency_key="same"))
    again, created_again = rules.submit_answer(board, Submission(text="Iets anders", idempotency_key="same"))
    assert created and not created_again and again.pk == first.pk and again.text == "Meer speelplekken"
    assert Answer.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Schrijf eerst je antwoord"), ("x" * 281, "280 tekens"), ("\n\t\x00", "Schrijf eerst je antwoord")],
)
def test_bad_text_is_refused_with_a_reason(board, text, message):
    with pytest.raises(LiveError, match=message):
        rules.submit_answer(board, Submission(text=text, idempotency_key="k"))


def test_text_is_kept_as_one_clean_line(board, answer_on):
    answer = answer_on(board, "  Meer\n\nspeel\u2028plekken <b>nu</b>\x07 ")
    assert answer.text == "Meer speel plekken <b>nu</b>"


def test_each_change_is_in_the_feed(board, answer_on):
    before = Change.objects.count()
    answer = answer_on(board, "Meer speelplekken")
    rules.vote(answer, "b1")
    assert Change.objects.count() >= before + 2
    assert Change.objects.order_by("-id").first().answer_id == answer.pk


def test_one_vote_per_person_and_unvote(board, answer_on):
    answer = answer_on(board, "Meer speelplekken")
    assert rules.vote(answer, "b1") is True
    assert rules.vote(answer, "b1") is False
    rules.vote(answer, "r7")
    assert rules.vote_counts(board) == {answer.pk: 2}
    assert rules.unvote(answer, "b1") is True and rules.unvote(answer, "b1") is False
    assert rules.vote_counts(board) == {answer.pk: 1}


def test_merge_keeps_the_originals_and_counts_each_voter_once(board, answer_on):
    a = answer_on(board, "Meer speelplekken in de wijk")
    b = answer_on(board, "Speeltuinen in elke wijk")
    answer_on(board, "Geen wachtlijsten in de jeugdzorg")
    for voter in ("b1", "b2"):
        rules.vote(a, voter)
    for voter in ("b2", "b3"):
        rules.vote(b, voter)
    merged = rules.merge([a, b])
    a.refresh_from_db()
    b.refresh_from_db()
    assert merged.is_merge and a.merged_into == merged and b.merged_into == merged
    assert merged.text == a.text  # the one with most votes (first on a tie)
    assert rules.vote_counts(board) == {merged.pk: 3}  # b2 voted for both originals: counted once
    rules.vote(merged, "b1")  # already counted through an original: still 3 people
    assert rules.vote_counts(board)[merged.pk] == 3
    with pytest.raises(NotVotable):
        rules.vote(a, "b9")
    assert Answer.objects.count() == 4  # nothing deleted


def test_merge_more_into_a_merged_answer_and_undo(board, answer_on):
    a, b, c = (answer_on(board, text) for text in ("Speelplekken", "Speeltuinen", "Plekken om te spelen"))
    merged = rules.merge([a, b], text="Overal plek om te spelen")
    assert merged.text == "Overal plek om te spelen"
    same = rules.merge([merged, c])
    assert same.pk == merged.pk and set(merged.originals.values_list("pk", flat=True)) == {a.pk, b.pk, c.pk}
    rules.vote(merged, "b5")
    originals = rules.unmerge(merged)
    assert {answer.pk for answer in originals} == {a.pk, b.pk, c.pk}
    assert not Answer.objects.filter(pk=merged.pk).exists()
    assert all(answer.merged_into_id is None for answer in Answer.objects.all())
    # The vote for the merged item went to each original.
    assert Vote.objects.filter(voter="b5").count() == 3


def test_merge_refuses_what_makes_no_sense(board, boards, answer_on):
    a = answer_on(board, "Een")
    with pytest.raises(LiveError):
        rules.merge([a])
    other_board = rules.set_open(next(b for b in boards if b.pk != board.pk and b.kind == BoardKind.WORKSHOP), True)
    b = answer_on(other_board, "Twee")
    with pytest.raises(LiveError):
        rules.merge([a, b])


def test_children_answers_wait_for_a_moderator(children_board, answer_on):
    answer = answer_on(children_board, "Meer speeltuinen", from_children=True, role="raadslid")
    assert answer.status == AnswerStatus.PENDING and answer.role == "" and answer.from_children
    with pytest.raises(NotVotable):
        rules.vote(answer, "b1")
    rules.update_answer(answer, status=AnswerStatus.VISIBLE)
    answer.refresh_from_db()
    assert answer.is_public


def test_tags_priority_and_hiding(board, answer_on):
    answer = answer_on(board, "Kinderen betrekken bij beleid")
    rules.update_answer(answer, priority=True, policy_areas=["participatie"], crc_articles=[12], sdgs=[16])
    answer.refresh_from_db()
    assert answer.priority and answer.policy_areas == ["participatie"]
    assert [a.number for a in answer.crc_articles.all()] == [12] and [g.number for g in answer.sdgs.all()] == [16]
    with pytest.raises(LiveError):
        rules.update_answer(answer, crc_articles=[99])
    with pytest.raises(LiveError):
        rules.update_answer(answer, policy_areas=["geheim"])
    rules.update_answer(answer, status=AnswerStatus.HIDDEN)
    answer.refresh_from_db()
    assert not answer.is_public


def test_duplicates_are_suggested_and_can_be_accepted_or_dismissed(
    board, answer_on, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = answer_on(board, "Meer speelplekken in elke wijk")
        second = answer_on(board, "Meer speelplekken in iedere wijk")
        answer_on(board, "Gratis schoolontbijt")
    suggestion = DuplicateSuggestion.objects.get(answer=second)
    assert suggestion.other == first and suggestion.method == "text"
    merged = rules.accept_suggestion(suggestion)
    assert set(merged.originals.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert DuplicateSuggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.ACCEPTED


def test_open_and_close(board):
    closed = rules.set_open(board, False)
    assert not closed.is_open and closed.closed_at is not None
    assert Board.objects.get(pk=board.pk).is_open is False
