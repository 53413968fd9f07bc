"""The outcome report on the public site: /conferenties/<slug>/opbrengst/ with its PDF and Word files.

Who sees what: once the organiser has published the report, everyone (the event must be public too); before that,
only the event's organisers (logged in to the back office), who see it marked "Concept" and can try the PDF and
Word files. Everyone else gets 404, as if there were no report: participants, hosts and other organisers alike.
"""

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from werkconferentie.core.i18n import active_content_language
from werkconferentie.core.roles import is_organiser_of
from werkconferentie.documents.downloads import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE, download
from werkconferentie.events.models import Event

from . import report, report_files
from .report_content import LANGUAGES, build_report


def report_event(request, slug: str) -> tuple[Event, bool]:
    """The event whose report this request may see, and whether the requester organises it; else 404."""
    event = get_object_or_404(Event, slug=slug)
    if is_organiser_of(request.user, event):
        return event, True
    if event.published and report.is_published(event):
        return event, False
    raise Http404


def _private(response, organiser: bool):
    # A preview (or a page an organiser opened) must not stay in a shared cache after it changes or is withdrawn.
    if organiser:
        response["Cache-Control"] = "private, no-store"
    return response


def report_page(request, slug: str):
    event, organiser = report_event(request, slug)
    language = active_content_language()
    content = build_report(event, language, image_format="svg")
    query = f"?language={language}"
    context = {
        "report": content,
        "is_organiser": organiser,
        "pdf_url": reverse("outcomes_report:pdf", args=[event.slug]) + query,
        "docx_url": reverse("outcomes_report:docx", args=[event.slug]) + query,
    }
    return _private(render(request, "outcomes/report_page.html", context), organiser)


def _language(request) -> str | None:
    language = request.GET.get("language") or active_content_language()
    return language if language in LANGUAGES else None


def _bad_language():
    return HttpResponseBadRequest(
        _("Unknown language. Choose one of: %(languages)s.") % {"languages": ", ".join(LANGUAGES)},
        content_type="text/plain; charset=utf-8",
    )


def report_pdf(request, slug: str):
    event, _organiser = report_event(request, slug)
    language = _language(request)
    if language is None:
        return _bad_language()
    content = report_files.report_pdf(event, language)
    return download(content, report_files.filename(event, language, "pdf"), PDF_CONTENT_TYPE, inline=True)


def report_docx(request, slug: str):
    event, _organiser = report_event(request, slug)
    language = _language(request)
    if language is None:
        return _bad_language()
    content = report_files.report_docx(event, language)
    return download(content, report_files.filename(event, language, "docx"), DOCX_CONTENT_TYPE)
