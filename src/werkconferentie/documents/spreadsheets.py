"""Spreadsheets for organisers: CSV that Dutch Excel opens without an import wizard, and openpyxl workbooks.

CSV is written the way Dutch Excel reads it:
- UTF-8 *with* a byte-order mark: without it Excel on Windows decodes a CSV as the ANSI code page (Windows-1252),
  and "Zoë", "’t Hart" and "Ĳsselstein" arrive as "ZoÃ«" and worse;
- ";" between fields: with Dutch regional settings the comma is the decimal separator, so Excel's list
  separator is the semicolon; a comma-separated file opens as one column.
Python's csv module and LibreOffice read this file just as well (`encoding="utf-8-sig", delimiter=";"`).

A value typed into the public form can start with "=", "+", "-" or "@", which Excel would run as a formula
(CSV injection). The CSV gets a leading apostrophe on such values, as OWASP recommends; the workbook stores every
text cell explicitly as text, so nothing needs changing there.

Exports never fail on stored text: every text cell, in CSV and in workbooks, goes through `text.xml_safe`, which
removes the control characters openpyxl refuses (a name "a\\x0bb" is exported as "a b").
"""

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .text import xml_safe

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a cell starting with = + - @ would otherwise run as a formula."""
    text = xml_safe(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_value(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return spreadsheet_safe(str(value))


def excel_csv(header_row: list[str], data_rows: Iterable[list[str]]) -> bytes:
    """CSV as Dutch Excel opens it without an import wizard: UTF-8 with a byte-order mark, semicolons.

    The rows should hold `csv_value`s; the header is made safe here."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([xml_safe(str(title)) for title in header_row])
    writer.writerows(data_rows)
    return buffer.getvalue().encode("utf-8-sig")


def cell_value(value):
    """A value openpyxl stores without complaint: text without the characters XML refuses."""
    return xml_safe(value) if isinstance(value, str) else value


def header_row(sheet, titles: list[str]) -> None:
    """The titles as the sheet's first row, bold, frozen while scrolling."""
    sheet.append([cell_value(str(title)) for title in titles])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def append_text_safe(sheet, values: list) -> None:
    """Append a row; text is stored as text, never as a formula (openpyxl reads "=..." as a formula)."""
    sheet.append([cell_value(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = TYPE_STRING
        elif hasattr(cell.value, "strftime"):
            cell.number_format = "yyyy-mm-dd hh:mm"


def fit_columns(sheet, widest: int = 50) -> None:
    """Each column as wide as its longest value (at least 8, at most `widest` characters)."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            length = 16 if hasattr(cell.value, "strftime") else len(str(cell.value))
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), widest)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
