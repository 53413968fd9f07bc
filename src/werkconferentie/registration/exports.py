"""The registrations of an event as CSV and as an Excel workbook, for organisers.

CSV is written the way Dutch Excel reads it without an import wizard:
- UTF-8 *with* a byte-order mark: without it Excel on Windows decodes a CSV as the ANSI code page (Windows-1252),
  and "Zoë", "’t Hart" and "Ĳsselstein" arrive as "ZoÃ«" and worse;
- ";" between fields: with Dutch regional settings the comma is the decimal separator, so Excel's list
  separator is the semicolon; a comma-separated file opens as one column.
Python's csv module and LibreOffice read this file just as well (`encoding="utf-8-sig", delimiter=";"`).

A value typed into the public form can start with "=", "+", "-" or "@", which Excel would run as a formula
(CSV injection). The CSV gets a leading apostrophe on such values, as OWASP recommends; the workbook stores every
text cell explicitly as text, so nothing needs changing there.
"""

import csv
import io
from collections.abc import Iterable

from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from werkconferentie.events.models import Event

from . import stats
from .models import Preference, Registration

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a cell starting with = + - @ would otherwise run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_value(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return spreadsheet_safe(str(value))


def excel_csv(header_row: list[str], data_rows: Iterable[list[str]]) -> bytes:
    """CSV as Dutch Excel opens it without an import wizard: UTF-8 with a byte-order mark, semicolons."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header_row)
    writer.writerows(data_rows)
    return buffer.getvalue().encode("utf-8-sig")


def registrations_csv(event: Event, queryset: QuerySet | None = None) -> bytes:
    choices = choice_columns(event)
    data_rows = rows(event, export_queryset(event, queryset), choices)
    return excel_csv(header(choices), ([csv_value(value) for value in row] for row in data_rows))


def header_row(sheet, titles: list[str]) -> None:
    sheet.append(titles)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def append_text_safe(sheet, values: list) -> None:
    """Append a row; text is stored as text, never as a formula (openpyxl reads "=..." as a formula)."""
    sheet.append([None if value is None else value for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = TYPE_STRING
        elif hasattr(cell.value, "strftime"):
            cell.number_format = "yyyy-mm-dd hh:mm"


def fit_columns(sheet, widest: int = 50) -> None:
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            length = 16 if hasattr(cell.value, "strftime") else len(str(cell.value))
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), widest)


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

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
