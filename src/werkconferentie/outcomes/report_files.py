"""The outcome report as a file: a PDF, a Word document or a stand-alone HTML page, in Dutch or English.

All three render the same template (outcomes/report_document.html, which includes outcomes/_report.html) through
werkconferentie.documents. Charts are SVG in the PDF and the HTML file (sharp at any size) and PNG in Word (which
cannot show SVG). A report marked "Concept" says so at the top and, in the PDF and Word, in every page's header.
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Pt, RGBColor

from werkconferentie.documents.pdf import render_pdf
from werkconferentie.documents.text import xml_safe
from werkconferentie.documents.word import render_docx
from werkconferentie.events.models import Event

from .report_content import Report, build_report

TEMPLATE = "outcomes/report_document.html"
FORMATS = ("html", "pdf", "docx")


def filename(event: Event, language: str, suffix: str) -> str:
    return f"{event.slug}-{'opbrengst' if language == 'nl' else 'outcome'}.{suffix}"


def report_pdf(event: Event, language: str = "nl", report: Report | None = None) -> bytes:
    report = report or build_report(event, language, image_format="svg")
    return render_pdf(TEMPLATE, {"report": report, "output": "pdf"}, language=language, title=report.title)


def report_docx(event: Event, language: str = "nl", report: Report | None = None) -> bytes:
    report = report or build_report(event, language, image_format="png")
    content = render_docx(TEMPLATE, {"report": report, "output": "docx"}, language=language, title=report.title)
    if not report.concept:
        return content
    with translation.override(language):
        return _mark_concept(content, f"{_('Draft')} · {_('not final')}")


def report_html(event: Event, language: str = "nl", report: Report | None = None) -> str:
    """A stand-alone HTML file (styles and charts inside it), for the command line."""
    report = report or build_report(event, language, image_format="svg")
    with translation.override(language):
        return render_to_string(
            TEMPLATE,
            {"report": report, "output": "file", "document_language": language, "document_title": report.title},
        )


def _mark_concept(docx: bytes, text: str) -> bytes:
    """The same Word document with `text` in the header of every page (python-docx writes headers; the HTML
    conversion in documents.word has no notion of them)."""
    document = Document(io.BytesIO(docx))
    for section in document.sections:
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        run = paragraph.add_run(xml_safe(text))
        run.bold = True
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor(0x8A, 0x1C, 0x1C)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render(event: Event, output: str, language: str = "nl") -> bytes:
    """The report in `output` format ("html", "pdf" or "docx") as bytes."""
    if output == "pdf":
        return report_pdf(event, language)
    if output == "docx":
        return report_docx(event, language)
    if output == "html":
        return report_html(event, language).encode("utf-8")
    raise ValueError(f"output must be one of {FORMATS}")
