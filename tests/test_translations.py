"""The Dutch catalogue is complete and compiled: Dutch is the site's first language."""

import shutil
import subprocess
from pathlib import Path

import pytest

import werkconferentie

LOCALE = Path(werkconferentie.__file__).parent / "locale" / "nl" / "LC_MESSAGES"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_every_message_has_a_dutch_translation(tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(LOCALE / "django.po")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_compiled_catalogue_matches_the_source():
    """`pip install .` ships the committed .mo, so it must be compiled from the committed .po."""
    po, mo = LOCALE / "django.po", LOCALE / "django.mo"
    assert mo.exists() and mo.stat().st_size > 0
    if shutil.which("msgfmt"):
        compiled = subprocess.run(["msgfmt", "-o", "-", str(po)], capture_output=True, check=True).stdout
        assert compiled == mo.read_bytes(), "run: msgfmt -o django.mo django.po (or scripts/test, which compiles)"
