"""Badges and session lists: rendered as PDF, turned into PNG, the QR codes read back and used to check in."""

import io
import os
import shutil
from pathlib import Path

import pytest
from django.core import signing
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from pdfs import DPI, pdftoppm, pdftotext, read_qr_codes
from werkconferentie.assignment import badges, checkin, lists, runs
from werkconferentie.assignment.models import CheckIn
from werkconferentie.reference.models import Municipality
from werkconferentie.registration import signup
from werkconferentie.registration.enums import Role
from werkconferentie.registration.models import Registration

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("assignment.checkin_test_urls")]

NAMES = [
    ("Ĳsbrand van der Veen-Öztürk", Role.YOUTH_CARE_WORKER, None, "Jeugdzorg Ĳsselland"),
    ("Zoë ’t Hart", Role.ALDERMAN, "GM0353", ""),
    ("Anne-Marie Christina Koopmans-van Leeuwenhoek", Role.COUNCIL_MEMBER, "GM1730", ""),
    ("Daan de Vries", Role.POLICY_MAKER, "GM0106", ""),
    ("Fenna Bakker", Role.MAYOR, "GM1730", ""),
]
SLUGS = ["betekenisvolle-participatie", "kinderen-en-omgeving", "diversiteit"]


def register(event, n, name, role, code, organisation):
    workshops = {w.slug: w for w in event.workshops.all()}
    ranking = SLUGS[n % 3 :] + SLUGS[: n % 3]
    return signup.register(
        event,
        signup.SignupData(
            name=name,
            email=f"p{n}@example.org",
            role=role,
            municipality=Municipality.objects.get(pk=code) if code else None,
            organisation=organisation,
            preferences=[workshops[s] for s in ranking],
        ),
    ).registration


@pytest.fixture
def conference(open_event):
    """The seed conference with five people (diacritics, a long name, an organisation) and a published run."""
    people = [register(open_event, n, *row) for n, row in enumerate(NAMES)]
    runs.publish(runs.run_engine(open_event))
    return open_event, people


def keep_pngs(pdf: bytes, tmp_path: Path, name: str) -> None:
    """To look at the pages: BADGES_PNG_DIR=/tmp/badges pytest tests/assignment/test_badges.py."""
    folder = os.environ.get("BADGES_PNG_DIR")
    if folder:
        for page in pdftoppm(pdf, tmp_path / name):
            shutil.copy(page, Path(folder) / f"{name}-{page.name}")


def squash(text: str) -> str:
    return "".join(text.split()).replace("-", "")


@pytest.fixture
def organiser(conference):
    from registration.factories import UserFactory

    return UserFactory(username="organisator", organiser_of=[conference[0]])


def test_badge_pdf_shows_names_programme_and_codes_that_check_in(conference, organiser, client, tmp_path):
    event, people = conference
    pdf = badges.badges_pdf(event)
    pages = pdftoppm(pdf, tmp_path)
    keep_pngs(pdf, tmp_path, "badges")
    assert len(pages) == 2  # five badges, four to a sheet
    from PIL import Image

    for page in pages:
        width, height = Image.open(page).size
        assert (round(width * 25.4 / DPI), round(height * 25.4 / DPI)) == (210, 297)  # A4 portrait

    text = pdftotext(pdf, tmp_path)
    # pdftotext drops the hyphen where a name breaks over two lines; the letters themselves must be exact.
    squashed = squash(text)
    for name, *_rest in NAMES:
        assert squash(name) in squashed, name
    assert "Ĳsbrand" in text and "Öztürk" in text and "Zoë ’t Hart" in text
    assert "Jeugdzorg Ĳsselland" in text and "Wethouder" in text
    assert "Zaal" in text  # the rooms of the published run

    tokens = [token for page in pages for token in read_qr_codes(page)]
    assert len(tokens) == len(people)
    client.force_login(organiser)
    url = reverse("checkin:check_in", kwargs={"slug": event.slug})
    json = {"headers": {"Accept": "application/json"}}
    first = client.post(url, {"token": tokens[0]}, **json).json()
    assert first["status"] == "checked_in" and first["present"] == 1
    again = client.post(url, {"token": tokens[0]}, **json).json()
    assert again["status"] == "already" and again["checked_in_at"] == first["checked_in_at"]
    for token in tokens[1:]:
        assert client.post(url, {"token": token}, **json).json()["status"] == "checked_in"
    assert CheckIn.objects.filter(registration__event=event).count() == len(people)
    # No personal data in the codes: what they carry is an id and a check value, nothing else.
    for token in tokens:
        pk, check = signing.loads(token, salt=checkin.SALT)
        assert isinstance(pk, int) and len(check) == 10


def test_badges_before_publishing_have_blank_lines_and_sort_by_municipality(open_event, tmp_path):
    for n, row in enumerate(NAMES):
        register(open_event, n, *row)
    by_name = [b.registration.name for b in badges.badges_for(open_event)]
    assert by_name == sorted(by_name, key=str.casefold)
    by_place = [b.registration.affiliation for b in badges.badges_for(open_event, order="municipality")]
    assert by_place == sorted(by_place, key=str.casefold)
    assert all(not line.workshop for b in badges.badges_for(open_event) for line in b.lines)
    pdf = badges.badges_pdf(open_event)
    keep_pngs(pdf, tmp_path, "unpublished")
    text = pdftotext(pdf, tmp_path)
    assert "Zaal" not in text and "Zoë ’t Hart" in text


def test_session_lists_as_pdf_and_excel(conference, tmp_path):
    event, people = conference
    sessions = lists.session_lists(event)
    assert len(sessions) == 6 and sum(len(s.people) for s in sessions) == 2 * len(people)
    pdf = lists.lists_pdf(event)
    keep_pngs(pdf, tmp_path, "lists")
    text = pdftotext(pdf, tmp_path)
    assert squash("Ĳsbrand van der Veen-Öztürk") in squash(text) and squash("Zoë ’t Hart") in squash(text)
    assert "Zaal 1" in text and "14:15" in text
    workbook = load_workbook(io.BytesIO(lists.lists_xlsx(event)))
    assert len(workbook.sheetnames) == 6
    names = {cell.value for sheet in workbook for cell in sheet["A"]}
    assert "Zoë ’t Hart" in names and "Ĳsbrand van der Veen-Öztürk" in names


def test_lists_need_a_published_run(open_event):
    with pytest.raises(lists.NotPublished):
        lists.session_lists(open_event)


def test_badges_command_writes_the_pdf(conference, tmp_path):
    from django.core.management import CommandError, call_command

    out, stdout, stderr = tmp_path / "badges.pdf", io.StringIO(), io.StringIO()
    call_command("badges", conference[0].slug, "-o", str(out), "--order", "municipality", stdout=stdout, stderr=stderr)
    assert out.read_bytes().startswith(b"%PDF") and len(pdftoppm(out.read_bytes(), tmp_path)) == 2
    assert "5 badges on 2 sheets" in stdout.getvalue() and stderr.getvalue() == ""
    with pytest.raises(CommandError):
        call_command("badges", "geen-conferentie", "-o", str(out))


def test_the_day_s_documents_never_fail_on_control_characters_stored_by_the_form(conference, organiser, client):
    """Issue 14: a name "a\\x0bb" from the HTML form made the day's lists answer 500 (openpyxl refused it)."""
    event, people = conference
    Registration.objects.filter(pk=people[1].pk).update(name="Anna\x0bBakker", organisation="Org\x01\x1b")
    client.force_login(organiser)
    response = client.get(reverse("checkin:lists_xlsx", kwargs={"slug": event.slug}))
    assert response.status_code == 200
    names = {cell.value for sheet in load_workbook(io.BytesIO(response.content)) for cell in sheet["A"]}
    assert "Anna Bakker" in names
    for name in ("lists_pdf", "badges_pdf"):
        response = client.get(reverse(f"checkin:{name}", kwargs={"slug": event.slug}))
        assert response.status_code == 200
        reader = PdfReader(io.BytesIO(response.content))
        assert "Anna Bakker" in "\n".join(page.extract_text() for page in reader.pages)
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/Lang"] == "nl"
        assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()  # PDF/UA-1: nothing missing
