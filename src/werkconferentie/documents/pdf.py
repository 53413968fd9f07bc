"""A Django template (HTML) as a tagged PDF, with WeasyPrint.

The PDF carries a structure tree (headings, paragraphs, lists, tables and figures as tags, so that a screen
reader reads it in order), the document's language (/Lang) and title, and claims PDF/UA-1 in its metadata when
WeasyPrint reports nothing missing for it. Text is set in the fonts the template names (DejaVu Sans, from Debian's
fonts-dejavu-core, covers every Latin letter); WeasyPrint embeds the subset it uses.

Elements with `class="word-only"` are not shown in the PDF (a user style sheet hides them).
Documents are self-contained: only data: URIs are fetched (images, QR codes, charts), never a file or a URL, so
that no text stored by a visitor can make the server read a file or call an address.
"""

import logging
import threading

from django.template.loader import render_to_string
from django.utils import translation

from .text import xml_safe

HIDE_WORD_ONLY = ".word-only { display: none !important; }"
UA_VARIANT = "pdf/ua-1"


class _ErrorsOfThisThread(logging.Handler):
    """Collects the errors WeasyPrint logs while this thread writes a PDF (it logs, it does not raise)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


def _write(html: str, language: str, title: str, **options) -> tuple[bytes, list[str]]:
    # Imported here: loading pango takes a moment that other pages need not wait for.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    logger = logging.getLogger("weasyprint")
    errors = _ErrorsOfThisThread()
    logger.addHandler(errors)
    try:
        document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).render(
            stylesheets=[CSS(string=HIDE_WORD_ONLY)], **options
        )
        document.metadata.lang = language
        document.metadata.title = title
        return document.write_pdf(**options), errors.messages
    finally:
        logger.removeHandler(errors)


def html_to_pdf(html: str, *, language: str, title: str) -> bytes:
    """HTML as a tagged PDF (PDF/UA-1 where WeasyPrint finds nothing missing for it)."""
    # Stored text may hold control characters (a form's "a\x0bb"): the fonts have no glyph for them.
    html, title = xml_safe(html), xml_safe(title)
    pdf, errors = _write(html, language, title, pdf_variant=UA_VARIANT)
    if errors:
        # WeasyPrint's pdf/ua-1 variant is tags plus a metadata claim of conformance; it does not refuse a
        # document that breaks the standard, it only logs what is missing (an image without alt text, a page
        # without a language). A PDF that claims PDF/UA must not lie, so such a document is written again tagged
        # but without the claim; the structure tree, /Lang and the title are there all the same.
        logging.getLogger(__name__).warning("not PDF/UA-1, written as tagged PDF: %s", "; ".join(errors))
        pdf, _errors = _write(html, language, title, pdf_tags=True)
    return pdf


def render_pdf(template_name: str, context: dict, *, language: str, title: str) -> bytes:
    """The template rendered in `language` as a tagged PDF with that language and `title` in its metadata.

    The context gets `document_language` and `document_title`, which documents/base.html uses."""
    with translation.override(language):
        html = render_to_string(template_name, {"document_language": language, "document_title": title, **context})
    return html_to_pdf(html, language=language, title=title)
