"""The host's pages: the console of a board, the host link that opens it, the poster and the exports; and the
organiser's overview of all boards of an event (under /beheer-dag/, behind the admin's login).

Anyone else gets 404 for a console, as if it did not exist.
"""

from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from werkconferentie.assignment.badges import render_pdf
from werkconferentie.assignment.print_views import admin_context, download, event_for
from werkconferentie.reference.models import CrcArticle, SdgGoal, SdgIndicator
from werkconferentie.registration.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

from . import boards, exports, present
from .access import InvalidHostLink, board_from_host_token, host_url, hosted_board, remember_host
from .enums import AnswerStatus
from .models import new_secret
from .tagging import POLICY_AREAS
from .views import _live_context, qr_svg, with_role_labels


def hosted_board_or_404(request, code: str):
    board = hosted_board(request, code)
    if board is None:
        raise Http404
    return board


@require_GET
def host_link(request, token: str):
    try:
        board = board_from_host_token(token)
    except InvalidHostLink:
        return render(request, "live/host_link_error.html", status=404)
    remember_host(request, board)
    return redirect("live:console", code=board.code)


def console_texts() -> dict:
    return {
        "votes_one": _("%(count)s vote"),
        "votes_many": _("%(count)s votes"),
        "priority": _("Priority"),
        "mark_priority": _("Mark as priority"),
        "unmark_priority": _("No longer a priority"),
        "hide": _("Hide"),
        "show": _("Show"),
        "approve": _("Approve"),
        "edit": _("Edit text"),
        "edit_label": _("Text of the answer (only this text is kept)"),
        "save_text": _("Save text"),
        "cancel": _("Cancel"),
        "text_saved": _("The text is saved."),
        "edited": _("text changed at %(time)s"),
        "edited_by": _("text changed by %(name)s at %(time)s"),
        "unmerge": _("Undo merge"),
        "merge_selected": _("Merge selected answers"),
        "select": _("Select for merging"),
        "tags": _("Tags"),
        "save_tags": _("Save tags"),
        "suggestion": _("May say the same as: %(text)s"),
        "accept": _("Merge these two"),
        "dismiss": _("Not the same"),
        "merged_into": _("Merged into answer %(id)s"),
        "merged_from": _("Merged from %(count)s answers"),
        "merged_done": _("%(count)s answers merged into one: %(text)s"),
        "children": _("from children"),
        "open": _("Open the board"),
        "close": _("Close the board"),
        "is_open": _("The board is open."),
        "is_closed": _("The board is closed."),
        "error": _("That did not work: %(detail)s"),
        "by_text": _("same words"),
        "by_meaning": _("same meaning"),
        "areas_label": _("Policy areas"),
        "crc_short": _("CRC"),
        "crc_label": _("CRC articles (numbers)"),
        "sdg_label": _("SDGs (numbers)"),
        "indicator_label": _("Child-related SDG indicators (codes)"),
        "suggested": _("Suggested from the words:"),
        "use_suggested": _("Use the suggestion"),
        "numbers_only": _("Type the numbers of CRC articles and SDGs, separated by commas."),
        "new_answers": _("New answers: %(count)s"),
        "confirm_new_code": _(
            "Give the board a new code? The old code and its QR code stop working: people join again with the new one."
        ),
    }


@require_GET
def console(request, code: str):
    board = hosted_board_or_404(request, code)
    answers, _removed = present.host_answers(board)
    language = translation.get_language()
    areas = [(key, name_en if language == "en" else name_nl) for key, name_nl, name_en in POLICY_AREAS]
    context = {
        **_live_context(
            request,
            board,
            "host",
            page="console",
            hostApi=reverse("api:live_host_answers", kwargs={"code": board.code}).removesuffix("answers"),
            statuses={key: str(label) for key, label in AnswerStatus.choices},
            areas=dict(areas),
            texts=console_texts(),
        ),
        "answers": with_role_labels(answers),
        "policy_areas": areas,
        "crc_articles": CrcArticle.objects.order_by("number"),
        "sdgs": SdgGoal.objects.order_by("number"),
        "indicators": SdgIndicator.objects.filter(child_related=True).order_by("code"),
        "host_url": host_url(board),
    }
    return render(request, "live/console.html", context)


@require_GET
def poster(request, code: str):
    board = hosted_board_or_404(request, code)
    html = render_to_string(
        "live/poster.html",
        {"board": board, "event": board.event, "qr_svg": qr_svg(board, scale=12), "join_url": present.join_url(board)},
        request=request,
    )
    return download(render_pdf(html), "application/pdf", f"poster-{board.code}.pdf", inline=True)


@require_GET
def export_csv(request, code: str):
    board = hosted_board_or_404(request, code)
    return download(exports.board_csv(board), CSV_CONTENT_TYPE, exports.filename(board, "csv"))


@require_GET
def export_xlsx(request, code: str):
    board = hosted_board_or_404(request, code)
    return download(exports.board_xlsx(board), XLSX_CONTENT_TYPE, exports.filename(board, "xlsx"))


@require_POST
def set_open(request, code: str):
    """Open or close without script (the console's button posts here; with script it calls the API)."""
    board = hosted_board_or_404(request, code)
    boards.set_open(board, request.POST.get("open") == "1")
    return redirect("live:console", code=board.code)


# --- The organiser's overview of an event's boards -------------------------------------------------------------


def overview(request, slug: str):
    event = event_for(request, slug)
    event_boards = boards.ensure_boards(event)
    context = admin_context(
        request,
        _("Live boards: %(event)s") % {"event": event.loc("title")},
        event=event,
        boards=[(board, host_url(board), present.join_url(board)) for board in event_boards],
    )
    return TemplateResponse(request, "live/overview.html", context)


@require_POST
def overview_action(request, slug: str):
    event = event_for(request, slug)
    action = request.POST.get("action", "")
    chosen = [board for board in boards.boards_of(event) if str(board.pk) in request.POST.getlist("board")]
    if action in ("open", "close"):
        for board in chosen:
            boards.set_open(board, action == "open")
        done = _("Boards opened: %(count)d.") if action == "open" else _("Boards closed: %(count)d.")
        messages.success(request, done % {"count": len(chosen)})
    elif action == "new-host-link":
        for board in chosen:
            board.host_secret = new_secret()
            board.save(update_fields=["host_secret"])
        messages.success(request, _("New host links made; the old ones no longer work."))
    return redirect("live_admin:overview", slug=event.slug)


def admin_urls():
    from django.urls import path

    return [
        path("<slug:slug>/live/", admin.site.admin_view(overview), name="overview"),
        path("<slug:slug>/live/actie/", admin.site.admin_view(overview_action), name="overview_action"),
    ]
