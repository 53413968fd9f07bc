"""JSON API of the live boards: answering and voting for everyone, the console's actions for hosts.

Public: POST/GET /api/live/{code}/answers, POST/DELETE /api/live/{code}/answers/{id}/vote. A vote belongs to the
browser's signed cookie (set by the board's page or by sending an answer) or to the participant who came through
their personal link; a vote without either is refused (403 no_voter).
Host endpoints under /api/live/{code}/host/ take the session of an organiser or of a host who opened the host
link (with the CSRF token in X-CSRFToken), or an organiser's bearer token (`werkconferentie api-token`).
"""

from typing import Literal

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status as Answer_
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf
from pydantic import StrictBool, StrictInt

from werkconferentie.core.roles import is_organiser_of
from werkconferentie.events.api_access import OrganiserToken, Problem
from werkconferentie.reference.municipalities import find_current_municipality, unknown_municipality_message
from werkconferentie.registration.enums import Role

from . import boards, present, ratelimit
from .access import SESSION_HOSTED, can_host
from .boards import BoardClosed, LiveError, Submission
from .enums import AnswerStatus
from .identity import COOKIE as IDENTITY_COOKIE
from .identity import Identity
from .models import ANSWER_MAX_LENGTH, Answer, Change, DuplicateSuggestion

router = Router(tags=["live boards"])


class HostSession(APIKeyCookie):
    """The browser session of an organiser or of a host who opened the board's host link (CSRF checked)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        # Only a session that holds someone: a logged-in user or an opened host link. A made-up or emptied
        # session cookie is no authentication (401), not a session that may host nothing (404).
        session = getattr(request, "session", None)
        if not key or session is None or session.session_key != key:
            return None
        return "session" if session.get(SESSION_KEY) or session.get(SESSION_HOSTED) else None


HOST_AUTH = [OrganiserToken(), HostSession()]


class AnswerIn(Schema):
    text: str = Field(
        min_length=1, max_length=2000, description=f"At most {ANSWER_MAX_LENGTH} characters after trimming."
    )
    role: Role | None = None
    municipality: str | None = Field(
        None,
        max_length=100,
        description="A current municipality: CBS code (GM1730) or name ('Den Haag' and former names too).",
    )
    idempotency_key: str = Field(
        min_length=1,
        max_length=64,
        description="Made by the client per answer; a retry with the same key makes no second answer.",
    )


class AnswerOut(Schema):
    id: int
    text: str
    role: str = Field(description="Role code, or empty.")
    municipality: str = Field(description="Municipality name, or empty.")
    votes: int
    priority: bool
    children: bool
    merged: int = Field(description="How many answers were merged into this one (0: not a merged answer).")


class SubmittedOut(Schema):
    id: int
    status: Literal["visible", "pending", "hidden"]
    text: str


class BoardOut(Schema):
    code: str
    title: str
    open: bool
    moderated: bool
    for_children: bool
    join_url: str


class BoardAnswersOut(Schema):
    board: BoardOut
    answers: list[AnswerOut]


class VoteOut(Schema):
    answer: int
    voted: bool
    votes: int


class SuggestionOut(Schema):
    id: int
    other: int
    other_text: str
    score: float
    method: str


class EditOut(Schema):
    at: str = Field(description="When the text was changed (ISO 8601).")
    by: str = Field(description="The organiser's user name; empty for a host who came in through the host link.")
    text: str


class SuggestedTagsOut(Schema):
    policy_areas: list[str]
    crc_articles: list[int]
    sdgs: list[int]


class HostAnswerOut(AnswerOut):
    status: str
    merged_into: int | None
    is_merge: bool
    originals: list[int]
    policy_areas: list[str]
    crc_articles: list[int]
    sdgs: list[int]
    indicators: list[str]
    suggestions: list[SuggestionOut]
    suggested_tags: SuggestedTagsOut = Field(description="Tags the answer's words suggest (keywords), for the host.")
    created_at: str
    edits: list[EditOut] = Field(description="Changes of the text by a moderator, oldest first.")


class HostBoardOut(Schema):
    board: BoardOut
    answers: list[HostAnswerOut]


class MergeIn(Schema):
    answers: list[StrictInt] = Field(min_length=2, max_length=50)
    text: str | None = Field(None, max_length=2000)


class AnswerPatch(Schema):
    text: str | None = Field(None, max_length=2000, description="A new text; a child's is scrubbed again.")
    priority: StrictBool | None = None
    status: AnswerStatus | None = None
    policy_areas: list[str] | None = Field(None, max_length=20)
    crc_articles: list[StrictInt] | None = Field(None, max_length=60)
    sdgs: list[StrictInt] | None = Field(None, max_length=17)
    indicators: list[str] | None = Field(None, max_length=60)


def _board(code: str):
    board = boards.board_by_code(code)
    if board is None:
        raise Http404
    return board


def _hosted_board(request, code: str):
    board = _board(code)
    allowed = is_organiser_of(request.auth, board.event) if request.auth != "session" else can_host(request, board)
    if not allowed:
        raise Http404
    return board


def _csrf_failed(request) -> bool:
    """A browser with our cookies must send the CSRF token (another site cannot vote in its name); scripts
    without cookies need none."""
    if not (request.COOKIES.get(IDENTITY_COOKIE) or request.COOKIES.get(settings.SESSION_COOKIE_NAME)):
        return False
    return check_csrf(request) is not None


CSRF_PROBLEM = {"code": "csrf", "detail": "CSRF token missing or incorrect (send it in X-CSRFToken)."}


def _problem(status: int, error: LiveError):
    return Answer_(status, {"code": error.code, "detail": str(error)})


@router.post(
    "/live/{code}/answers",
    response={
        200: SubmittedOut,
        201: SubmittedOut,
        403: Problem,
        404: Problem,
        409: Problem,
        422: Problem,
        429: Problem,
    },
    summary="Answer the central question on a board",
    description="201 for a new answer; 200 with the same answer when its idempotency key was used on this board.",
)
def submit(request, response: HttpResponse, code: str, payload: AnswerIn):
    board = _board(code)
    if _csrf_failed(request):
        return Answer_(403, CSRF_PROBLEM)
    identity = Identity(request)
    seconds = ratelimit.retry_after(request, identity)
    if seconds is not None:
        response["Retry-After"] = str(seconds)
        return Answer_(429, {"code": "rate_limited", "detail": ratelimit.message(seconds)})
    municipality = None
    if payload.municipality and payload.municipality.strip():
        municipality = find_current_municipality(payload.municipality)  # refuses NUL, which PostgreSQL refuses
        if municipality is None:
            detail = unknown_municipality_message(payload.municipality)
            return Answer_(422, {"code": "unknown_municipality", "detail": detail})
    text = payload.text  # a child's text is scrubbed where answers are saved (boards.submit_answer)
    try:
        answer, created = boards.submit_answer(
            board,
            Submission(
                text=text,
                idempotency_key=payload.idempotency_key,
                role=payload.role.value if payload.role else "",
                municipality=municipality,
                language=get_language() or "nl",
                author=identity.voter(board.event),
                registration=identity.registration_for(board.event),
                from_children=board.for_children,
            ),
        )
    except BoardClosed as error:
        return _problem(409, error)
    except LiveError as error:
        return _problem(422, error)
    identity.keep(response)
    return Answer_(201 if created else 200, {"id": answer.pk, "status": answer.status, "text": answer.text})


@router.get(
    "/live/{code}/answers",
    response={200: BoardAnswersOut, 304: None, 404: Problem},
    url_name="live_answers",
    summary="The answers everyone may see, most votes first",
    description="Sends an ETag; with If-None-Match and nothing changed, 304 (cheap polling).",
)
def answers(request, response: HttpResponse, code: str):
    board = _board(code)
    latest = Change.objects.filter(board=board).aggregate(latest=Max("id"))["latest"] or 0
    etag = f'"{board.pk}-{latest}-{get_language()}"'
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    if request.headers.get("If-None-Match") == etag:
        return Answer_(304, None)
    # No voter id here: a browser gets one when its person opens the board's page (identity.py), so a script
    # cannot mint a voter per request.
    shown, _removed = present.public_answers(board)
    return {"board": present.board_state(board), "answers": shown}


def _vote(request, response, code: str, answer_id: int, add: bool):
    board = _board(code)
    if _csrf_failed(request):
        return Answer_(403, CSRF_PROBLEM)
    answer = boards.answer_of(board, answer_id)
    if answer is None:
        raise Http404
    identity = Identity(request)
    if not identity.known(board.event):
        # Else every request without cookies would be a new voter: one could vote a thousand times.
        return Answer_(
            403,
            {"code": "no_voter", "detail": _("Open the board's page first: a vote belongs to a browser.")},
        )
    seconds = ratelimit.vote_retry_after(request, answer) if add else None
    if seconds is not None:
        response["Retry-After"] = str(seconds)
        return Answer_(429, {"code": "rate_limited", "detail": ratelimit.vote_message()})
    voter = identity.voter(board.event)
    try:
        boards.vote(answer, voter) if add else boards.unvote(answer, voter)
    except BoardClosed as error:
        return _problem(409, error)
    except LiveError as error:
        return _problem(409, error)
    identity.keep(response)
    shown = answer.merged_into_id or answer.pk
    return {
        "answer": shown,
        "voted": shown in boards.voted_by(board, voter),
        "votes": boards.vote_counts(board, [shown]).get(shown, 0),
    }


@router.post(
    "/live/{code}/answers/{answer_id}/vote",
    response={200: VoteOut, 403: Problem, 404: Problem, 409: Problem, 429: Problem},
    summary="Vote for an answer",
    description=(
        "A vote belongs to a voter: the browser id a board's page gave (cookie), or a participant's personal link; "
        "without one, 403 `no_voter`. One client address adds at most WERKCONFERENTIE_LIVE_VOTE_RATE votes to one "
        "answer (429 with Retry-After)."
    ),
)
def vote(request, response: HttpResponse, code: str, answer_id: int):
    return _vote(request, response, code, answer_id, add=True)


@router.delete(
    "/live/{code}/answers/{answer_id}/vote",
    response={200: VoteOut, 403: Problem, 404: Problem, 409: Problem},
    summary="Take a vote back",
)
def unvote(request, response: HttpResponse, code: str, answer_id: int):
    return _vote(request, response, code, answer_id, add=False)


# --- Host ---------------------------------------------------------------------------------------------------------


@router.get(
    "/live/{code}/host/answers",
    response={200: HostBoardOut, 404: Problem},
    auth=HOST_AUTH,
    url_name="live_host_answers",
    summary="Every answer of a board, with status, tags and duplicate suggestions (host)",
)
def host_answers(request, code: str):
    board = _hosted_board(request, code)
    rows, _removed = present.host_answers(board)
    return {"board": present.board_state(board), "answers": rows}


@router.post(
    "/live/{code}/host/open", response={200: BoardOut, 404: Problem}, auth=HOST_AUTH, summary="Open a board (host)"
)
def open_board(request, code: str):
    return present.board_state(boards.set_open(_hosted_board(request, code), True))


@router.post(
    "/live/{code}/host/close", response={200: BoardOut, 404: Problem}, auth=HOST_AUTH, summary="Close a board (host)"
)
def close_board(request, code: str):
    return present.board_state(boards.set_open(_hosted_board(request, code), False))


@router.post(
    "/live/{code}/host/new-code",
    response={200: BoardOut, 404: Problem},
    auth=HOST_AUTH,
    summary="Give a board a new join code (host); the old code stops working",
)
def new_code(request, code: str):
    return present.board_state(boards.new_code(_hosted_board(request, code)))


def _host_answer(board, answer_id: int) -> dict:
    rows, _removed = present.host_answers(board, [answer_id])
    return rows[0]


@router.post(
    "/live/{code}/host/merge",
    response={200: HostAnswerOut, 404: Problem, 422: Problem},
    auth=HOST_AUTH,
    summary="Merge answers into one (host); the originals stay, linked to it",
)
def merge(request, code: str, payload: MergeIn):
    board = _hosted_board(request, code)
    ids = [answer_id for answer_id in payload.answers if 0 < answer_id < boards.MAX_ID]
    chosen = list(Answer.objects.filter(board=board, pk__in=ids))
    if len(chosen) != len(set(payload.answers)):
        raise Http404
    try:
        merged = boards.merge(chosen, payload.text)
    except LiveError as error:
        return _problem(422, error)
    return _host_answer(board, merged.pk)


@router.post(
    "/live/{code}/host/answers/{answer_id}/unmerge",
    response={200: list[int], 404: Problem, 422: Problem},
    auth=HOST_AUTH,
    summary="Undo a merge (host): the originals come back",
)
def unmerge(request, code: str, answer_id: int):
    board = _hosted_board(request, code)
    answer = boards.answer_of(board, answer_id)
    if answer is None:
        raise Http404
    try:
        return [original.pk for original in boards.unmerge(answer)]
    except LiveError as error:
        return _problem(422, error)


@router.patch(
    "/live/{code}/host/answers/{answer_id}",
    response={200: HostAnswerOut, 404: Problem, 422: Problem},
    auth=HOST_AUTH,
    summary="Edit the text, mark a priority, hide, show or approve, and tag an answer (host)",
)
def update(request, code: str, answer_id: int, payload: AnswerPatch):
    board = _hosted_board(request, code)
    answer = boards.answer_of(board, answer_id)
    if answer is None:
        raise Http404
    fields = payload.dict(exclude_none=True)
    if "status" in fields:
        fields["status"] = AnswerStatus(fields["status"]).value
    user = request.auth if hasattr(request.auth, "get_username") else request.user  # a token's user, or the session's
    editor = user.get_username() if user.is_authenticated else ""
    try:
        boards.update_answer(answer, editor=editor, **fields)
    except LiveError as error:
        return _problem(422, error)
    return _host_answer(board, answer.pk)


@router.post(
    "/live/{code}/host/suggestions/{suggestion_id}/{action}",
    response={200: HostAnswerOut, 404: Problem, 422: Problem},
    auth=HOST_AUTH,
    summary="Accept (merge the pair) or dismiss a duplicate suggestion (host)",
    description="Answers with the merged item (accept) or the suggested answer (dismiss).",
)
def suggestion(request, code: str, suggestion_id: int, action: Literal["accept", "dismiss"]):
    board = _hosted_board(request, code)
    found = None
    if 0 < suggestion_id < boards.MAX_ID:
        found = (
            DuplicateSuggestion.objects.filter(board=board, pk=suggestion_id).select_related("answer", "other").first()
        )
    if found is None:
        raise Http404
    if action == "dismiss":
        boards.dismiss_suggestion(found)
        return _host_answer(board, found.answer_id)
    try:
        merged = boards.accept_suggestion(found)
    except LiveError as error:
        return _problem(422, error)
    return _host_answer(board, merged.pk)
