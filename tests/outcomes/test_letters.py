"""All letters in one ZIP (`werkconferentie letters`): names, contents, the address list, no personal data."""

import csv
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from werkconferentie.outcomes import letters, raadsadres
from werkconferentie.outcomes.models import GriffieAddress
from werkconferentie.reference.models import Municipality

from .conftest import EMAILS, NAMES
from .test_raadsadres import docx_text, pdf_text

pytestmark = pytest.mark.django_db


def read_zip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("workers", [1, 2])
def test_zip_holds_the_general_letter_one_per_municipality_and_the_addresses(conference, workers):
    GriffieAddress.objects.create(
        municipality_id="GM1699", email="griffie@noordenveld.example", postal_address="Postbus 109\n9300 AC Roden"
    )
    municipalities = list(Municipality.objects.filter(code__in=["GM1699", "GM1680"]).order_by("name"))
    files = read_zip(letters.letters_zip(conference, municipalities, workers=workers))
    assert set(files) == {
        "algemeen.pdf", "algemeen.docx", "GM1680-Aa-en-Hunze.pdf", "GM1680-Aa-en-Hunze.docx",
        "GM1699-Noordenveld.pdf", "GM1699-Noordenveld.docx", "adressen.csv",
    }  # fmt: skip
    assert "Aan de gemeenteraad van Noordenveld" in pdf_text(files["GM1699-Noordenveld.pdf"])
    assert "Aan de gemeenteraad van Aa en Hunze" in docx_text(files["GM1680-Aa-en-Hunze.docx"])
    rows = list(csv.DictReader(io.StringIO(files["adressen.csv"].decode("utf-8-sig")), delimiter=";"))
    assert [(row["cbs_code"], row["gemeente"], row["griffie_e-mail"], row["pdf"]) for row in rows] == [
        ("GM1680", "Aa en Hunze", "", "GM1680-Aa-en-Hunze.pdf"),
        ("GM1699", "Noordenveld", "griffie@noordenveld.example", "GM1699-Noordenveld.pdf"),
    ]
    assert rows[1]["griffie_postadres"] == "Postbus 109 / 9300 AC Roden"
    everything = b"".join(files.values())
    for secret in NAMES + EMAILS:
        assert secret.encode() not in everything
    for name, content in files.items():
        if name.endswith(".pdf"):
            assert not any(secret in pdf_text(content) for secret in NAMES + EMAILS)
        elif name.endswith(".docx"):
            assert not any(secret in docx_text(content) for secret in NAMES + EMAILS)


def test_command_default_is_the_municipalities_with_input(conference, tmp_path, capsys):
    out = tmp_path / "brieven.zip"
    call_command("letters", conference.slug, "-o", str(out), "--workers", "1", "--date", "2022-05-01")
    names = set(read_zip(out.read_bytes()))
    assert {"GM1699-Noordenveld.pdf", "GM0363-Amsterdam.pdf", "algemeen.docx"} <= names  # Weesp's via Amsterdam
    assert len(names) == 7
    assert "2 brieven aan gemeenteraden" in capsys.readouterr().out


def test_command_by_province_and_code(conference, tmp_path):
    out = tmp_path / "drenthe.zip"
    call_command("letters", conference.slug, "-o", str(out), "--province", "Drenthe", "--workers", "1")
    assert len([n for n in read_zip(out.read_bytes()) if n.endswith(".pdf")]) == 13  # 12 + the general one
    call_command("letters", conference.slug, "-o", str(out), "--municipality", "1699", "--workers", "1")
    assert len(read_zip(out.read_bytes())) == 5


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["geen-event", "-o", "x.zip"], "geen-event"),
        (["roden-2022", "-o", "x.pdf"], ".zip"),
        (["roden-2022", "-o", "x.zip", "--municipality", "GM9999"], "GM9999"),
        (["roden-2022", "-o", "x.zip", "--province", "Atlantis"], "Atlantis"),
    ],
)
def test_command_refuses_with_a_message(conference, tmp_path, arguments, message, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message):
        call_command("letters", *arguments)


def test_filenames_are_safe():
    assert raadsadres.filename(Municipality(code="GM0518", name="'s-Gravenhage"), "pdf") == "GM0518-s-Gravenhage.pdf"
    assert raadsadres.filename(None, "docx") == "algemeen.docx"
