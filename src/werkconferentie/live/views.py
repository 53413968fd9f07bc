"""Public pages of the live boards: join by code, the phone page, the room screen and the children's page.

Every page works without JavaScript (forms post and come back); with it, the lists update live (live.js).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.db.models import Max
from django.http import Http404, HttpResponseNotModified, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, npgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from werkconferentie.documents.qr import qr_svg
from werkconferentie.registration.enums import Role
from werkconferentie.registration.forms import RegistrationForm
from werkconferentie.registration.links import ExpiredLink, InvalidLink, registration_from_token

from . import boards, present, ratelimit
from .boards import LiveError, Submission
from .forms import AnswerForm, ChildrenForm, JoinForm
from .identity import SESSION_REGISTRATION, Identity
from .models import Answer, Change


def board_or_404(code: str):
    board = boards.board_by_code(code)
    if board is None:
        raise Http404
    return board


@require_safe
def join(request):
    form = JoinForm(request.GET or None)
    if form.is_bound and form.is_valid():
        board = boards.board_by_code(form.cleaned_data["code"])
        if board is not None:
            return redirect(_page_name(board), code=board.code)
        form.add_error("code", _("No board has this code. Check the code on the screen and try again."))
    return render(request, "live/join.html", {"form": form}, status=400 if form.is_bound else 200)


def _page_name(board) -> str:
    return "live:children" if board.for_children else "live:board"


def _live_context(request, board, audience: str, **config) -> dict:
    """What every live page needs, and the JSON its script reads (live.js, console.js)."""
    code = board.code
    public = audience == "public"
    return {
        "board": board,
        "event": board.event,
        "live_config": {
            "code": code,
            "stream": reverse("live:stream" if public else "live:host_stream", kwargs={"code": code}),
            "poll": reverse("api:live_answers" if public else "api:live_host_answers", kwargs={"code": code}),
            "api": reverse("api:live_answers", kwargs={"code": code}),
            "csrf": get_token(request),
            "roles": {key: str(label) for key, label in Role.choices},
            **config,
        },
    }


def with_role_labels(answers: list[dict]) -> list[dict]:
    labels = dict(Role.choices)
    for answer in answers:
        answer["role_label"] = labels.get(answer["role"], "")
    return answers


def _texts() -> dict:
    """The words live.js writes into the page, in the page's language."""
    return {
        "votes": npgettext("counted", "vote", "votes", 2),
        "vote_word_one": npgettext("counted", "vote", "votes", 1),
        "votes_one": _("%(count)s vote"),
        "votes_many": _("%(count)s votes"),
        "vote_counted": _("Your vote is counted: %(votes)s."),
        "vote_taken_back": _("Your vote is taken back: %(votes)s."),
        "vote_failed": _("Your vote did not go through. Try again."),
        "agree": _("I agree"),
        "priority": _("Priority"),
        "yours": _("your answer"),
        "merged_one": _("1 answer merged"),
        "merged_many": _("%(count)s answers merged"),
        "new_answer": _("New answer: %(text)s"),
        "sent": _("Thank you: your answer is on the board."),
        "retrying": _("No connection. Trying again…"),
        "failed": _("Your answer was not sent. Check your connection and press Send again."),
        "closed": _("This board is closed: it takes no answers now."),
        "more_one": _("and %(count)s more answer: see them on your phone"),
        "more_many": _("and %(count)s more answers: see them on your phone"),
    }


def _submitted(board, form, submission: Submission) -> bool:
    """Send a valid form's answer; a refusal (closed board, bad text) goes to the form's text field."""
    try:
        boards.submit_answer(board, submission)
    except LiveError as error:
        form.add_error("text", str(error))
        return False
    return True


@require_http_methods(["GET", "HEAD", "POST"])
def board(request, code: str):
    board = board_or_404(code)
    if board.for_children:
        return redirect("live:children", code=board.code)
    identity = Identity(request)
    identity.join(board.event)  # opening the board is joining it: the browser gets its voter id now
    registration = identity.registration_for(board.event)
    if request.method == "POST":
        seconds = ratelimit.retry_after(request, identity)
        if seconds is not None:
            return ratelimit.limited_page(request, seconds)
        form = AnswerForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            submission = Submission(
                text=data["text"],
                idempotency_key=data["idempotency_key"],
                role=data["role"],
                municipality=data["municipality"],
                language=get_language() or "nl",
                author=identity.voter(board.event),
                registration=registration,
            )
            if _submitted(board, form, submission):
                messages.success(request, _("Thank you: your answer is on the board."))
                return identity.keep(redirect(reverse("live:board", kwargs={"code": board.code}) + "#antwoorden"))
    else:
        initial = {}
        if registration is not None:
            initial = {
                "role": registration.role,
                "municipality": registration.municipality.name if registration.municipality_id else "",
            }
        form = AnswerForm(initial=initial)
    answers, _removed = present.public_answers(board)
    voter = identity.voter(board.event)
    voted = boards.voted_by(board, voter)
    mine = set(Answer.objects.filter(board=board, author=voter).values_list("pk", flat=True))
    context = {
        **_live_context(request, board, "public", page="board", voted=sorted(voted), mine=sorted(mine), texts=_texts()),
        "form": form,
        "answers": with_role_labels(answers),
        "voted": voted,
        "mine": mine,
        "municipality_names": RegistrationForm.municipality_names(),
        "registration": registration,
    }
    status = 400 if request.method == "POST" else 200
    return identity.keep(render(request, "live/board.html", context, status=status))


@require_POST
def vote(request, code: str, answer_id: int):
    board = board_or_404(code)
    answer = boards.answer_of(board, answer_id)
    if answer is None:
        raise Http404
    identity = Identity(request)
    if not identity.known(board.event):
        messages.error(request, _("Your browser did not keep our cookie, so your vote cannot be counted once only."))
        return identity.keep(redirect("live:board", code=board.code))
    if request.POST.get("action") != "unvote" and ratelimit.vote_retry_after(request, answer) is not None:
        messages.error(request, ratelimit.vote_message())
        return redirect(reverse("live:board", kwargs={"code": board.code}) + f"#antwoord-{answer.pk}")
    try:
        if request.POST.get("action") == "unvote":
            boards.unvote(answer, identity.voter(board.event))
        else:
            boards.vote(answer, identity.voter(board.event))
    except LiveError as error:
        messages.error(request, str(error))
    return identity.keep(redirect(reverse("live:board", kwargs={"code": board.code}) + f"#antwoord-{answer.pk}"))


@require_safe
def screen(request, code: str):
    board = board_or_404(code)
    answers, _removed = present.public_answers(board)
    context = {
        **_live_context(
            request,
            board,
            "public",
            page="screen",
            texts=_texts(),
            cloud=reverse("live:cloud", kwargs={"code": board.code}),
            showVotes=board.shows_votes,
        ),
        "answers": with_role_labels(answers),
        "qr_svg": qr_svg(present.join_url(board)),
        "join_url": present.join_url(board),
        "join_page": urlsplit(settings.SITE_URL).netloc + reverse("live:join"),
        "words": present.word_cloud(answers),
    }
    return render(request, "live/screen.html", context)


@require_safe
def cloud(request, code: str):
    """The room screen's word cloud as JSON; 304 while the board has not changed."""
    board = board_or_404(code)
    latest = Change.objects.filter(board=board).aggregate(latest=Max("id"))["latest"] or 0
    etag = f'"cloud-{board.pk}-{latest}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        answers, _removed = present.public_answers(board)
        response = JsonResponse(present.word_cloud(answers), safe=False)
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


def children_picks() -> list[str]:
    """Topics a child can start from, in very simple words."""
    return [
        _("Playing outside"),
        _("School"),
        _("Feeling safe"),
        _("Being heard"),
        _("Health"),
        _("Enough money at home"),
        _("Nature and climate"),
        _("Bullying"),
        _("Help when things are hard"),
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def children(request, code: str):
    board = board_or_404(code)
    if not board.for_children:
        return redirect("live:board", code=board.code)
    identity = Identity(request)
    identity.join(board.event)
    if request.method == "POST":
        seconds = ratelimit.retry_after(request, identity)
        if seconds is not None:
            return ratelimit.limited_page(request, seconds)
        form = ChildrenForm(request.POST)
        if form.is_valid():
            submission = Submission(  # scrubbed where it is stored (boards.submit_answer)
                text=form.cleaned_data["text"],
                idempotency_key=form.cleaned_data["idempotency_key"],
                language=get_language() or "nl",
                author=identity.voter(board.event),
                from_children=True,
            )
            if _submitted(board, form, submission):
                messages.success(request, _("Thank you! A grown-up reads your idea first. Then everyone can see it."))
                return identity.keep(redirect("live:children", code=board.code))
    else:
        form = ChildrenForm()
    status = 400 if request.method == "POST" else 200
    context = {"board": board, "form": form, "picks": children_picks()}
    return identity.keep(render(request, "live/children.html", context, status=status))


@require_safe
def from_personal_link(request, token: str, code: str):
    """From a participant's personal page to a board: their votes and answers are then theirs."""
    try:
        registration = registration_from_token(token)
    except (InvalidLink, ExpiredLink):
        return render(request, "registration/link_error.html", status=404)
    board = board_or_404(code)
    if board.event_id != registration.event_id:
        raise Http404
    request.session[SESSION_REGISTRATION] = registration.pk
    return redirect(_page_name(board), code=board.code)
