"""A Django template (HTML) as a Word document (.docx), with python-docx.

The same template that documents.pdf renders to PDF is converted here by a small parser on the standard library's
html.parser, so that a report is written once and municipal staff get a file they can edit. Word keeps the
structure, not the style sheet. The supported subset:

- h1 to h6: the styles "Heading 1" to "Heading 6" (real headings: Word's navigation pane and table of contents,
  and a screen reader, find them);
- p, and div, section, article, header, footer, main, aside, nav, blockquote, figure, figcaption, address, dl, dt,
  dd as paragraph boundaries; br: a line break; text white space collapses as in HTML;
- ul and ol with li: "List Bullet" and "List Number" ("… 2" and "… 3" when nested); every top-level ol starts
  again at 1; a p inside a li continues the item ("List Continue");
- strong, b, em, i, u, code (a monospaced font), sub, sup;
- a with href: a real hyperlink (text and URL);
- table, thead, tbody, tfoot, tr, th, td: a Word table in the "Table Grid" style; rows in thead, and leading rows
  made only of th, repeat at the top of every page (w:tblHeader) and are bold; colspan and rowspan are not
  supported (the cell stays a single cell); a table inside a table is flattened into its cell's text;
- img with a data: URI (PNG, JPEG or GIF; a QR code from documents.qr, a chart): a picture, its alt attribute
  as the picture's description (docPr descr), its width attribute (CSS pixels) as its width, never wider than
  the text; an image Word cannot show (SVG, an address) is replaced by its alt text in brackets;
- head, title, style, script, template and elements with class="pdf-only" are left out, with their text;
- any other element is ignored, its text kept.

The document's title and language are set in the core properties, and the language also as the proofing
language of the text. Text that XML cannot hold (control characters stored from a form) is cleaned first.
"""

import base64
import binascii
import io
import re
from html.parser import HTMLParser

from django.template.loader import render_to_string
from django.utils import translation
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, RGBColor

from .text import xml_safe

HEADINGS = {f"h{level}": f"Heading {level}" for level in range(1, 7)}
BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "blockquote", "figure",
    "figcaption", "address", "dl", "dt", "dd", "caption",
}  # fmt: skip
SKIPPED = {"head", "title", "style", "script", "template", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BOLD, ITALIC = {"strong", "b", "th"}, {"em", "i"}  # th: bold, and a cell
PICTURE_TYPES = {"image/png", "image/jpeg", "image/gif"}
LANGUAGE_TAGS = {"nl": "nl-NL", "en": "en-GB"}
PIXEL = Emu(9525)  # one CSS pixel (1/96 inch) in English Metric Units
WHITE_SPACE = re.compile(r"[ \t\n\r\f]+")


class _Table:
    def __init__(self, table, text_width: int):
        self.table = table
        self.text_width = text_width
        self.row = None
        self.column = 0
        self.in_head = False
        self.body_started = False
        self.header_cells: list[bool] = []


class _Converter(HTMLParser):
    def __init__(self, document):
        super().__init__(convert_charrefs=True)
        self.document = document
        section = document.sections[0]
        self.text_width = section.page_width - section.left_margin - section.right_margin
        self.container = document  # where paragraphs go: the document, or a table cell
        self.paragraph = None
        self.at_line_start = True
        self.skip_depth = 0  # > 0 inside an element that is left out
        self.open: list[str] = []  # the open elements, to match end tags (and to end those left unclosed)
        self.bold = self.italic = self.underline = self.code = 0
        self.vertical: list[str] = []
        self.links: list[str | None] = []
        self.lists: list[tuple[str, int | None]] = []  # (ul or ol, numbering id of an ol that starts at 1)
        self.tables: list[_Table] = []
        self.nested_tables = 0

    # --- paragraphs and runs -----------------------------------------------------------------------------
    def new_paragraph(self, style: str | None = None):
        self.end_paragraph()
        if isinstance(self.container, type(self.document)):
            self.paragraph = self.document.add_paragraph(style=style)
        else:
            cell_paragraphs = self.container.paragraphs
            first = cell_paragraphs[0] if len(cell_paragraphs) == 1 else None
            if first is not None and not first.runs and not getattr(self.container, "_used", False):
                self.paragraph = first  # a new cell comes with one empty paragraph: use it
                if style:
                    self.paragraph.style = style
            else:
                self.paragraph = self.container.add_paragraph(style=style)
            self.container._used = True
        self.at_line_start = True
        return self.paragraph

    def end_paragraph(self) -> None:
        if self.paragraph is not None and self.paragraph.runs:
            last = self.paragraph.runs[-1]
            if last.text.endswith(" "):  # a text run (setting .text of a picture's run would drop the picture)
                last.text = last.text.rstrip(" ")
        self.paragraph = None

    def text_run(self, text: str):
        if self.paragraph is None:
            self.new_paragraph(self.list_style(continued=True) if self.lists else None)
        if self.links and self.links[-1]:
            return self.hyperlink_run(text, self.links[-1])
        run = self.paragraph.add_run(text)
        self.format(run)
        return run

    def format(self, run) -> None:
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None
        run.underline = bool(self.underline) or None
        if self.code:
            run.font.name = "Courier New"
        if self.vertical:
            run.font.subscript = self.vertical[-1] == "sub"
            run.font.superscript = self.vertical[-1] == "sup"

    def hyperlink_run(self, text: str, url: str):
        """A run inside a w:hyperlink that points at `url` (python-docx has no API for hyperlinks)."""
        part = self.paragraph.part
        relationship = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        hyperlink = OxmlElement("w:hyperlink")
        hyperlink.set(qn("r:id"), relationship)
        self.paragraph._p.append(hyperlink)
        run = self.paragraph.add_run(text, style=hyperlink_style(self.document))
        self.format(run)
        hyperlink.append(run._r)  # move the run from the paragraph into the hyperlink
        return run

    # --- lists -------------------------------------------------------------------------------------------
    def list_style(self, continued: bool = False) -> str:
        if continued:
            return "List Continue" if len(self.lists) < 2 else f"List Continue {min(len(self.lists), 3)}"
        kind = "List Number" if self.lists[-1][0] == "ol" else "List Bullet"
        level = min(len(self.lists), 3)
        return kind if level == 1 else f"{kind} {level}"

    def restarted_numbering(self) -> int:
        """A numbering that follows the "List Number" style's definition but starts at 1 again.

        Paragraphs in the "List Number" style share one numbering, so a second list would go on at 6 after a
        first list of five; each top-level ol gets a numbering instance of its own with a start override."""
        numbering = self.document.part.numbering_part.element
        style_num = self.document.styles["List Number"].element.pPr.numPr.numId.val
        abstract = numbering.num_having_numId(style_num).abstractNumId.val
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    # --- tables ------------------------------------------------------------------------------------------
    def start_table(self) -> None:
        self.end_paragraph()
        if self.tables:
            self.nested_tables += 1  # flattened: its cells become text of the outer cell
            return
        table = self.document.add_table(rows=0, cols=0)
        table.style = self.document.styles["Table Grid"]
        self.tables.append(_Table(table, self.text_width))

    def end_table(self) -> None:
        self.end_paragraph()
        if self.nested_tables:
            self.nested_tables -= 1
            return
        state = self.tables.pop()
        columns = len(state.table.columns)
        if columns:
            width = Emu(int(state.text_width / columns))
            for column in state.table.columns:
                column.width = width
                for cell in column.cells:
                    cell.width = width
        self.container = self.document

    def start_row(self, state: _Table) -> None:
        state.row = state.table.add_row()
        state.column = 0
        state.header_cells = []

    def end_row(self, state: _Table) -> None:
        self.end_paragraph()
        if state.row is None:
            return
        header = state.in_head or (not state.body_started and state.header_cells and all(state.header_cells))
        if header:
            row_properties = state.row._tr.get_or_add_trPr()
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            row_properties.append(repeat)
        else:
            state.body_started = True
        state.row = None
        self.container = self.document

    def start_cell(self, state: _Table, tag: str) -> None:
        self.end_paragraph()
        if state.row is None:
            self.start_row(state)
        if state.column >= len(state.table.columns):
            state.table.add_column(Emu(int(state.text_width / (state.column + 1))))
        self.container = state.row.cells[state.column]
        state.column += 1
        state.header_cells.append(tag == "th")

    # --- images ------------------------------------------------------------------------------------------
    def image(self, attributes: dict) -> None:
        alt = xml_safe(attributes.get("alt") or "")
        picture = _data_uri_picture(attributes.get("src") or "")
        if picture is None:
            if alt:
                self.text_run(f"[{alt}]")
            return
        if self.paragraph is None:
            self.new_paragraph()
        width = _pixels(attributes.get("width"))
        limit = (
            self.text_width
            if not self.tables
            else self.tables[-1].text_width // max(len(self.tables[-1].table.columns), 1)
        )
        run = self.paragraph.add_run()
        shape = run.add_picture(io.BytesIO(picture), width=Emu(width * PIXEL) if width else None)
        if shape.width > limit:
            shape.height = Emu(int(shape.height * limit / shape.width))
            shape.width = Emu(int(limit))
        shape._inline.docPr.set("descr", alt)
        self.at_line_start = False

    # --- the parser's callbacks --------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag not in VOID:
            self.open.append(tag)
        if self.skip_depth:
            if tag not in VOID:
                self.skip_depth += 1
            return
        if tag in SKIPPED or "pdf-only" in attributes.get("class", "").split():
            if tag not in VOID:
                self.skip_depth = 1
            return
        self.start(tag, attributes)

    def handle_startendtag(self, tag: str, attrs) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if self.skip_depth or tag in SKIPPED or "pdf-only" in attributes.get("class", "").split():
            return
        self.start(tag, attributes)
        if tag not in VOID:
            self.end(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or tag not in self.open:
            return  # a stray end tag: ignored, as a browser would
        while self.open:  # end the elements left unclosed inside this one (<li> without </li>)
            current = self.open.pop()
            if self.skip_depth:
                self.skip_depth -= 1
            else:
                self.end(current)
            if current == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        text = WHITE_SPACE.sub(" ", xml_safe(data))
        if self.at_line_start:
            text = text.lstrip(" ")
        if not text or (self.paragraph is None and not text.strip()):
            return
        if self.tables and self.tables[-1].row is None and not text.strip():
            return
        self.text_run(text)
        self.at_line_start = text.endswith(" ")

    def start(self, tag: str, attributes: dict) -> None:
        if tag == "th":
            self.bold += 1
        if self.tables and not self.nested_tables:
            state = self.tables[-1]
            if tag == "thead":
                state.in_head = True
            elif tag == "tr":
                if state.row is not None:
                    self.end_row(state)
                self.start_row(state)
            elif tag in ("td", "th"):
                self.start_cell(state, tag)
        if tag in HEADINGS:
            self.new_paragraph(HEADINGS[tag])
        elif tag == "p" and self.lists and self.paragraph is not None and not self.paragraph.runs:
            pass  # <li><p>…: the item's own paragraph
        elif tag == "p" and self.lists:
            self.new_paragraph(self.list_style(continued=True))
        elif tag in BLOCKS:
            self.end_paragraph()
        elif tag in ("ul", "ol"):
            self.end_paragraph()
            self.lists.append((tag, self.restarted_numbering() if tag == "ol" and not self.lists else None))
        elif tag == "li":
            if not self.lists:
                self.lists.append(("ul", None))  # a stray li: a bullet
            paragraph = self.new_paragraph(self.list_style())
            num_id = self.lists[-1][1]
            if num_id is not None:
                properties = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                properties.get_or_add_ilvl().val = 0
                properties.get_or_add_numId().val = num_id
        elif tag == "br":
            if self.paragraph is not None:
                self.paragraph.add_run().add_break(WD_BREAK.LINE)
                self.at_line_start = True
        elif tag == "img":
            self.image(attributes)
        elif tag == "a":
            href = xml_safe(attributes.get("href", "").strip())
            self.links.append(href if href and not href.startswith("#") else None)
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ITALIC:
            self.italic += 1
        elif tag in ("u", "ins"):
            self.underline += 1
        elif tag in ("code", "kbd", "samp"):
            self.code += 1
        elif tag in ("sub", "sup"):
            self.vertical.append(tag)
        elif tag == "table":
            self.start_table()
        # anything else: ignored, its text kept

    def end(self, tag: str) -> None:
        if tag in HEADINGS or tag in BLOCKS or tag == "li":
            self.end_paragraph()
        elif tag in ("ul", "ol"):
            self.end_paragraph()
            if self.lists:
                self.lists.pop()
        elif tag == "a":
            if self.links:
                self.links.pop()
        elif tag in BOLD:
            self.bold -= 1
        elif tag in ITALIC:
            self.italic -= 1
        elif tag in ("u", "ins"):
            self.underline -= 1
        elif tag in ("code", "kbd", "samp"):
            self.code -= 1
        elif tag in ("sub", "sup"):
            if self.vertical:
                self.vertical.pop()
        elif tag == "table":
            self.end_table()
        if self.tables and not self.nested_tables:
            state = self.tables[-1]
            if tag == "thead":
                state.in_head = False
            elif tag == "tr":
                self.end_row(state)
            elif tag in ("td", "th"):
                self.end_paragraph()
                self.container = self.document

    def close(self) -> None:
        super().close()
        while self.open:
            self.handle_endtag(self.open[-1])
        self.end_paragraph()


def _data_uri_picture(src: str) -> bytes | None:
    """The bytes of a PNG, JPEG or GIF in a base64 data: URI; None for anything Word cannot place."""
    head, comma, data = src.partition(",")
    if not comma or not head.startswith("data:") or not head.endswith(";base64"):
        return None
    if head[5:].removesuffix(";base64").split(";")[0].strip().lower() not in PICTURE_TYPES:
        return None
    try:
        return base64.b64decode(data, validate=False)
    except (binascii.Error, ValueError):
        return None


def _pixels(value: str | None) -> int | None:
    match = re.fullmatch(r"\s*(\d{1,5})(?:px)?\s*", value or "")
    return int(match.group(1)) if match else None


def hyperlink_style(document) -> str:
    """The character style "Hyperlink" (blue, underlined); python-docx's default template lacks it."""
    styles = document.styles
    if "Hyperlink" not in [style.name for style in styles]:
        style = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        style.font.color.rgb = RGBColor(0x0B, 0x4F, 0x6C)
        style.font.underline = True
        style.unhide_when_used = True
    return "Hyperlink"


def _set_language(document, language: str) -> None:
    """The proofing language of all text (docDefaults), so that Word checks Dutch spelling as Dutch."""
    tag = LANGUAGE_TAGS.get(language, language)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        properties.append(lang)
    lang.set(qn("w:val"), tag)


def html_to_docx(html: str, *, language: str, title: str) -> bytes:
    """HTML (the subset in this module's docstring) as a .docx with `title` and `language` set."""
    document = Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    converter = _Converter(document)
    converter.feed(html)
    converter.close()
    properties = document.core_properties
    properties.title = xml_safe(title)
    properties.language = LANGUAGE_TAGS.get(language, language)
    properties.author = properties.last_modified_by = ""
    properties.comments = ""
    _set_language(document, language)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_docx(template_name: str, context: dict, *, language: str, title: str) -> bytes:
    """The template rendered in `language` as a Word document with that language and `title` set.

    The context gets `document_language` and `document_title`, as in documents.pdf.render_pdf."""
    with translation.override(language):
        html = render_to_string(template_name, {"document_language": language, "document_title": title, **context})
    return html_to_docx(html, language=language, title=title)
