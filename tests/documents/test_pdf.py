"""documents.pdf: a template as a tagged PDF with its language and title, PDF/UA-1 only when nothing is missing."""

import base64
import io

from pypdf import PdfReader

from werkconferentie.documents.pdf import html_to_pdf, render_pdf

ONE_PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def catalog_and_text(pdf: bytes):
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    text = "\n".join(page.extract_text() for page in reader.pages)
    metadata = root["/Metadata"].get_object().get_data().decode() if "/Metadata" in root else ""
    return reader, root, text, metadata


def test_a_template_becomes_a_tagged_pdf_ua_with_language_and_title(sample_templates, sample_context):
    pdf = render_pdf("documents_test/sample.html", sample_context, language="nl", title="Opbrengst Roden")
    reader, root, text, metadata = catalog_and_text(pdf)
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "nl"
    assert reader.metadata.title == "Opbrengst Roden"
    assert "pdfuaid:part" in metadata  # claims PDF/UA-1: every image has alt text, the page a language
    assert "Opbrengst werkconferentie" in text and "Build a skate park" in text
    assert "Only in the PDF" in text and "Only in the Word file" not in text


def test_language_and_title_come_from_the_arguments_not_the_template():
    html = "<html><head><title>Something else</title></head><body><p>Dear council</p></body></html>"
    reader, root, _text, _metadata = catalog_and_text(html_to_pdf(html, language="en", title="Letter"))
    assert root["/Lang"] == "en" and reader.metadata.title == "Letter"


def test_an_image_without_alt_text_gives_a_tagged_pdf_without_the_pdf_ua_claim():
    uri = "data:image/png;base64," + base64.b64encode(ONE_PIXEL_PNG).decode()
    html = f'<html lang="nl"><body><p>Chart</p><img src="{uri}"></body></html>'
    reader, root, text, metadata = catalog_and_text(html_to_pdf(html, language="nl", title="Zonder alt"))
    assert "/StructTreeRoot" in root and root["/Lang"] == "nl" and reader.metadata.title == "Zonder alt"
    assert "pdfuaid" not in metadata


def test_only_data_uris_are_fetched(tmp_path):
    """A document never reads a file or an address named in its HTML: it holds everything it shows."""
    picture = tmp_path / "secret.png"
    picture.write_bytes(ONE_PIXEL_PNG)
    embedded = "data:image/png;base64," + base64.b64encode(ONE_PIXEL_PNG).decode()
    html = f'<html><body><img src="{picture.as_uri()}" alt="file"><img src="{embedded}" alt="inline"></body></html>'
    reader = PdfReader(io.BytesIO(html_to_pdf(html, language="nl", title="t")))
    assert len(reader.pages[0].images) == 1


def test_stored_control_characters_do_not_break_a_pdf():
    pdf = html_to_pdf("<p>a\x0bb \x00 c\x1b</p>", language="nl", title="a\x0bb")
    assert PdfReader(io.BytesIO(pdf)).pages
