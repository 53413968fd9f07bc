"""The organiser's print downloads of an event: badges (PDF) and attendance lists (PDF, Excel).

Who may see what, as in the rest of the back office: logged out → the admin's login; anyone who does not
organise this event (other organisers, staff without rights) → 404, as if the event did not exist. The views are
mounted by checkin_urls.py (under /beheer-dag/, the pages for the day itself) through `print_urls()`; an admin's
get_urls can mount the same list instead.
"""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from werkconferentie.documents.downloads import PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE, download
from werkconferentie.events.backoffice import admin_context, event_for

from . import badges, lists
from .checkin import present_count
from .runs import published_run


def overview(request, slug: str):
    """The day's page of an event: print badges and lists, open the check-in page."""
    event = event_for(request, slug)
    context = admin_context(
        request,
        _("On the day: %(event)s") % {"event": event.loc("title")},
        event=event,
        published=published_run(event) is not None,
        count=present_count(event),
        orders=[("name", _("by name")), ("municipality", _("by municipality or organisation"))],
    )
    return TemplateResponse(request, "assignment/checkin_overview.html", context)


def badges_pdf(request, slug: str):
    event = event_for(request, slug)
    order = request.GET.get("order", "name")
    if order not in badges.ORDERS:
        order = "name"
    pdf = badges.badges_pdf(event, order=order, language=get_language() or "nl")
    return download(pdf, f"{event.slug}-badges.pdf", PDF_CONTENT_TYPE, inline=True)


def _not_published(request, event):
    messages.warning(request, _("The lists follow the published assignment, and there is none yet."))
    return redirect("checkin:overview", slug=event.slug)


def lists_pdf(request, slug: str):
    event = event_for(request, slug)
    try:
        pdf = lists.lists_pdf(event, language=get_language() or "nl")
    except lists.NotPublished:
        return _not_published(request, event)
    return download(pdf, f"{event.slug}-lists.pdf", PDF_CONTENT_TYPE, inline=True)


def lists_xlsx(request, slug: str):
    event = event_for(request, slug)
    try:
        content = lists.lists_xlsx(event, language=get_language() or "nl")
    except lists.NotPublished:
        return _not_published(request, event)
    return download(content, f"{event.slug}-lists.xlsx", XLSX_CONTENT_TYPE)


def print_urls(admin_site=admin.site) -> list:
    """The print downloads, behind the admin's login (staff only)."""
    view = admin_site.admin_view
    return [
        path("<slug:slug>/", view(overview), name="overview"),
        path("<slug:slug>/badges.pdf", view(badges_pdf), name="badges_pdf"),
        path("<slug:slug>/lists.pdf", view(lists_pdf), name="lists_pdf"),
        path("<slug:slug>/lists.xlsx", view(lists_xlsx), name="lists_xlsx"),
    ]
