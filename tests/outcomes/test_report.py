"""The outcome report: its content per section (without HTTP), the draft mark, the files (PDF, Word, HTML), the
command, who may see the page, and that no registrant's name or e-mail appears in any of it."""

import io
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from werkconferentie.live import access
from werkconferentie.live import boards as live
from werkconferentie.live.enums import AnswerStatus, BoardKind
from werkconferentie.live.models import Answer
from werkconferentie.outcomes import points, report, report_files
from werkconferentie.outcomes.report_content import build_report
from werkconferentie.reference.models import Municipality
from werkconferentie.registration import links
from werkconferentie.registration.signup import SignupData, register

pytestmark = pytest.mark.django_db

# People with names and addresses that occur nowhere else, so that finding any part of them in a report is a leak.
PEOPLE = [
    ("Zoë Quackenbush-Ŧest", "x@unusual-name.example", "wethouder", "GM0106", "", ""),
    ("Ĳsbrand Pfefferkorn-Ŋ", "ijsbrand@pfefferkorn-leak.example", "raadslid", "GM1730", "", ""),
    (
        "Xanthippe Ölschläger",
        "xanthippe@oelschlaeger-leak.example",
        "anders",
        None,
        "Kwartiermaker Ŧ",
        "Stichting Ŋjord",
    ),
]
PERSONAL = [
    "Zoë",
    "Quackenbush",
    "Ŧest",
    "unusual-name",
    "x@unusual",
    "Ĳsbrand",
    "Pfefferkorn",
    "Xanthippe",
    "Ölschläger",
    "oelschlaeger",
    "Kwartiermaker",
    "Ŋjord",
]
REQUESTS = [
    "Stel in elke gemeente één vast aanspreekpunt voor kinderen in.",
    "Betrek kinderen bij elk plan over hun buurt, vanaf het begin.",
]


def workshop_boards(boards):
    return [b for b in boards if b.kind == BoardKind.WORKSHOP]


def board_of(boards, kind):
    return next(b for b in boards if b.kind == kind)


@pytest.fixture
def people(roden, boards):
    """The three registrations, made through the sign-up rules, in Assen, Tynaarlo and an organisation."""
    made = []
    for name, email, role, code, role_other, organisation in PEOPLE:
        municipality = Municipality.objects.get(code=code) if code else None
        data = SignupData(name, email, role, municipality, [], role_other=role_other, organisation=organisation)
        made.append(register(roden, data).registration)
    return made


def answer_through_personal_link(registration, board, text) -> Answer:
    """As a participant does it: open the board from the personal page, then send the form."""
    client = Client()
    response = client.get(reverse("live:from_personal_link", args=[links.personal_token(registration), board.code]))
    assert response.status_code == 302
    page = client.get(reverse("live:board", args=[board.code]))
    key = page.context["form"].initial["idempotency_key"]
    client.post(
        reverse("live:board", args=[board.code]), {"text": text, "idempotency_key": key, "role": registration.role}
    )
    return Answer.objects.get(board=board, idempotency_key=key)


@pytest.fixture
def day(boards, people, answer_on):
    """A conference day: answers through personal links and anonymous phones, votes, a merge, a priority, a hidden
    answer, the children's ideas (one approved, one still waiting)."""
    first, second = workshop_boards(boards)[:2]
    zoe, ijsbrand, xanthippe = people
    a = answer_through_personal_link(zoe, first, "Kortere wachtlijsten in de jeugdzorg")
    b = answer_through_personal_link(ijsbrand, first, "Wachtlijsten jeugdzorg korter maken")
    c = answer_through_personal_link(xanthippe, second, "Meer veilige speelplekken in de wijk")
    for n in range(3):
        live.vote(a, f"b-a{n}")
    live.vote(b, "b-a0")  # voted for both: counts once after the merge
    merged = live.merge([a, b])
    live.update_answer(c, priority=True)
    answer_on(second, "Gratis sport voor kinderen in armoede", votes=2)
    hidden = answer_on(second, "Iets dat niet over de vraag gaat")
    live.update_answer(hidden, status=AnswerStatus.HIDDEN)
    answer_on(board_of(boards, BoardKind.ROUND_TABLE), "Een kinderraad die echt mee mag beslissen", votes=4)
    children = board_of(boards, BoardKind.CHILDREN)
    approved = answer_on(children, "Ik wil een skatebaan bij school", from_children=True)
    live.update_answer(approved, status=AnswerStatus.VISIBLE)
    answer_on(children, "Nog niet goedgekeurd idee", from_children=True)
    return {"merged": merged, "priority": c, "hidden": hidden, "children": approved}


@pytest.fixture
def curated(roden, day, organiser):
    """Two requests and one other point, tagged, with their supporting answers."""
    one = points.create_point(
        roden,
        organiser,
        title_nl="Eén aanspreekpunt",
        title_en="One contact point",
        request_nl=REQUESTS[0],
        is_request=True,
        crc_articles=[12],
        sdgs=[16],
        policy_areas=["participatie"],
        answers=[day["merged"].pk, day["children"].pk],
    )
    two = points.create_point(
        roden, organiser, title_nl="Kinderen betrekken", request_nl=REQUESTS[1], is_request=True, answers=[]
    )
    other = points.create_point(roden, organiser, title_nl="Spelen in de wijk", answers=[day["priority"].pk])
    return [one, two, other]


# --- Content, without HTTP -------------------------------------------------------------------------------------------


def test_a_report_before_curation_is_a_draft_of_priorities_and_most_voted_answers(roden, day):
    content = build_report(roden, "nl", image_format=None)
    assert content.draft and content.concept and not content.published
    titles = [point.title for point in content.points]
    assert titles[0] == "Meer veilige speelplekken in de wijk"  # the priority first, then by votes
    assert titles[1:3] == ["Een kinderraad die echt mee mag beslissen", day["merged"].text]
    assert "Iets dat niet over de vraag gaat" not in titles and "Nog niet goedgekeurd idee" not in titles
    assert content.summary == content.points


def test_the_report_sections(roden, day):
    content = build_report(roden, "nl", image_format=None)
    conference = content.conference
    assert conference.venue == "Health Hub" and "Roden" in conference.address
    assert conference.organisers == ["Politiek Netwerk Drenthe"]
    assert any(p.name == "Margrite Kalverboer" for item in conference.programme for p in item.speakers)
    assert [w.hosts[0].name for w in conference.workshops][0] == "Maartje Berger"
    participation = content.participation
    assert participation.total == 3
    assert dict(participation.by_role) == {"Wethouder": 1, "Raadslid": 1, "Anders": 1}
    assert participation.municipalities == ["Assen", "Tynaarlo"]
    assert participation.without_municipality == 1
    assert participation.answers == 5  # the merge counts once; the hidden and the waiting answer not at all
    # Per round, per workshop: the merged answer with its votes counted once per person.
    assert [r.title for r in content.rounds] == ["Workshopronde 1", "Workshopronde 2"]
    first = content.rounds[0].boards[0]
    assert first.title == "Betekenisvolle participatie"
    assert [(a.text, a.votes) for a in first.top] == [(day["merged"].text, 3)]
    second = content.rounds[0].boards[1]
    assert [(a.text, a.priority) for a in second.top][0] == ("Gratis sport voor kinderen in armoede", False)
    assert ("Meer veilige speelplekken in de wijk", True) in [(a.text, a.priority) for a in second.top]
    assert [a.text for a in content.round_table.top] == ["Een kinderraad die echt mee mag beslissen"]
    assert [a.text for a in content.children_voice] == ["Ik wil een skatebaan bij school"]
    assert [a.text for a in content.children.top] == ["Ik wil een skatebaan bij school"]
    # The annex has every public answer once, per board.
    annex = [a.text for board in content.annex for a in board.all_answers]
    assert sorted(annex) == sorted(
        [
            day["merged"].text,
            "Meer veilige speelplekken in de wijk",
            "Gratis sport voor kinderen in armoede",
            "Een kinderraad die echt mee mag beslissen",
            "Ik wil een skatebaan bij school",
        ]
    )
    assert len(annex) == participation.answers


def test_charts_have_alt_text_and_their_numbers(roden, day):
    content = build_report(roden, "nl", image_format="png")
    charts = {chart.key: chart for chart in content.charts}
    assert set(charts) == {"roles", "boards"}  # no points and no themes yet: no third chart
    assert charts["roles"].rows == [("Wethouder", 1), ("Raadslid", 1), ("Anders", 1)]
    assert sum(value for _label, value in charts["boards"].rows) == content.participation.votes
    for chart in charts.values():
        assert chart.image.startswith("data:image/png;base64,") and chart.alt.startswith("Staafdiagram")


def test_curated_points_with_tags_support_and_requests(roden, curated, day):
    content = build_report(roden, "en", image_format="svg")
    assert not content.draft and content.concept  # points, but not published
    assert [p.request_number for p in content.summary] == [1, 2]
    one = content.points[0]
    assert one.title == "One contact point" and one.title_lang == "en"
    assert one.request == REQUESTS[0] and one.request_lang == "nl"  # no English request: the Dutch one, marked
    assert [t.label for t in one.crc_articles] == ["Article 12 · Respect for the views of the child"]
    assert one.sdgs[0].label.startswith("SDG 16") and [t.label for t in one.policy_areas] == ["Participation"]
    assert [(a.text, a.votes, a.from_children) for a in one.answers] == [
        (day["merged"].text, 3, False),
        ("Ik wil een skatebaan bij school", 0, True),
    ]
    assert sorted(one.answers[0].roles) == ["Alderman", "Council member"]
    assert {chart.key for chart in content.charts} == {"roles", "boards", "points"}
    report.publish(roden)
    assert not build_report(roden, "nl", image_format=None).concept


# --- Files ------------------------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    parts += [p.text for section in document.sections for p in section.header.paragraphs]
    parts += [shape._inline.docPr.get("descr", "") for shape in document.inline_shapes]
    parts += [document.core_properties.author or "", document.core_properties.title or ""]
    return "\n".join(parts)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_is_tagged_with_language_and_title_and_holds_each_request(roden, curated):
    content = report_files.report_pdf(roden, "nl")
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "nl"
    assert reader.metadata.title == "Opbrengst: Mini-werkconferentie Kinderrechten"
    text = flat(pdf_text(content))
    for request in REQUESTS:
        assert request in text
    assert "Concept" in text  # points, but not published yet
    pages = reader.pages
    assert all("Concept" in page.extract_text() for page in pages) and len(pages) > 1


def test_the_docx_has_heading_styles_each_request_and_opens_in_libreoffice(roden, curated, tmp_path):
    content = report_files.report_docx(roden, "nl")
    document = Document(io.BytesIO(content))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Opbrengst: Mini-werkconferentie Kinderrechten")
    assert ("Heading 2", "Samenvatting") in headings and ("Heading 3", "1. Eén aanspreekpunt") in headings
    text = docx_text(content)
    for request in REQUESTS:
        assert request in text
    assert "Concept · nog niet definitief" in [p.text for p in document.sections[0].header.paragraphs]
    assert document.inline_shapes and all(s._inline.docPr.get("descr") for s in document.inline_shapes)
    if not shutil.which("soffice"):
        pytest.fail("LibreOffice is missing: apt-get install libreoffice-writer-nogui")
    source = tmp_path / "opbrengst.docx"
    source.write_bytes(content)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    converted = (tmp_path / "opbrengst.pdf").read_bytes()
    assert REQUESTS[0] in flat(pdf_text(converted))


def test_a_published_report_is_not_marked_concept(roden, curated):
    report.publish(roden)
    assert "Concept" not in pdf_text(report_files.report_pdf(roden, "nl"))
    document = Document(io.BytesIO(report_files.report_docx(roden, "nl")))
    assert not any(p.text for p in document.sections[0].header.paragraphs)


def test_no_registrant_is_named_in_any_output(roden, curated, day, tmp_path, organiser, client):
    outputs = {
        "pdf nl": pdf_text(report_files.report_pdf(roden, "nl")),
        "pdf en": pdf_text(report_files.report_pdf(roden, "en")),
        "docx nl": docx_text(report_files.report_docx(roden, "nl")),
        "docx en": docx_text(report_files.report_docx(roden, "en")),
        "html file": report_files.report_html(roden, "nl"),
    }
    client.force_login(organiser)
    outputs["page"] = client.get(reverse("outcomes_report:page", args=[roden.slug])).content.decode()
    report.publish(roden)
    public = Client()
    outputs["public page"] = public.get(reverse("outcomes_report:page", args=[roden.slug])).content.decode()
    outputs["public pdf"] = pdf_text(public.get(reverse("outcomes_report:pdf", args=[roden.slug])).content)
    outputs["public docx"] = docx_text(public.get(reverse("outcomes_report:docx", args=[roden.slug])).content)
    for name, text in outputs.items():
        # What the people gave is there (so the search below can fail), and who they are is not.
        assert "Meer veilige speelplekken in de wijk" in flat(text), name
        for part in PERSONAL:
            assert part.casefold() not in text.casefold(), f"{part!r} in the {name}"


# --- The command ------------------------------------------------------------------------------------------------


def test_report_command_writes_each_format_by_its_suffix(roden, curated, tmp_path, capsys):
    for suffix in ("pdf", "docx", "html"):
        target = tmp_path / f"opbrengst.{suffix}"
        call_command("report", roden.slug, "-o", str(target), "--language", "en")
        assert f"{suffix}, en, concept, 3 points" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in target.read_text(encoding="utf-8")
    assert PdfReader(tmp_path / "opbrengst.pdf").trailer["/Root"]["/Lang"] == "en"
    assert (
        Document(str(tmp_path / "opbrengst.docx")).paragraphs[1].text
        == "Outcome report: Mini work conference on children's rights"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["roden-2022", "-o", "opbrengst.txt"], "must end in .pdf, .docx or .html"),
        (["bestaat-niet", "-o", "opbrengst.pdf"], "no event with slug"),
        (["roden-2022", "-o", "/bestaat/niet/opbrengst.pdf"], "does not exist"),
    ],
)
def test_report_command_refuses_bad_input_with_a_message(roden, arguments, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message):
        call_command("report", *arguments)


# --- Who may see the report ------------------------------------------------------------------------------------


@pytest.fixture
def visitors(roden, boards, people, organiser, other_event):
    """A client per kind of visitor: anonymous, participant (personal link), host, another event's organiser,
    the organiser."""
    from registration.factories import UserFactory

    participant = Client()
    board = workshop_boards(boards)[0]
    participant.get(reverse("live:from_personal_link", args=[links.personal_token(people[0]), board.code]))
    host = Client()
    host.get(access.host_url(board, absolute=False))
    other = Client()
    other.force_login(UserFactory(username="andere", organiser_of=[other_event]))
    own = Client()
    own.force_login(organiser)
    return {"anonymous": Client(), "participant": participant, "host": host, "other organiser": other, "organiser": own}


REPORT_URLS = ["outcomes_report:page", "outcomes_report:pdf", "outcomes_report:docx"]


def test_before_publication_only_the_organiser_sees_the_report(roden, visitors, day):
    for name in REPORT_URLS:
        url = reverse(name, args=[roden.slug])
        for who, client in visitors.items():
            response = client.get(url)
            expected = 200 if who == "organiser" else 404
            assert response.status_code == expected, f"{who}: {name} {response.status_code}"
            if who == "organiser":
                assert response["Cache-Control"] == "private, no-store"
    page = visitors["organiser"].get(reverse("outcomes_report:page", args=[roden.slug])).content.decode()
    assert 'class="report-concept"' in page and "nog niet gepubliceerd" in page


def test_once_published_everyone_sees_the_report(roden, visitors, day):
    report.publish(roden)
    for name in REPORT_URLS:
        url = reverse(name, args=[roden.slug])
        for who, client in visitors.items():
            response = client.get(url)
            assert response.status_code == 200, f"{who}: {name} {response.status_code}"
    page = visitors["anonymous"].get(reverse("outcomes_report:page", args=[roden.slug])).content.decode()
    assert "Concept" in page  # published, but no outcome points yet: still a draft
    assert "nog niet gepubliceerd" not in page


def test_an_unpublished_event_hides_its_published_report(roden, visitors):
    report.publish(roden)
    roden.published = False
    roden.save()
    assert visitors["anonymous"].get(reverse("outcomes_report:page", args=[roden.slug])).status_code == 404
    assert visitors["organiser"].get(reverse("outcomes_report:page", args=[roden.slug])).status_code == 200


def test_files_follow_the_language_asked_for_and_refuse_others(roden, visitors):
    organiser = visitors["organiser"]
    url = reverse("outcomes_report:docx", args=[roden.slug])
    english = organiser.get(url, {"language": "en"})
    assert english["Content-Disposition"] == 'attachment; filename="roden-2022-outcome.docx"'
    assert Document(io.BytesIO(english.content)).core_properties.language == "en-GB"
    refused = organiser.get(url, {"language": "fr"})
    assert refused.status_code == 400 and "nl, en" in refused.content.decode()
    assert visitors["anonymous"].get(reverse("outcomes_report:page", args=["bestaat-niet"])).status_code == 404


def test_the_page_links_the_downloads_in_its_language(roden, visitors):
    organiser = visitors["organiser"]
    organiser.cookies["django_language"] = "en"
    body = organiser.get(reverse("outcomes_report:page", args=[roden.slug])).content.decode()
    assert '<html lang="en">' in body
    assert reverse("outcomes_report:pdf", args=[roden.slug]) + "?language=en" in body
