"""documents.word: the same template as a .docx with real headings, lists, tables, pictures and metadata; and
LibreOffice opens it (the program municipal staff may use)."""

import io
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from werkconferentie.documents.word import html_to_docx, render_docx


@pytest.fixture
def sample_docx(sample_templates, sample_context) -> bytes:
    return render_docx("documents_test/sample.html", sample_context, language="nl", title="Opbrengst Roden")


def paragraphs(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.text]


def test_headings_lists_and_text_keep_their_structure(sample_docx):
    document = docx.Document(io.BytesIO(sample_docx))
    found = paragraphs(document)
    assert ("Heading 1", "Opbrengst werkconferentie") in found
    assert ("Heading 2", "Requests") in found and ("Heading 3", "Answers") in found
    assert ("List Number", "Listen to children") in found and ("List Number", "Build a skate park") in found
    assert ("List Bullet", "Meer speelplekken a b") in found  # the stored vertical tab became a space
    assert ("List Bullet 2", "to school") in found
    assert ("Normal", "Unknown elements keep their text") in found
    texts = [text for _style, text in found]
    assert "Only in the Word file" in texts and "Only in the PDF" not in texts
    assert not any("{" in text or "<" in text for text in texts)


def test_every_numbered_list_starts_at_one(sample_docx):
    document = docx.Document(io.BytesIO(sample_docx))
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    first, second = {p._p.pPr.numPr.numId.val for p in numbered[:2]}, numbered[2]._p.pPr.numPr.numId.val
    assert len(first) == 1 and second not in first
    numbering = document.part.numbering_part.element
    for num_id in (*first, second):
        override = numbering.num_having_numId(num_id).find(qn("w:lvlOverride"))
        assert override.find(qn("w:startOverride")).get(qn("w:val")) == "1"


def test_inline_formatting_and_a_real_hyperlink(sample_docx):
    document = docx.Document(io.BytesIO(sample_docx))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("The conference asks"))
    assert [r.text for r in paragraph.runs if r.bold] == ["council"]
    assert [r.text for r in paragraph.runs if r.italic] == ["listen"]
    assert paragraph.hyperlinks[0].text == "the report"
    assert paragraph.hyperlinks[0].url == "https://example.org/verslag"
    assert paragraph.text.endswith("see the report.")


def test_a_table_with_a_repeated_bold_header_row(sample_docx):
    document = docx.Document(io.BytesIO(sample_docx))
    (table,) = document.tables
    assert table.style.name == "Table Grid"
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Theme", "Votes"],
        ["Spelen", "12"],
        ["Veilig naar school", "7"],
        ["=1+1", "0"],
    ]
    repeated = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
    assert repeated == [True, False, False, False]
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)


def test_a_picture_with_its_alt_text_and_the_document_properties(sample_docx):
    document = docx.Document(io.BytesIO(sample_docx))
    (shape,) = document.inline_shapes
    assert shape._inline.docPr.get("descr") == "QR code to the report"
    assert shape.width == 120 * 9525  # width="120": CSS pixels
    assert document.core_properties.title == "Opbrengst Roden"
    assert document.core_properties.language == "nl-NL"
    styles = zipfile.ZipFile(io.BytesIO(sample_docx)).read("word/styles.xml").decode()
    assert 'w:lang w:val="nl-NL"' in styles  # Word checks the spelling as Dutch


def test_what_word_cannot_show_becomes_text_and_bad_markup_does_not_break_it():
    html = (
        '<h2>Chart</h2><img src="data:image/svg+xml;base64,PHN2Zy8+" alt="Votes per theme">'
        '<img src="https://example.org/x.png" alt="">'
        "<ul><li>open item<li>another</ul></p></div><table><tr><td>a<table><tr><td>inner</td></tr></table></td>"
        "<td>b</tr></table><p>after \x00\x1b</p>"
    )
    document = docx.Document(io.BytesIO(html_to_docx(html, language="en", title="t\x0b")))
    assert ("Normal", "[Votes per theme]") in paragraphs(document)
    assert ("List Bullet", "open item") in paragraphs(document) and ("List Bullet", "another") in paragraphs(document)
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [["a\ninner", "b"]]
    assert ("Normal", "after") in paragraphs(document)
    assert document.core_properties.title == "t " and document.core_properties.language == "en-GB"


def libreoffice(source, target_format: str, out_dir) -> bytes:
    """Convert with LibreOffice headless in a profile of its own (several conversions may run at once)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (Debian: libreoffice-writer-nogui; scripts/test installs it)")
    profile = out_dir / "profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target_format,
         "--outdir", str(out_dir), str(source)],
        capture_output=True, timeout=120, text=True,
    )  # fmt: skip
    suffix = target_format.split(":")[0]
    converted = out_dir / f"{source.stem}.{suffix}"
    assert result.returncode == 0 and converted.exists(), result.stdout + result.stderr
    return converted.read_bytes()


def test_libreoffice_opens_the_document_and_keeps_the_headings(sample_docx, tmp_path):
    source = tmp_path / "sample.docx"
    source.write_bytes(sample_docx)

    pdf = PdfReader(io.BytesIO(libreoffice(source, "pdf", tmp_path / "pdf")))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Opbrengst werkconferentie" in text and "Veilig naar school" in text and "Build a skate park" in text

    # Saved again by LibreOffice as Word: the headings are still Heading styles, the table and picture are there.
    again = docx.Document(io.BytesIO(libreoffice(source, "docx:MS Word 2007 XML", tmp_path / "docx")))
    headings = [(p.style.name, p.text) for p in again.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "Opbrengst werkconferentie"), ("Heading 2", "Requests"), ("Heading 3", "Answers")]
    assert again.tables[0].rows[1].cells[0].text == "Spelen"
    assert again.inline_shapes[0]._inline.docPr.get("descr") == "QR code to the report"
