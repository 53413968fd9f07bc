"""A file as an HTTP response: one way to name it and to keep it out of caches."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

PDF_CONTENT_TYPE = "application/pdf"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
ZIP_CONTENT_TYPE = "application/zip"
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"
JSON_CONTENT_TYPE = "application/json"


def download(content: bytes, filename: str, content_type: str, *, inline: bool = False) -> HttpResponse:
    """`content` as a file named `filename`: shown in the browser when `inline` (a PDF), otherwise saved.

    Django's content_disposition_header quotes the name and adds an RFC 5987 `filename*` for names outside ASCII
    ("opbrengst-zoë.pdf"). Documents here hold names of people or unpublished work, so no cache on the way keeps
    a copy.
    """
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Cache-Control"] = "private, no-store"
    return response
