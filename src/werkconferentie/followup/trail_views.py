"""'Wat is er met mijn idee gebeurd?': for a participant behind her personal link, and for children on a page in
very simple Dutch, reached with the code (or QR code) of their board."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from werkconferentie.live.views import board_or_404
from werkconferentie.registration.links import ExpiredLink, InvalidLink

from .links import participant_from_token
from .models import ParticipantChoice
from .trail import children_board_ideas, participant_answers, trails


@require_http_methods(["GET", "HEAD", "POST"])
def participant(request, token: str):
    try:
        registration = participant_from_token(token)
    except ExpiredLink:
        return render(request, "registration/link_error.html", {"expired": True}, status=410)
    except InvalidLink:
        return render(request, "registration/link_error.html", {"expired": False}, status=404)
    choice = ParticipantChoice.objects.filter(registration=registration).first()
    if request.method == "POST":
        ParticipantChoice.objects.update_or_create(
            registration=registration,
            defaults={
                "may_be_contact": request.POST.get("may_be_contact") == "on"
                and registration.municipality_id is not None,
                "wants_news": request.POST.get("wants_news") == "on",
            },
        )
        return redirect(request.path + "?opgeslagen=1")
    context = {
        "event": registration.event,
        "registration": registration,
        "token": token,
        "trails": trails(participant_answers(registration)),
        "choice": choice,
        "saved": request.GET.get("opgeslagen") == "1",
    }
    return render(request, "followup/my_ideas.html", context)


@require_safe
def children(request, code: str):
    board = board_or_404(code)
    if not board.for_children:
        return redirect("live:board", code=board.code)
    context = {"board": board, "event": board.event, "trails": trails(children_board_ideas(board))}
    return render(request, "followup/children.html", context)
