"""PDFs in tests: pages as PNG (pdftoppm), the text (pdftotext), and the QR codes on a page (zxing-cpp)."""

import shutil
import subprocess
from pathlib import Path

import pytest

# pdftoppm's resolution: high enough for the decoder to read a 26 mm code, low enough to stay quick.
DPI = 150


def pdftoppm(pdf: bytes, tmp_path: Path) -> list[Path]:
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm is missing: apt-get install poppler-utils")
    tmp_path.mkdir(exist_ok=True)
    source = tmp_path / "badges.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(source), str(tmp_path / "page")], check=True)
    return sorted(tmp_path.glob("page-*.png"))


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    source = tmp_path / "text.pdf"
    source.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(source), "-"], check=True, capture_output=True).stdout.decode()


def read_qr_codes(png: Path) -> list[str]:
    import zxingcpp
    from PIL import Image

    return [result.text for result in zxingcpp.read_barcodes(Image.open(png)) if result.format == zxingcpp.QRCode]
