"""The public progress pages of an event: the overview of all municipalities, one municipality's commitments
with their trail of updates and evidence, and the "stand van zaken op <target date>" report (HTML, PDF and Word)."""

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from werkconferentie.documents.downloads import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE, download
from werkconferentie.documents.pdf import render_pdf
from werkconferentie.documents.word import render_docx
from werkconferentie.events.models import Event
from werkconferentie.live.tagging import POLICY_AREA_KEYS
from werkconferentie.outcomes.forms import area_choices
from werkconferentie.reference.municipalities import current_successor, normalise_code

from . import progress
from .commitments import default_target_date
from .enums import CommitmentStatus
from .models import CommitmentAttachment


def _event(slug: str) -> Event:
    return get_object_or_404(Event, slug=slug)


# The rendered overview is kept this long, under a key that changes with every change of a commitment (so the
# page is not stale, except after a change made around commitments.py or a renamed municipality: at most this long).
OVERVIEW_SECONDS = 60


@require_safe
def overview(request, slug: str):
    event = _event(slug)
    province = request.GET.get("provincie", "")
    status = request.GET.get("status", "")
    area = request.GET.get("beleidsterrein", "")
    # Unknown filter values are ignored (a stale or hand-made address shows everything, not an error).
    province = province if province.isdigit() and len(province) <= 3 else ""  # a CBS province code, such as 22
    status = status if status in CommitmentStatus.values else ""
    area = area if area in POLICY_AREA_KEYS else ""
    language = get_language() or "nl"
    today = timezone.localdate()
    key = ":".join(
        ["followup-overview", str(event.pk), progress.overview_version(event), language, str(today)]
        + [province, status, area]
    )
    body = cache.get(key)
    if body is None:
        body = _overview_body(event, province, status, area, language)
        cache.set(key, body, OVERVIEW_SECONDS)
    context = {
        "event": event,
        "body": mark_safe(body),  # our own template's output, kept as text
        "target_date": default_target_date(event),
        "report_open": today >= default_target_date(event),
    }
    return render(request, "followup/progress.html", context)


def _overview_body(event: Event, province: str, status: str, area: str, language: str) -> str:
    """The counts, the filters and the table of all municipalities, rendered (the costly part of the page)."""
    provinces = progress.provinces_with_commitments(event)
    province = province if province in {code for code, _name in provinces} else ""
    rows, totals = progress.overview(event, province=province, status=status, policy_area=area)
    context = {
        "event": event,
        "rows": rows,
        "totals": [(value, label, totals.get(value, 0)) for value, label in CommitmentStatus.choices],
        "total": sum(totals.values()),
        "provinces": provinces,
        "statuses": CommitmentStatus.choices,
        "areas": area_choices(language),
        "chosen": {"province": province, "status": status, "area": area},
    }
    return render_to_string("followup/_overview.html", context)


@require_safe
def municipality(request, slug: str, code: str):
    event = _event(slug)
    found = current_successor(code)
    if found is None:
        raise Http404
    if found.pk != code:  # a former municipality (or another spelling of the code): its successor's page
        return redirect("followup:municipality", slug=event.slug, code=found.pk)
    context = {
        "event": event,
        "municipality": found,
        "commitments": progress.municipality_commitments(event, found),
        "statuses": dict(CommitmentStatus.choices),
        "target_date": default_target_date(event),
        "asked_code": normalise_code(code),
    }
    return render(request, "followup/progress_municipality.html", context)


def _report_context(event: Event) -> dict:
    data = progress.report_data(event)
    return {"event": event, **data, "made_on": timezone.localdate()}


@require_safe
def report(request, slug: str):
    event = _event(slug)
    return render(request, "followup/report.html", _report_context(event))


def _report_document(slug: str, render):
    """The report as a file, through the documents module: the same template for PDF and Word."""
    event = _event(slug)
    language = get_language() or "nl"
    context = _report_context(event)
    with translation.override(language):
        title = _("State of affairs on %(date)s") % {"date": date_format(context["target_date"], "j F Y")}
    return event, render("followup/report_document.html", context, language=language, title=title)


@require_safe
def report_pdf(request, slug: str):
    event, pdf = _report_document(slug, render_pdf)
    return download(pdf, f"{event.slug}-stand-van-zaken.pdf", PDF_CONTENT_TYPE, inline=True)


@require_safe
def report_docx(request, slug: str):
    event, docx = _report_document(slug, render_docx)
    return download(docx, f"{event.slug}-stand-van-zaken.docx", DOCX_CONTENT_TYPE)


@require_safe
def attachment(request, slug: str, pk: int):
    item = get_object_or_404(CommitmentAttachment, pk=pk, commitment__event__slug=slug, commitment__is_public=True)
    with item.file.open("rb") as handle:
        content = handle.read()
    response = download(content, f"{item.title[:80]}.pdf", PDF_CONTENT_TYPE, inline=True)
    response["Cache-Control"] = "public, max-age=300"
    return response
