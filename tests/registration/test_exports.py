"""CSV and Excel exports, read back the way a spreadsheet program would: Dutch characters survive."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from werkconferentie.documents.downloads import XLSX_CONTENT_TYPE
from werkconferentie.registration import exports
from werkconferentie.registration.models import PrivacyStatement, Registration

from .factories import RegistrationFactory

pytestmark = pytest.mark.django_db

NAMES = {"Zoë Jansen", "Sebastiaan ’t Hart", "Ĳsbrand Öztürk"}


def read_csv(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_csv_has_bom_semicolons_and_every_column(filled_event):
    with translation.override("en"):
        content = exports.registrations_csv(filled_event)
    assert b"\r\n" in content
    rows = read_csv(content)
    assert len(rows) == 6
    assert NAMES <= {row["Name"] for row in rows}
    assert list(rows[0]) == [
        "Name",
        "E-mail address",
        "Role",
        "CBS code",
        "Municipality",
        "Province",
        "Organisation",
        "Status",
        "Waiting-list position",
        "Choice 1",
        "Choice 2",
        "Dietary needs",
        "Accessibility needs",
        "Language",
        "Registered at",
        "Privacy statement version",
        "Consent given at",
    ]
    zoe = next(row for row in rows if row["Name"] == "Zoë Jansen")
    assert (zoe["CBS code"], zoe["Municipality"], zoe["Province"]) == ("GM1730", "Tynaarlo", "Drenthe")
    assert (zoe["Choice 1"], zoe["Choice 2"], zoe["Status"]) == ("Werkplaats 1", "Werkplaats 2", "Confirmed")
    assert zoe["Waiting-list position"] == ""
    assert zoe["Privacy statement version"] == str(PrivacyStatement.current().version)
    ijsbrand = next(row for row in rows if row["Name"] == "Ĳsbrand Öztürk")
    assert (ijsbrand["Organisation"], ijsbrand["Municipality"], ijsbrand["Dietary needs"]) == (
        "Jeugdzorg Ĳsselland",
        "",
        "halal",
    )
    assert [row["Waiting-list position"] for row in rows if row["Status"] == "On the waiting list"] == ["1", "2"]


def test_times_are_local_amsterdam_time(filled_event):
    registration = Registration.objects.get(name="Zoë Jansen")
    Registration.objects.filter(pk=registration.pk).update(created_at="2026-07-01T10:00:00Z")
    with translation.override("en"):
        rows = read_csv(exports.registrations_csv(filled_event))
    zoe = next(row for row in rows if row["Name"] == "Zoë Jansen")
    assert zoe["Registered at"] == "2026-07-01 12:00:00"  # summer time: UTC+2


def test_csv_defuses_formulas(filled_event):
    RegistrationFactory(event=filled_event, name='=HYPERLINK("http://evil")', dietary_needs="+31 6 12345678")
    with translation.override("en"):
        rows = read_csv(exports.registrations_csv(filled_event))
    assert rows[-1]["Name"] == '\'=HYPERLINK("http://evil")'
    assert rows[-1]["Dietary needs"] == "'+31 6 12345678"


def test_excel_workbook(filled_event):
    RegistrationFactory(event=filled_event, name="=1+2", cancelled=True)
    with translation.override("en"):
        workbook = openpyxl.load_workbook(io.BytesIO(exports.registrations_xlsx(filled_event)))
    assert workbook.sheetnames == ["Registrations", "Counts"]
    sheet = workbook["Registrations"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Name", "E-mail address", "Role"] and "Choice 2" in header
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == sheet.dimensions
    assert sheet.column_dimensions["A"].width >= len("Sebastiaan ’t Hart")
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert NAMES <= set(names)
    # Typed as "=1+2" in the form, stored as that text, not as a formula Excel would compute.
    last = sheet.cell(sheet.max_row, 1)
    assert last.value == "=1+2" and last.data_type == "s"
    registered_at = sheet.cell(2, header.index("Registered at") + 1).value
    assert registered_at.tzinfo is None and registered_at.year >= 2026

    counts = [row for row in workbook["Counts"].iter_rows(values_only=True) if any(row)]
    assert ("Confirmed", 3) in [row[:2] for row in counts]
    assert ("Seats left", 0) in [row[:2] for row in counts]
    assert ("Drenthe", 3, 1, 2) in [row[:4] for row in counts]
    assert ("Werkplaats 3", 2, 3, 1) in [row[:4] for row in counts]


def test_selection_only(filled_event):
    selection = Registration.objects.filter(name__in=["Zoë Jansen", "Daan de Vries"])
    with translation.override("en"):
        rows = read_csv(exports.registrations_csv(filled_event, selection))
    assert [(row["Name"], row["Waiting-list position"]) for row in rows] == [
        ("Zoë Jansen", ""),
        ("Daan de Vries", "2"),  # the position on the whole list, not within the selection
    ]


def test_export_queries_do_not_grow(filled_event, django_assert_max_num_queries):
    workshops = list(filled_event.workshops.all())
    RegistrationFactory.create_batch(30, event=filled_event, preferences=workshops)
    # choice columns, registrations with municipality and consent, their preferences with workshops
    with django_assert_max_num_queries(3):
        exports.registrations_csv(filled_event)


def test_download_views(filled_event, organiser, client):
    client.force_login(organiser)
    response = client.get(reverse("admin:registration_registration_export_csv", args=[filled_event.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="zuidlaren-2026-' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert NAMES <= {row[0] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")}
    response = client.get(reverse("admin:registration_registration_export_xlsx", args=[filled_event.slug]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert NAMES <= {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_exports_never_fail_on_control_characters_stored_by_the_form(filled_event, organiser, client):
    """Issue 14: the HTML form stored a name "a\\x0bb"; openpyxl refused it and the export answered 500."""
    stored = RegistrationFactory(event=filled_event)
    Registration.objects.filter(pk=stored.pk).update(name="a\x0bb", organisation="\x01Org\x1b", dietary_needs="=1\x0c")
    client.force_login(organiser)
    response = client.get(reverse("admin:registration_registration_export_csv", args=[filled_event.slug]))
    assert response.status_code == 200
    row = next(r for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";") if r[0] == "a b")
    assert "Org" in row and "'=1 " in row
    response = client.get(reverse("admin:registration_registration_export_xlsx", args=[filled_event.slug]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "a b")
    assert "Org" in row and "=1 " in row
