"""documents.qr, documents.downloads and documents.spreadsheets."""

import base64
import csv
import io

import openpyxl
import zxingcpp
from openpyxl import Workbook
from PIL import Image

from werkconferentie.documents import downloads, spreadsheets
from werkconferentie.documents.qr import qr_png_data_uri, qr_svg, qr_svg_data_uri
from werkconferentie.documents.text import xml_safe

URL = "https://werkconferentie.example/live/doe-mee/?code=K7P2QX"


def test_a_png_qr_code_reads_back():
    uri = qr_png_data_uri(URL, scale=6)
    assert uri.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(uri.partition(",")[2])))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [URL]


def test_svg_qr_codes():
    assert qr_svg(URL).startswith("<svg") and 'fill="#fff"' in qr_svg(URL)
    assert qr_svg_data_uri(URL).startswith("data:image/svg+xml")


def test_download_names_the_file_and_keeps_it_out_of_caches():
    response = downloads.download(b"%PDF", "opbrengst-zoë.pdf", downloads.PDF_CONTENT_TYPE, inline=True)
    assert response["Content-Type"] == "application/pdf" and response.content == b"%PDF"
    assert response["Content-Disposition"] == "inline; filename*=utf-8''opbrengst-zo%C3%AB.pdf"
    assert response["Cache-Control"] == "private, no-store"
    saved = downloads.download(b"x", 'lijst "dag".csv', downloads.CSV_CONTENT_TYPE)
    assert saved["Content-Disposition"] == 'attachment; filename="lijst \\"dag\\".csv"'


def test_xml_safe_removes_what_xml_cannot_hold():
    assert xml_safe("a\x0bb") == "a b"
    assert xml_safe("a\x00b\x1b[31mc\ufffe") == "ab[31mc"
    assert xml_safe("tab\tline\nreturn\r Zoë ’t Ĳ 🙂") == "tab\tline\nreturn\r Zoë ’t Ĳ 🙂"


def test_a_workbook_never_fails_on_stored_text_and_keeps_formulas_as_text():
    workbook = Workbook()
    sheet = workbook.active
    spreadsheets.header_row(sheet, ["Naam\x0b", "Antwoord"])
    spreadsheets.append_text_safe(sheet, ["a\x0bb", '=HYPERLINK("x")'])
    spreadsheets.append_text_safe(sheet, ["\x00\x07bell", None])
    spreadsheets.fit_columns(sheet)
    read = openpyxl.load_workbook(io.BytesIO(spreadsheets.workbook_bytes(workbook))).active
    assert [[cell.value for cell in row] for row in read.iter_rows()] == [
        ["Naam ", "Antwoord"],
        ["a b", '=HYPERLINK("x")'],
        ["bell", None],
    ]
    assert read.cell(2, 2).data_type == "s"  # text, not a formula


def test_csv_for_dutch_excel_without_control_characters_or_formulas():
    content = spreadsheets.excel_csv(["Naam"], [[spreadsheets.csv_value("a\x0bb")], [spreadsheets.csv_value("=1+1")]])
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Naam"], ["a b"], ["'=1+1"]]
