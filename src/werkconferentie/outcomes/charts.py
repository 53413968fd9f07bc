"""Charts of the outcome report: horizontal bar charts drawn with matplotlib, as SVG (web page, PDF) or PNG (Word).

matplotlib is used through its object API (`Figure` with the Agg canvas), never through pyplot: pyplot keeps global
state that threads of a web server would share, and it would pick a GUI backend where one is installed. Every
chart has alt text and its numbers as rows, which the report shows in a table next to it: a picture alone says
nothing to a screen reader, and a table lets anyone check the figure.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field

BAR_COLOUR = "#0b4f6c"  # the site's link colour: 8.7:1 against white
TEXT_COLOUR = "#111111"
LABEL_LENGTH = 42
WIDTH_INCHES = 6.4
ROW_INCHES = 0.34
PNG_DPI = 150
FORMATS = ("svg", "png")


@dataclass
class Chart:
    """A bar chart: its title, alt text, the table behind it and (once drawn) the image as a data: URI."""

    key: str
    title: str
    alt: str
    label_header: str
    value_header: str
    rows: list[tuple[str, int]] = field(default_factory=list)
    image: str = ""  # data: URI
    image_format: str = ""

    @property
    def total(self) -> int:
        return sum(value for _label, value in self.rows)


def short(label: str, length: int = LABEL_LENGTH) -> str:
    """A bar's label cut to `length` characters (the table holds the whole text)."""
    label = " ".join(label.split())
    if len(label) <= length:
        return label
    head, dot, tail = label.rpartition(" · ")
    if dot and len(tail) < length // 2:  # "Long workshop title · Round 1": keep the round, cut the title
        return head[: length - len(tail) - 4].rstrip() + "…" + dot + tail
    return label[: length - 1].rstrip() + "…"


def _figure(rows: list[tuple[str, int]]):
    # Imported here: loading matplotlib takes about a second that the rest of the site need not wait for.
    from matplotlib.figure import Figure

    labels = [short(label) for label, _value in rows]
    values = [value for _label, value in rows]
    height = max(1.2, 0.6 + ROW_INCHES * len(rows))
    figure = Figure(figsize=(WIDTH_INCHES, height), layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(rows)))
    axes.barh(positions, values, color=BAR_COLOUR, height=0.7)
    axes.set_yticks(positions, labels, fontsize=9, color=TEXT_COLOUR)
    axes.invert_yaxis()  # the first row at the top, as in the table
    largest = max(values, default=0) or 1
    axes.set_xlim(0, largest * 1.15)
    for position, value in zip(positions, values, strict=True):
        axes.text(value + largest * 0.01, position, str(value), va="center", fontsize=9, color=TEXT_COLOUR)
    axes.xaxis.set_visible(False)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    return figure


def draw(chart: Chart, image_format: str) -> Chart:
    """Draw `chart` as "svg" or "png" into `chart.image` (a data: URI); returns the chart."""
    if image_format not in FORMATS:
        raise ValueError(f"image_format must be one of {FORMATS}")
    from matplotlib import rc_context

    figure = _figure(chart.rows)
    buffer = io.BytesIO()
    # savefig picks matplotlib's SVG or Agg (PNG) writer by the format, without pyplot and without a display.
    # Metadata without a date, so that the same data makes the same file.
    if image_format == "svg":
        # Text as SVG text, not as glyph outlines: WeasyPrint draws an outlined label (hundreds of paths) ten
        # times slower, and the PDF's text stays selectable. DejaVu Sans is the font of the PDF as well.
        with rc_context({"svg.fonttype": "none"}):
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        mime = "image/svg+xml"
    else:
        figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
        mime = "image/png"
    chart.image = f"data:{mime};base64,{base64.b64encode(buffer.getvalue()).decode('ascii')}"
    chart.image_format = image_format
    return chart
