"""The raadsadres: general and per municipality, in the form councils expect, with no personal data."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from docx import Document
from pypdf import PdfReader

from werkconferentie.outcomes import raadsadres
from werkconferentie.reference.models import Municipality

from .conftest import EMAILS, NAMES

pytestmark = pytest.mark.django_db


def test_letter_to_one_municipality(conference):
    facts = raadsadres.event_facts(conference, on=dt.date(2022, 5, 1))
    letter = raadsadres.letter(facts, Municipality.objects.get(code="GM1699"))
    assert letter.addressee == ["Aan de gemeenteraad van Noordenveld", "t.a.v. de griffie"]
    assert letter.salutation == "Geachte gemeenteraad,"
    assert letter.participants == 2 and dict(letter.participation) == {"raadslid": 1, "wethouder": 1}
    assert [r.text for r in letter.requests] == ["Stel vóór 20 november een kinderraad in."] and not letter.draft
    assert [q.text for q in letter.contributions] == [
        "Een kinderraad die echt meebeslist",
        "Kortere wachtlijsten in de jeugdzorg",
    ]
    assert [q.text for q in letter.children] == ["Meer plekken om te spelen na school"]
    assert "college" in letter.handling and "ingekomen stukken" in letter.handling


def test_a_merged_municipality_counts_for_its_successor_on_the_letter_date(conference):
    before = raadsadres.event_facts(conference, on=dt.date(2022, 1, 1))
    after = raadsadres.event_facts(conference, on=dt.date(2022, 5, 1))
    assert "GM0457" in {m.code for m in raadsadres.recipients(before)}
    assert {m.code for m in raadsadres.recipients(after)} == {"GM0363", "GM1699"}  # Weesp is Amsterdam now
    letter = raadsadres.letter(after, Municipality.objects.get(code="GM0363"))
    assert letter.participants == 1 and letter.contributions[0].text == "Speelplekken voor alle kinderen"


def test_recipients_by_code_province_or_all(conference):
    facts = raadsadres.event_facts(conference, on=dt.date(2022, 1, 1))
    assert len(raadsadres.recipients(facts, every=True)) == 345
    assert len(raadsadres.recipients(facts, province="Drenthe", every=True)) == 12
    assert [m.code for m in raadsadres.recipients(facts, codes=["1699"])] == ["GM1699"]
    with pytest.raises(ValueError):
        raadsadres.recipients(facts, codes=["GM9999"])
    with pytest.raises(ValueError):
        raadsadres.recipients(facts, province="Atlantis")


def test_draft_before_requests_are_chosen(conference):
    conference.outcome_points.all().delete()
    facts = raadsadres.event_facts(conference)
    letter = raadsadres.letter(facts, None)
    assert letter.draft and letter.requests[0].title == "Een kinderraad die echt meebeslist"
    assert "Concept" in pdf_text(raadsadres.render(letter, "pdf"))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_pdf_and_word_are_tagged_hold_the_requests_and_no_personal_data(conference, language, tmp_path):
    facts = raadsadres.event_facts(conference)
    for municipality in [None, Municipality.objects.get(code="GM1699")]:
        letter = raadsadres.letter(facts, municipality, language)
        pdf, docx = raadsadres.render(letter, "pdf"), raadsadres.render(letter, "docx")
        reader = PdfReader(io.BytesIO(pdf))
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and str(root["/Lang"]).startswith(language)
        assert reader.metadata.title == letter.subject
        assert len(reader.pages) <= 2
        request = letter.requests[0].text
        text, word = pdf_text(pdf), docx_text(docx)
        assert request in text.replace("\n", " ") and request in word
        for secret in NAMES + EMAILS:
            assert secret not in text and secret not in word
            assert secret.encode() not in pdf and secret.encode() not in docx
        styles = {p.style.name for p in Document(io.BytesIO(docx)).paragraphs}
        assert {"Heading 1", "Heading 2"} <= styles


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_word_letter_opens_in_libreoffice(conference, tmp_path):
    letter = raadsadres.letter(raadsadres.event_facts(conference), Municipality.objects.get(code="GM1699"))
    path = tmp_path / raadsadres.filename(Municipality.objects.get(code="GM1699"), "docx")
    path.write_bytes(raadsadres.render(letter, "docx"))
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert "Kinderraad" in pdf_text((tmp_path / "GM1699-Noordenveld.pdf").read_bytes())
