"""The registrations of an event as CSV and as an Excel workbook, for organisers.

The formats are documents.spreadsheets': CSV that Dutch Excel opens without an import wizard (UTF-8 with a
byte-order mark, semicolons), text that never runs as a formula, and no stored text (a control character typed
into the public form) that can make an export fail.
"""

from collections.abc import Iterable

from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from werkconferentie.documents.spreadsheets import (
    append_text_safe,
    csv_value,
    excel_csv,
    fit_columns,
    header_row,
    workbook_bytes,
)
from werkconferentie.events.models import Event

from . import stats
from .models import Preference, Registration


def export_queryset(event: Event, queryset: QuerySet | None = None) -> QuerySet:
    """The registrations to export, with everything a row needs in a fixed number of queries."""
    if queryset is None:
        queryset = Registration.objects.filter(event=event)
    queryset = queryset.select_related("municipality", "consent_statement").prefetch_related(
        Prefetch("preferences", queryset=Preference.objects.select_related("workshop").order_by("rank"))
    )
    return stats.with_waitlist_position(queryset).order_by("created_at", "pk")


def choice_columns(event: Event) -> int:
    """As many choice columns as the longest ranking of the event (at least one, so the column is there)."""
    longest = Preference.objects.filter(registration__event=event).aggregate(n=Max("rank"))["n"]
    return max(longest or 0, 1)


def header(choices: int) -> list[str]:
    return [
        _("Name"),
        _("E-mail address"),
        _("Role"),
        _("CBS code"),
        _("Municipality"),
        _("Province"),
        _("Organisation"),
        _("Status"),
        _("Waiting-list position"),
        *[_("Choice %(rank)d") % {"rank": rank} for rank in range(1, choices + 1)],
        _("Dietary needs"),
        _("Accessibility needs"),
        _("Language"),
        _("Registered at"),
        _("Privacy statement version"),
        _("Consent given at"),
    ]


def rows(event: Event, registrations: Iterable[Registration], choices: int) -> Iterable[list]:
    """One list of values per registration; times are naive, in the event's time zone (Europe/Amsterdam)."""
    zone = event.tzinfo

    def local(moment):
        return timezone.localtime(moment, zone).replace(tzinfo=None, microsecond=0) if moment else None

    for registration in registrations:
        municipality = registration.municipality
        workshops = [preference.workshop.loc("title") for preference in registration.preferences.all()]
        workshops += [""] * (choices - len(workshops))
        yield [
            registration.name,
            registration.email,
            registration.role_label,
            municipality.code if municipality else "",
            municipality.name if municipality else "",
            municipality.province_name if municipality else "",
            registration.organisation,
            registration.get_status_display(),
            registration.waitlist_position,
            *workshops[:choices],
            registration.dietary_needs,
            registration.accessibility_needs,
            registration.language,
            local(registration.created_at),
            registration.consent_statement.version,
            local(registration.consented_at),
        ]


def registrations_csv(event: Event, queryset: QuerySet | None = None) -> bytes:
    choices = choice_columns(event)
    data_rows = rows(event, export_queryset(event, queryset), choices)
    return excel_csv(header(choices), ([csv_value(value) for value in row] for row in data_rows))


def registrations_xlsx(event: Event, queryset: QuerySet | None = None) -> bytes:
    """A workbook: the registrations on the first sheet (bold frozen header, filters), the counts on the second."""
    choices = choice_columns(event)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Registrations")[:31]
    header_row(sheet, header(choices))
    for row in rows(event, export_queryset(event, queryset), choices):
        append_text_safe(sheet, row)
    sheet.auto_filter.ref = sheet.dimensions
    fit_columns(sheet)

    counts = workbook.create_sheet(_("Counts")[:31])
    _write_counts(counts, event)
    fit_columns(counts)

    return workbook_bytes(workbook)


def _write_counts(sheet, event: Event) -> None:
    """The dashboard's numbers as blocks of rows, each under a bold title."""
    dashboard = stats.dashboard(event, top_municipalities=None)
    totals = dashboard.totals

    def block(title: str, columns: list[str], lines: list[list]) -> None:
        if sheet.max_row > 1 or sheet.cell(1, 1).value is not None:
            sheet.append([])
        sheet.append([title])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        sheet.append(columns)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for line in lines:
            append_text_safe(sheet, line)

    block(
        _("Totals"),
        [_("What"), _("Number")],
        [
            [_("Capacity"), totals.capacity],
            [_("Confirmed"), totals.confirmed],
            [_("On the waiting list"), totals.waitlisted],
            [_("Cancelled"), totals.cancelled],
            [_("Seats left"), totals.seats_left],
        ],
    )
    split = [_("Total"), _("Confirmed"), _("On the waiting list")]
    block(_("By role"), [_("Role"), *split], [[r.label, r.count, r.confirmed, r.waitlisted] for r in dashboard.by_role])
    block(
        _("By province"),
        [_("Province"), *split],
        [[r.label, r.count, r.confirmed, r.waitlisted] for r in dashboard.by_province],
    )
    block(
        _("By municipality"),
        [_("CBS code"), _("Municipality"), *split],
        [[r.key, r.label, r.count, r.confirmed, r.waitlisted] for r in dashboard.by_municipality],
    )
    block(
        _("Demand per workshop"),
        [_("Workshop"), _("First choices"), _("All choices"), _("Seats")],
        [[d.workshop.loc("title"), d.first_choices, d.all_choices, d.seats] for d in dashboard.demand],
    )


def filename(event: Event, extension: str) -> str:
    today = timezone.localdate()
    return f"{event.slug}-{_('registrations')}-{today:%Y-%m-%d}.{extension}"
