"""The host's pages: the console of a board, the host link that opens it, the poster and the exports; and the
organiser's overview of all boards of an event (under /beheer-dag/, behind the admin's login).

Anyone else gets 404 for a console, as if it did not exist.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from werkconferentie.documents.downloads import CSV_CONTENT_TYPE, PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE, download
from werkconferentie.documents.pdf import render_pdf
from werkconferentie.documents.qr import qr_svg_data_uri
from werkconferentie.events.backoffice import admin_context, event_for
from werkconferentie.reference.models import CrcArticle, SdgGoal, SdgIndicator

from . import boards, exports, present
from .access import InvalidHostLink, board_from_host_token, host_url, hosted_board, remember_host
from .enums import AnswerStatus
from .models import new_secret
from .tagging import POLICY_AREAS
from .views import _live_context, with_role_labels


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


def short_address(url: str) -> str:
    """ "https://example.org/doe-mee/" as people type it: "example.org/doe-mee"."""
    return url.split("://", 1)[-1].rstrip("/")


@require_GET
def poster(request, code: str):
    board = hosted_board_or_404(request, code)
    join_url = present.join_url(board)
    context = {
        "board": board,
        "event": board.event,
        "qr": qr_svg_data_uri(join_url, scale=12),
        "join_url": join_url,
        # What people type: the join page without "https://" (where they type the code).
        "short_join_address": short_address(settings.SITE_URL + reverse("live:join")),
    }
    language = translation.get_language() or "nl"
    pdf = render_pdf("live/poster.html", context, language=language, title=board.display_title)
    return download(pdf, f"poster-{board.code}.pdf", PDF_CONTENT_TYPE, inline=True)


@require_GET
def export_csv(request, code: str):
    board = hosted_board_or_404(request, code)
    return download(exports.board_csv(board), exports.filename(board, "csv"), CSV_CONTENT_TYPE)


@require_GET
def export_xlsx(request, code: str):
    board = hosted_board_or_404(request, code)
    return download(exports.board_xlsx(board), exports.filename(board, "xlsx"), XLSX_CONTENT_TYPE)


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


@require_GET
def overview_export_csv(request, slug: str):
    event = event_for(request, slug)
    content = exports.event_csv(boards.boards_of(event))
    return download(content, exports.event_filename(event.slug, "csv"), CSV_CONTENT_TYPE)


@require_GET
def overview_export_xlsx(request, slug: str):
    event = event_for(request, slug)
    content = exports.event_xlsx(boards.boards_of(event))
    return download(content, exports.event_filename(event.slug, "xlsx"), XLSX_CONTENT_TYPE)


def admin_urls():
    from django.urls import path

    return [
        path("<slug:slug>/live/", admin.site.admin_view(overview), name="overview"),
        path("<slug:slug>/live/antwoorden.csv", admin.site.admin_view(overview_export_csv), name="export_csv"),
        path("<slug:slug>/live/antwoorden.xlsx", admin.site.admin_view(overview_export_xlsx), name="export_xlsx"),
        path("<slug:slug>/live/actie/", admin.site.admin_view(overview_action), name="overview_action"),
    ]
