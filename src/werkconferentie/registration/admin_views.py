"""The organiser's pages beside the registration list: the dashboard per event and the downloads.

They are mounted by RegistrationAdmin.get_urls inside the admin, so they share its login, header and look.
Who may see what: logged out → the admin's login; staff without the right to view registrations → 403; an
event one does not organise → 404, as if it did not exist (superusers organise every event).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from werkconferentie.documents.downloads import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, download
from werkconferentie.events.admin import organised_event_or_404
from werkconferentie.events.models import Event

from . import exports, stats

TOP_MUNICIPALITIES = 10


def _own_events(request):
    events = Event.objects.order_by("-date")
    return events if request.user.is_superuser else events.filter(organisers=request.user)


def _context(request, model_admin, title: str, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        **extra,
    }


def events(request, model_admin):
    """The events one organises, each with its dashboard and downloads."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    context = _context(request, model_admin, _("Registrations per event"), events=_own_events(request))
    return TemplateResponse(request, "registration/admin/events.html", context)


def percent(part: int, whole: int) -> int:
    """The width of a bar in whole percent of the widest; at least 1 when there is anything to show."""
    if not whole or not part:
        return 0
    return max(1, round(100 * part / whole))


def _bars(rows):
    """Each row with the widths of its confirmed and waitlisted parts, scaled to the largest row."""
    widest = max((row.count for row in rows), default=0)
    return [
        {"row": row, "confirmed": percent(row.confirmed, widest), "waitlisted": percent(row.waitlisted, widest)}
        for row in rows
    ]


def dashboard(request, model_admin, slug: str):
    event = organised_event_or_404(request, model_admin, slug)
    numbers = stats.dashboard(event, top_municipalities=TOP_MUNICIPALITIES)
    totals = numbers.totals
    demand_scale = max([d.all_choices for d in numbers.demand] + [d.seats for d in numbers.demand] + [0])
    demand = [
        {
            "row": d,
            "first": percent(d.first_choices, demand_scale),
            "all": percent(d.all_choices, demand_scale),
            "seats": percent(d.seats, demand_scale),
        }
        for d in numbers.demand
    ]
    context = _context(
        request,
        model_admin,
        _("Registrations: %(event)s") % {"event": event.loc("title")},
        event=event,
        numbers=numbers,
        occupied=percent(min(totals.confirmed, totals.capacity), totals.capacity),
        by_role=_bars(numbers.by_role),
        by_province=_bars(numbers.by_province),
        by_municipality=_bars(numbers.by_municipality),
        demand=demand,
        top_municipalities=TOP_MUNICIPALITIES,
    )
    return TemplateResponse(request, "registration/admin/dashboard.html", context)


def csv_download(event: Event, queryset=None) -> HttpResponse:
    return download(exports.registrations_csv(event, queryset), exports.filename(event, "csv"), CSV_CONTENT_TYPE)


def xlsx_download(event: Event, queryset=None) -> HttpResponse:
    return download(exports.registrations_xlsx(event, queryset), exports.filename(event, "xlsx"), XLSX_CONTENT_TYPE)


def export_csv(request, model_admin, slug: str):
    return csv_download(organised_event_or_404(request, model_admin, slug))


def export_xlsx(request, model_admin, slug: str):
    return xlsx_download(organised_event_or_404(request, model_admin, slug))
