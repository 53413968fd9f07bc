"""'Wat is er met mijn idee gebeurd?': for a participant behind her personal link, for everyone on the page of a
board after the day, and for children on a page in very simple Dutch, reached with the code (or QR code) of their
board. Each page takes a reaction for the organiser (reactions.py)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from werkconferentie.core import ratelimit
from werkconferentie.live.views import board_or_404
from werkconferentie.registration.links import ExpiredLink, InvalidLink

from . import reactions
from .errors import FollowupError
from .forms import ReactionForm
from .links import participant_from_token
from .models import ParticipantChoice, Reaction
from .trail import board_ideas, participant_answers, trails


def _reaction(request, event, ideas, source, *, board=None, registration=None, children=False):
    """(form, response): the reaction form, and on a good POST a redirect that says it was sent."""
    if request.method != "POST" or "reaction-text" not in request.POST:
        return ReactionForm(ideas=ideas, children=children), None
    seconds = ratelimit.retry_after(request, reactions.RATE_SCOPE, reactions.RATE)
    if seconds is not None:
        message = _("Too many reactions from your address. Please try again in %(seconds)d seconds.") % {
            "seconds": seconds
        }
        return None, ratelimit.rate_limited_response(request, seconds, message)
    form = ReactionForm(request.POST, ideas=ideas, children=children)
    if form.is_valid():
        try:
            reactions.submit_reaction(
                event,
                form.cleaned_data["text"],
                source,
                board=board,
                answer=form.cleaned_data.get("idea"),
                registration=registration,
            )
        except FollowupError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, _("Thank you. The organiser will read your reaction."))
            return form, redirect(request.path)
    return form, None


@require_http_methods(["GET", "HEAD", "POST"])
def participant(request, token: str):
    try:
        registration = participant_from_token(token)
    except ExpiredLink:
        return render(request, "registration/link_error.html", {"expired": True}, status=410)
    except InvalidLink:
        return render(request, "registration/link_error.html", {"expired": False}, status=404)
    choice = ParticipantChoice.objects.filter(registration=registration).first()
    if request.method == "POST" and "reaction-text" not in request.POST:
        ParticipantChoice.objects.update_or_create(
            registration=registration,
            defaults={
                "may_be_contact": request.POST.get("may_be_contact") == "on"
                and registration.municipality_id is not None,
                "wants_news": request.POST.get("wants_news") == "on",
            },
        )
        return redirect(request.path + "?opgeslagen=1")
    answers = list(participant_answers(registration))
    form, response = _reaction(
        request, registration.event, answers, Reaction.Source.PARTICIPANT, registration=registration
    )
    if response:
        return response
    context = {
        "event": registration.event,
        "registration": registration,
        "token": token,
        "trails": trails(answers),
        "choice": choice,
        "saved": request.GET.get("opgeslagen") == "1",
        "reaction_form": form,
    }
    return render(request, "followup/my_ideas.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def board(request, code: str):
    """What became of a board's ideas, for anyone with its code, once the board is closed."""
    board = board_or_404(code)
    if board.for_children:
        return redirect("followup:children", code=board.code)
    if board.is_open:
        raise Http404  # during the day the board itself is the page
    ideas = list(board_ideas(board))
    form, response = _reaction(request, board.event, ideas, Reaction.Source.BOARD, board=board)
    if response:
        return response
    context = {"board": board, "event": board.event, "trails": trails(ideas), "reaction_form": form}
    return render(request, "followup/board.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def children(request, code: str):
    board = board_or_404(code)
    if not board.for_children:
        return redirect("live:board", code=board.code)
    ideas = list(board_ideas(board))
    form, response = _reaction(request, board.event, (), Reaction.Source.CHILDREN, board=board, children=True)
    if response:
        return response
    context = {"board": board, "event": board.event, "trails": trails(ideas), "reaction_form": form}
    return render(request, "followup/children.html", context, status=400 if form.errors else 200)
