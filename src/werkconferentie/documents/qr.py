"""QR codes with segno: error correction M and a quiet zone of four modules, as scanners expect."""

import segno

BORDER = 4


def _qr(data: str) -> segno.QRCode:
    return segno.make_qr(data, error="m")


def qr_png_data_uri(data: str, *, scale: int = 4) -> str:
    """A PNG as a data: URI, for an <img> in a PDF or a Word document (Word cannot show SVG)."""
    return _qr(data).png_data_uri(scale=scale, border=BORDER)


def qr_svg(data: str, *, scale: int = 8) -> str:
    """An inline <svg> element, black on white, sharp at any size (web pages, screens, posters)."""
    return _qr(data).svg_inline(scale=scale, border=BORDER, dark="#000", light="#fff")


def qr_svg_data_uri(data: str, *, scale: int = 4) -> str:
    """An SVG as a data: URI, for an <img> with alt text in a PDF (badges): sharp at any print size."""
    return _qr(data).svg_data_uri(scale=scale, border=BORDER)
