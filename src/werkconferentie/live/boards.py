"""The rules of live boards, without HTTP: opening and closing, answering, voting, merging, moderation, tags.

Every change records a row in the live feed (changes.py) inside its own transaction, so a viewer sees it exactly
when it is committed, whichever server process made it.
"""

import logging
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from werkconferentie.events.enums import ItemKind
from werkconferentie.events.models import Event
from werkconferentie.reference.models import CrcArticle, Municipality, SdgGoal, SdgIndicator
from werkconferentie.registration.enums import Role

from . import changes
from .enums import AnswerStatus, BoardKind, SuggestionStatus
from .models import ANSWER_MAX_LENGTH, Answer, AnswerEdit, Board, DuplicateSuggestion, Vote

logger = logging.getLogger(__name__)


class LiveError(Exception):
    """A change that cannot be made; the message is for the user, in their language."""

    code = "invalid"


class BoardClosed(LiveError):
    code = "board_closed"


class NotVotable(LiveError):
    code = "not_votable"


# --- Boards ---------------------------------------------------------------------------------------------------


def ensure_boards(event: Event) -> list[Board]:
    """A board for every workshop session, the round-table (when the programme has one) and the children."""
    existing = {board.session_id for board in Board.objects.filter(event=event, kind=BoardKind.WORKSHOP)}
    for session in event_sessions(event):
        if session.pk not in existing:
            _create_board(event=event, kind=BoardKind.WORKSHOP, session=session)
    if event.programme.filter(kind=ItemKind.ROUND_TABLE).exists():
        _ensure_single(event, BoardKind.ROUND_TABLE, "Rondetafelgesprek", "Round-table", moderated=False)
    _ensure_single(
        event,
        BoardKind.CHILDREN,
        "Kinderen en jongeren",
        "Children and young people",
        moderated=True,
        question_nl=CHILDREN_QUESTION_NL,
        question_en=CHILDREN_QUESTION_EN,
    )
    return list(boards_of(event))


def event_sessions(event: Event):
    from werkconferentie.events.models import WorkshopSession

    return WorkshopSession.objects.filter(workshop__event=event).select_related("workshop", "round")


def boards_of(event: Event):
    """The event's boards in programme order: the workshop sessions by round, then the round-table, the children."""
    kind_order = Case(
        When(kind=BoardKind.WORKSHOP, then=Value(0)), When(kind=BoardKind.ROUND_TABLE, then=Value(1)), default=Value(2)
    )
    return (
        board_with_titles()
        .filter(event=event)
        .order_by(kind_order, "session__round__number", "session__workshop__number", "pk")
    )


# The children's board asks its own question, in very simple words (the adults' central question is about policy).
CHILDREN_QUESTION_NL = "Wat moet beter voor kinderen waar jij woont?"
CHILDREN_QUESTION_EN = "What should be better for children where you live?"


def _ensure_single(event: Event, kind: str, title_nl: str, title_en: str, *, moderated: bool, **fields) -> None:
    if not Board.objects.filter(event=event, kind=kind).exists():
        _create_board(event=event, kind=kind, title_nl=title_nl, title_en=title_en, moderated=moderated, **fields)


def _with_free_code(write):
    """Run `write` (which gives a board a new random join code) until the code is not taken, rarely more than once."""
    for _attempt in range(10):
        try:
            with transaction.atomic():
                return write()
        except IntegrityError:
            continue
    raise RuntimeError("no free join code found")


def _create_board(**fields) -> Board:
    return _with_free_code(lambda: Board.objects.create(**fields))


def set_open(board: Board, is_open: bool) -> Board:
    with transaction.atomic():
        board = Board.objects.select_for_update().get(pk=board.pk)
        if board.is_open != is_open:
            board.is_open = is_open
            if is_open:
                board.opened_at = timezone.now()
            else:
                board.closed_at = timezone.now()
            board.save(update_fields=["is_open", "opened_at", "closed_at"])
            changes.record(board.pk)
    return board


MAX_ID = 2**62  # ids beyond what a database integer holds: looked up, they would be an error, not "not found"


def answer_of(board: Board, answer_id: int) -> Answer | None:
    """The board's answer with this id, or None (also for ids no database could hold)."""
    if not 0 < answer_id < MAX_ID:
        return None
    return Answer.objects.filter(board=board, pk=answer_id).first()


def new_code(board: Board) -> Board:
    """Give the board a new join code (the old one was shared too widely): the old code stops working at once."""
    from .models import new_code as make_code

    def write():
        Board.objects.filter(pk=board.pk).update(code=make_code())
        changes.record(board.pk)

    _with_free_code(write)
    return board_with_titles().get(pk=board.pk)


def board_with_titles():
    """Boards with what their titles and states need (event, workshop, round), in one query."""
    return Board.objects.select_related("event", "session__workshop", "session__round")


def board_by_code(code: str) -> Board | None:
    code = normalise_code(code)
    if not code:
        return None
    return board_with_titles().filter(code=code).first()


def normalise_code(code: str) -> str:
    """'ab c-d2e' -> 'ABCD2E': people type codes with spaces, dashes and lower case."""
    cleaned = "".join(char for char in str(code)[:40] if char.isalnum()).upper()
    return cleaned if len(cleaned) <= 12 and cleaned.isascii() else ""


# --- Answers --------------------------------------------------------------------------------------------------


@dataclass
class Submission:
    text: str
    idempotency_key: str
    role: str = ""
    municipality: Municipality | None = None
    language: str = "nl"
    author: str = ""
    registration: object = None
    from_children: bool = False


def clean_text(text: str) -> str:
    """One line of plain text: control characters out, whitespace collapsed. HTML stays text (escaped on output)."""
    text = unicodedata.normalize("NFC", str(text))
    text = "".join(" " if unicodedata.category(char) in {"Cc", "Cs", "Zl", "Zp"} else char for char in text)
    return " ".join(text.split())


def validate_submission(submission: Submission) -> str:
    text = clean_text(submission.text)
    if not text:
        raise LiveError(_("Write your answer first."))
    if len(text) > ANSWER_MAX_LENGTH:
        raise LiveError(
            _("Keep your answer to %(limit)d characters; it now has %(length)d.")
            % {"limit": ANSWER_MAX_LENGTH, "length": len(text)}
        )
    key = str(submission.idempotency_key or "")
    if not key or len(key) > 64 or not key.isascii() or not key.isprintable():
        raise LiveError(_("The form was not sent whole. Reload the page and try again."))
    if submission.role and submission.role not in Role.values:
        raise LiveError(_("Choose a role from the list."))
    return text


def children_text(text: str) -> str:
    """A child's text as it may be stored: personal details replaced by placeholders (scrub.py), one clean line.

    Every way a child's text reaches the database (the children's page, the API, a moderator's edit, a merge's
    text) goes through here: the rule lives with the data, not in the views."""
    from .scrub import scrub

    return clean_text(scrub(text).text)[:ANSWER_MAX_LENGTH]


def submit_answer(board: Board, submission: Submission) -> tuple[Answer, bool]:
    """Add an answer; (answer, created). The same idempotency key on the same board gives the first answer back.

    On the children's board every answer is a child's: scrubbed of personal details before it is stored."""
    text = validate_submission(submission)
    existing = Answer.objects.filter(board=board, idempotency_key=submission.idempotency_key).first()
    if existing is not None:
        return existing, False
    board = Board.objects.get(pk=board.pk)  # open or closed as of now, not as of the page
    if not board.is_open:
        raise BoardClosed(_("This board is closed: it takes no answers now."))
    from_children = submission.from_children or board.for_children
    if from_children:
        text = children_text(text)
    moderated = board.moderated or from_children
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                board=board,
                text=text,
                role="" if from_children else submission.role,
                municipality=None if from_children else submission.municipality,
                language=submission.language if submission.language in ("nl", "en") else "nl",
                author=submission.author[:64],
                registration=submission.registration,
                idempotency_key=submission.idempotency_key,
                status=AnswerStatus.PENDING if moderated else AnswerStatus.VISIBLE,
                from_children=from_children,
            )
            changes.record(board.pk, answer.pk)
    except IntegrityError:
        existing = Answer.objects.filter(board=board, idempotency_key=submission.idempotency_key).first()
        if existing is None:
            raise
        return existing, False
    transaction.on_commit(lambda: _after_answer(answer))
    return answer, True


_suggester = None


def _after_answer(answer: Answer) -> None:
    """Look for duplicates of a new answer, in a thread of its own (LIVE_SUGGEST_IN_BACKGROUND): the encoder
    and the comparison with every answer of the board cost more than the answer itself, and need not hold up
    the person who sent it."""
    global _suggester
    if not settings.LIVE_SUGGEST_IN_BACKGROUND:
        suggest_duplicates(answer)
        return
    if _suggester is None:
        from concurrent.futures import ThreadPoolExecutor

        _suggester = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-suggestions")
    _suggester.submit(_suggest_in_background, answer.pk)


def _suggest_in_background(answer_id: int) -> None:
    from django.db import close_old_connections

    close_old_connections()
    answer = Answer.objects.filter(pk=answer_id).first()
    if answer is not None:
        suggest_duplicates(answer)


def suggest_duplicates(answer: Answer) -> list[DuplicateSuggestion]:
    """Compare a new answer with the board's others and keep the likely duplicates for the host."""
    from . import embeddings
    from .similarity import default_finder

    # Only older answers: each pair is considered once, by its newer answer, also when the older one's look ran
    # late (in the background, after the newer was sent); else a pair could be suggested both ways round.
    candidates = (
        Answer.objects.filter(board_id=answer.board_id, merged_into__isnull=True, pk__lt=answer.pk)
        .exclude(status=AnswerStatus.HIDDEN)
        .values_list("pk", "text")
    )
    try:
        found = default_finder().suggest(answer.text, list(candidates))
    except Exception:  # a suggestion is a help, never a reason for an answer to fail
        logger.exception("duplicate suggestions failed for answer %s", answer.pk)
        return []
    # The answer was just encoded: keep its vector for the outcome's theme proposals (a cached lookup, one row).
    embeddings.remember(answer.pk, answer.text)
    made = []
    # A pair suggested the other way round already (two answers sent at the same moment) is not suggested twice.
    reverse = set(
        DuplicateSuggestion.objects.filter(other=answer, answer_id__in=[s.other_id for s in found]).values_list(
            "answer_id", flat=True
        )
    )
    found = [suggestion for suggestion in found if suggestion.other_id not in reverse]
    with transaction.atomic():
        for suggestion in found:
            made.append(
                DuplicateSuggestion.objects.get_or_create(
                    answer=answer,
                    other_id=suggestion.other_id,
                    defaults={"board_id": answer.board_id, "score": suggestion.score, "method": suggestion.method},
                )[0]
            )
        if made:
            changes.record(answer.board_id, answer.pk)
    return made


# --- Votes ----------------------------------------------------------------------------------------------------


def vote(answer: Answer, voter: str) -> bool:
    """Vote for an answer everyone sees; False when this voter had already voted for it."""
    answer = Answer.objects.select_related("board").get(pk=answer.pk)
    if not answer.is_public:
        raise NotVotable(_("This answer cannot get votes (it was merged or is not shown)."))
    if not answer.board.is_open:
        raise BoardClosed(_("This board is closed: voting has ended."))
    try:
        with transaction.atomic():
            Vote.objects.create(answer=answer, voter=voter)
            changes.record(answer.board_id, answer.pk)
    except IntegrityError:
        return False
    return True


def unvote(answer: Answer, voter: str) -> bool:
    with transaction.atomic():
        deleted, _deleted = Vote.objects.filter(answer=answer, voter=voter).delete()
        if deleted:
            changes.record(answer.board_id, answer.merged_into_id or answer.pk)
    return bool(deleted)


def vote_counts(board: Board, answer_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Votes per answer as shown: a merged item counts each person once over itself and its originals."""
    votes = Vote.objects.filter(answer__board=board)
    if answer_ids is not None:
        ids = list(answer_ids)
        votes = votes.filter(answer_id__in=ids) | votes.filter(answer__merged_into_id__in=ids)
    voters: dict[int, set[str]] = defaultdict(set)
    for answer_id, merged_into_id, voter in votes.values_list("answer_id", "answer__merged_into_id", "voter"):
        voters[merged_into_id or answer_id].add(voter)
    return {answer_id: len(people) for answer_id, people in voters.items()}


def voted_by(board: Board, voter: str) -> set[int]:
    """The answers (as shown) this voter has voted for."""
    rows = Vote.objects.filter(answer__board=board, voter=voter).values_list("answer_id", "answer__merged_into_id")
    return {merged_into_id or answer_id for answer_id, merged_into_id in rows}


# --- Host: merge, moderation, priority, tags ------------------------------------------------------------------


def merge(answers: Sequence[Answer], text: str | None = None) -> Answer:
    """Merge answers into one item; the originals stay, linked to it. Merging with a merged item adds to it."""
    ids = {answer.pk for answer in answers}
    with transaction.atomic():
        chosen = list(Answer.objects.select_for_update().filter(pk__in=ids).order_by("created_at", "pk"))
        if len(chosen) < 2 or len({answer.board_id for answer in chosen}) != 1:
            raise LiveError(_("Choose at least two answers of this board to merge."))
        if any(answer.merged_into_id for answer in chosen):
            raise LiveError(_("One of these answers is already part of a merged answer."))
        board_id = chosen[0].board_id
        targets = [answer for answer in chosen if answer.is_merge]
        if len(targets) > 1:
            raise LiveError(_("Merge into one merged answer at a time."))
        if targets:
            merged = targets[0]
            originals = [answer for answer in chosen if answer.pk != merged.pk]
        else:
            counts = vote_counts(chosen[0].board, ids)
            leader = max(chosen, key=lambda answer: (counts.get(answer.pk, 0), -answer.pk))
            merged = Answer.objects.create(
                board_id=board_id,
                text=leader.text,
                language=leader.language,
                idempotency_key=f"merge-{leader.pk}-{timezone.now().timestamp()}",
                status=AnswerStatus.VISIBLE,
                priority=any(answer.priority for answer in chosen),
                is_merge=True,
                from_children=any(answer.from_children for answer in chosen),
                policy_areas=sorted({area for answer in chosen for area in answer.policy_areas}),
            )
            for field in ("crc_articles", "sdgs", "indicators"):
                getattr(merged, field).set({item for answer in chosen for item in getattr(answer, field).all()})
            originals = chosen
        if text is not None:
            cleaned = clean_text(text)
            if not cleaned or len(cleaned) > ANSWER_MAX_LENGTH:
                raise LiveError(_("The merged text must be 1 to %(limit)d characters.") % {"limit": ANSWER_MAX_LENGTH})
            if merged.from_children or any(answer.from_children for answer in chosen):
                cleaned = children_text(cleaned)
            merged.text = cleaned
            merged.save(update_fields=["text", "updated_at"])
        for answer in originals:
            answer.merged_into = merged
            answer.save(update_fields=["merged_into", "updated_at"])
            changes.record(board_id, answer.pk)
        DuplicateSuggestion.objects.filter(answer__in=originals, other__in=originals).update(
            status=SuggestionStatus.ACCEPTED
        )
        # Other answers' suggestions that point at a merged original are void now: their rows go out again, so
        # that every console drops them without a reload.
        pointing = DuplicateSuggestion.objects.filter(other__in=originals, status=SuggestionStatus.OPEN)
        for answer_id in sorted(set(pointing.exclude(answer__in=originals).values_list("answer_id", flat=True))):
            changes.record(board_id, answer_id)
        changes.record(board_id, merged.pk)
    return merged


def unmerge(merged: Answer) -> list[Answer]:
    """Undo a merge: the originals come back as they were. Votes given to the merged item go to each original."""
    with transaction.atomic():
        merged = Answer.objects.select_for_update().get(pk=merged.pk)
        if not merged.is_merge:
            raise LiveError(_("This answer is not a merged answer."))
        originals = list(merged.originals.all())
        direct = list(merged.votes.values_list("voter", flat=True))
        for answer in originals:
            answer.merged_into = None
            answer.save(update_fields=["merged_into", "updated_at"])
            Vote.objects.bulk_create([Vote(answer=answer, voter=voter) for voter in direct], ignore_conflicts=True)
            changes.record(merged.board_id, answer.pk)
        changes.record(merged.board_id, merged.pk)
        merged.delete()  # only the merged item goes; it was made by the merge
    return originals


def update_answer(answer: Answer, *, editor: str = "", **fields) -> Answer:
    """Set the text, priority, status (visible, hidden, pending) and tags; only the fields given.

    A new text replaces the old one (which is not kept: it may hold what the moderator took out) and is recorded
    in the answer's edits with `editor` (an organiser's user name; empty for a host). A child's text is scrubbed
    again, as when it was sent."""
    from .tagging import POLICY_AREAS

    with transaction.atomic():
        answer = Answer.objects.select_for_update().get(pk=answer.pk)
        saved = []
        if "text" in fields:
            text = clean_text(fields["text"])
            if not text or len(text) > ANSWER_MAX_LENGTH:
                raise LiveError(_("The text must be 1 to %(limit)d characters.") % {"limit": ANSWER_MAX_LENGTH})
            if answer.from_children:
                text = children_text(text)
            if text != answer.text:
                answer.text = text
                saved.append("text")
                AnswerEdit.objects.create(answer=answer, text=text, editor=str(editor)[:150])
        if "priority" in fields:
            answer.priority = bool(fields["priority"])
            saved.append("priority")
        if "status" in fields:
            if fields["status"] not in AnswerStatus.values:
                raise LiveError(_("Unknown status."))
            answer.status = fields["status"]
            saved.append("status")
        if "policy_areas" in fields:
            known = [area[0] for area in POLICY_AREAS]
            unknown = [area for area in fields["policy_areas"] if area not in known]
            if unknown:
                raise LiveError(_("Unknown policy area: %(area)s.") % {"area": str(unknown[0])[:40]})
            answer.policy_areas = [area for area in known if area in fields["policy_areas"]]
            saved.append("policy_areas")
        if saved:
            answer.save(update_fields=[*saved, "updated_at"])
        for field, model, key in (
            ("crc_articles", CrcArticle, "number"),
            ("sdgs", SdgGoal, "number"),
            ("indicators", SdgIndicator, "code"),
        ):
            if field in fields:
                wanted = list(fields[field])
                if any(not item.isprintable() if isinstance(item, str) else not 0 < item < 1000 for item in wanted):
                    raise LiveError(_("Unknown reference: %(ref)s.") % {"ref": "?"})
                found = list(model.objects.filter(**{f"{key}__in": wanted}))
                if len(found) != len(set(wanted)):
                    missing = set(wanted) - {getattr(item, key) for item in found}
                    raise LiveError(_("Unknown reference: %(ref)s.") % {"ref": str(sorted(map(str, missing))[0])[:20]})
                getattr(answer, field).set(found)
        changes.record(answer.board_id, answer.merged_into_id or answer.pk)
    return answer


def dismiss_suggestion(suggestion: DuplicateSuggestion) -> None:
    with transaction.atomic():
        DuplicateSuggestion.objects.filter(pk=suggestion.pk).update(status=SuggestionStatus.DISMISSED)
        changes.record(suggestion.board_id, suggestion.answer_id)


def accept_suggestion(suggestion: DuplicateSuggestion) -> Answer:
    answers = [suggestion.answer, suggestion.other]
    # When one of the pair is already merged, merge the other into that merged item.
    answers = [Answer.objects.get(pk=answer.merged_into_id) if answer.merged_into_id else answer for answer in answers]
    if answers[0].pk == answers[1].pk:
        DuplicateSuggestion.objects.filter(pk=suggestion.pk).update(status=SuggestionStatus.ACCEPTED)
        return answers[0]
    return merge(answers)
