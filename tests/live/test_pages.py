"""The live pages through HTTP: joining, answering and voting without script, the screen, the children's page,
the console and its host link, posters and exports; and who may open which (every URL of the namespaces)."""

import csv
import io
import json

import pytest
from django.core import signing
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from registration.factories import UserFactory
from werkconferentie.live import access
from werkconferentie.live import boards as rules
from werkconferentie.live.enums import AnswerStatus
from werkconferentie.live.models import Answer, Vote
from werkconferentie.registration import links
from werkconferentie.registration.models import Registration

pytestmark = pytest.mark.django_db
NASTY = '<script>alert("x")</script><img src=x onerror=alert(1)> Zoë ’t ‮evil‬ 👍🏽'


def test_join_by_code_in_any_form(client, board):
    response = client.get(reverse("live:join"), {"code": board.code.lower()})
    assert response.status_code == 302 and response["Location"] == reverse("live:board", args=[board.code])
    response = client.get(reverse("live:join"), {"code": "ZZZZZZ"})
    assert response.status_code == 400 and "Geen bord heeft deze code" in response.content.decode()
    assert client.get(reverse("live:join")).status_code == 200


def test_unknown_code_is_a_404_page(client):
    assert client.get("/doe-mee/NOPE99/").status_code == 404
    assert client.get("/doe-mee/%3Cscript%3E/").status_code == 404


def test_answer_and_vote_without_script(client, board):
    page = client.get(reverse("live:board", args=[board.code]))
    key = page.context["form"].initial["idempotency_key"]
    data = {"text": "Meer speelplekken", "role": "raadslid", "municipality": "Tynaarlo", "idempotency_key": key}
    response = client.post(reverse("live:board", args=[board.code]), data)
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.municipality.name == "Tynaarlo" and answer.role == "raadslid" and answer.author.startswith("b")
    client.post(reverse("live:board", args=[board.code]), data)  # the browser sends the form again
    assert Answer.objects.count() == 1
    response = client.post(reverse("live:vote", args=[board.code, answer.pk]))
    assert response.status_code == 302 and Vote.objects.filter(answer=answer).count() == 1
    page = client.get(reverse("live:board", args=[board.code])).content.decode()
    assert 'aria-pressed="true"' in page and "jouw antwoord" in page
    client.post(reverse("live:vote", args=[board.code, answer.pk]), {"action": "unvote"})
    assert not Vote.objects.exists()


def test_form_errors_are_shown_and_nothing_is_saved(client, board):
    response = client.post(reverse("live:board", args=[board.code]), {"text": "", "idempotency_key": "k"})
    assert response.status_code == 400 and "Dit veld is verplicht" in response.content.decode()
    response = client.post(
        reverse("live:board", args=[board.code]), {"text": "Iets", "municipality": "Atlantis", "idempotency_key": "k"}
    )
    assert response.status_code == 400 and "Kies een gemeente uit de lijst" in response.content.decode()
    assert not Answer.objects.exists()


def test_closed_board_says_so(client, boards):
    closed = next(b for b in boards if b.kind == "workshop")
    response = client.post(reverse("live:board", args=[closed.code]), {"text": "Iets", "idempotency_key": "k"})
    assert response.status_code == 400 and "Dit bord is gesloten" in response.content.decode()
    assert not Answer.objects.exists()


def test_the_answers_are_text_everywhere(client, board, answer_on, organiser_of_roden):
    answer = answer_on(board, NASTY)
    for url in [reverse("live:board", args=[board.code]), reverse("live:screen", args=[board.code])]:
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    client.force_login(organiser_of_roden)
    body = client.get(reverse("live:console", args=[board.code])).content.decode()
    assert "<script>alert" not in body
    data = client.get(reverse("api:live_answers", args=[board.code])).json()
    assert data["answers"][0]["text"] == answer.text  # JSON carries the text; pages set it with textContent
    exported = client.get(reverse("live:export_csv", args=[board.code])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported), delimiter=";"))
    assert rows[1][1] == answer.text
    workbook = load_workbook(io.BytesIO(client.get(reverse("live:export_xlsx", args=[board.code])).content))
    assert workbook.active.cell(2, 2).value == answer.text


def test_exports_guard_against_formulas(client, board, answer_on, organiser_of_roden):
    answer_on(board, '=HYPERLINK("http://x")')
    client.force_login(organiser_of_roden)
    exported = client.get(reverse("live:export_csv", args=[board.code])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in exported


def test_exports_never_fail_on_control_characters_stored_in_an_answer(client, board, answer_on, organiser_of_roden):
    """Issue 14: text with a control character that XML refuses ("a\\x0bb") made Excel exports answer 500."""
    answer = answer_on(board, "Meer groen")
    Answer.objects.filter(pk=answer.pk).update(text="Meer\x0bgroen\x01")
    client.force_login(organiser_of_roden)
    response = client.get(reverse("live:export_xlsx", args=[board.code]))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).active.cell(2, 2).value == "Meer groen"
    response = client.get(reverse("live:export_csv", args=[board.code]))
    assert response.status_code == 200 and "Meer groen;" in response.content.decode("utf-8-sig")


def test_exports_number_answers_in_local_time_and_one_file_has_every_board(
    client, board, boards, answer_on, organiser_of_roden
):
    """The first column said "Aantal" over answer numbers; times were UTC; the organiser had one file per board."""
    import datetime as dt

    first = answer_on(board, "Meer speelplekken")
    other_board = rules.set_open(next(b for b in boards if b.pk != board.pk and b.kind == "workshop"), True)
    second = answer_on(other_board, "Een jongerenraad")
    # A summer evening in Amsterdam is two hours ahead of UTC; a winter one one hour.
    Answer.objects.filter(pk=first.pk).update(created_at=dt.datetime(2026, 7, 1, 21, 30, tzinfo=dt.UTC))
    Answer.objects.filter(pk=second.pk).update(created_at=dt.datetime(2026, 1, 15, 23, 30, tzinfo=dt.UTC))
    client.force_login(organiser_of_roden)

    exported = client.get(reverse("live:export_csv", args=[board.code])).content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(exported), delimiter=";"))
    assert header[0] == "Nummer" and row[0] == str(first.pk)
    assert row[header.index("Verstuurd op")] == "2026-07-01 23:30:00"

    response = client.get(reverse("live_admin:export_csv", args=[board.event.slug]))
    assert response["Content-Disposition"] == 'attachment; filename="antwoorden-roden-2022-alle-borden.csv"'
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:3] == ["Bord", "Code", "Nummer"]
    by_text = {row[3]: row for row in table[1:]}
    assert by_text["Meer speelplekken"][1] == board.code and by_text["Een jongerenraad"][1] == other_board.code
    assert by_text["Een jongerenraad"][table[0].index("Verstuurd op")] == "2026-01-16 00:30:00"
    workbook = load_workbook(io.BytesIO(client.get(reverse("live_admin:export_xlsx", args=[board.event.slug])).content))
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]][:3] == ["Bord", "Code", "Nummer"]
    assert {sheet.cell(row, 4).value for row in (2, 3)} == {"Meer speelplekken", "Een jongerenraad"}
    overview = client.get(reverse("live_admin:overview", args=[board.event.slug])).content.decode()
    assert reverse("live_admin:export_xlsx", args=[board.event.slug]) in overview


def test_children_page_scrubs_and_waits_for_approval(client, children_board):
    response = client.get(reverse("live:children", args=[children_board.code]))
    assert response.status_code == 200 and "naam" in response.content.decode()
    key = response.context["form"].initial["idempotency_key"]
    text = "Ik ben Sanne de Vries, bel me op 06-12345678. Meer speeltuinen in Roden!"
    response = client.post(reverse("live:children", args=[children_board.code]), {"text": text, "idempotency_key": key})
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert "06-12345678" not in answer.text and "Sanne" not in answer.text and "speeltuinen" in answer.text
    assert answer.status == AnswerStatus.PENDING and answer.from_children
    assert answer.text not in client.get(reverse("live:screen", args=[children_board.code])).content.decode()
    assert client.get(reverse("api:live_answers", args=[children_board.code])).json()["answers"] == []
    rules.update_answer(answer, status=AnswerStatus.VISIBLE)
    assert client.get(reverse("api:live_answers", args=[children_board.code])).json()["answers"][0]["children"]
    # The phone page of a children's board is the children's page.
    assert client.get(reverse("live:board", args=[children_board.code]))["Location"].startswith("/jongeren/")


def test_host_link_opens_the_console_of_its_board_only(client, board, boards):
    other = next(b for b in boards if b.pk != board.pk)
    assert client.get(reverse("live:console", args=[board.code])).status_code == 404
    response = client.get(access.host_url(board, absolute=False))
    assert response.status_code == 302 and response["Location"] == reverse("live:console", args=[board.code])
    assert client.get(reverse("live:console", args=[board.code])).status_code == 200
    assert client.get(reverse("live:console", args=[other.code])).status_code == 404
    # A new host secret revokes the link and the console opened with it.
    board.host_secret = "nieuw"
    board.save()
    assert client.get(reverse("live:console", args=[board.code])).status_code == 404
    forged = signing.dumps([board.pk, "gok"], salt=access.SALT, compress=True)
    assert client.get(reverse("live:host_link", args=[forged])).status_code == 404


def test_host_api_with_the_session(board, answer_on):
    client = Client(enforce_csrf_checks=True)
    a, b = answer_on(board, "Speelplekken"), answer_on(board, "Speeltuinen")
    client.get(access.host_url(board, absolute=False))
    token = client.get(reverse("live:console", args=[board.code])).context["live_config"]["csrf"]
    base = f"/api/live/{board.code}/host/"
    refused = client.post(base + "merge", json.dumps({"answers": [a.pk, b.pk]}), content_type="application/json")
    assert refused.status_code == 403  # no CSRF token
    headers = {"X-CSRFToken": token}
    merged = client.post(base + "merge", json.dumps({"answers": [a.pk, b.pk]}), "application/json", headers=headers)
    assert merged.status_code == 200 and merged.json()["is_merge"]
    patched = client.patch(
        base + f"answers/{merged.json()['id']}", json.dumps({"priority": True}), "application/json", headers=headers
    )
    assert patched.status_code == 200 and patched.json()["priority"]
    assert client.post(base + "close", headers=headers).json()["open"] is False
    assert client.post(base + f"answers/{merged.json()['id']}/unmerge", headers=headers).status_code == 200
    assert Answer.objects.count() == 2
    renewed = client.post(base + "new-code", headers=headers).json()["code"]
    assert renewed != board.code and len(renewed) == 6
    assert client.get(reverse("live:board", args=[board.code])).status_code == 404
    assert client.get(reverse("live:board", args=[renewed])).status_code == 200
    assert client.get(reverse("live:console", args=[renewed])).status_code == 200  # still her board


def test_voting_from_a_browser_needs_the_csrf_token(board, answer_on):
    client = Client(enforce_csrf_checks=True)
    answer = answer_on(board, "Speelplekken")
    page = client.get(reverse("live:board", args=[board.code]))  # sets the browser's id cookie
    url = f"/api/live/{board.code}/answers/{answer.pk}/vote"
    assert client.post(url).status_code == 403
    voted = client.post(url, headers={"X-CSRFToken": page.context["live_config"]["csrf"]})
    assert voted.status_code == 200 and voted.json() == {"answer": answer.pk, "voted": True, "votes": 1}
    assert Client().post(url).json()["code"] == "no_voter"  # without cookies, a script is nobody


def test_answers_are_limited_per_browser_and_per_address_without_cookies(board, settings):
    from werkconferentie.core.ratelimit import Rate

    settings.LIVE_ANSWER_RATE = Rate(2, 60)
    url = f"/api/live/{board.code}/answers"

    def send(client, n):
        body = json.dumps({"text": f"Idee {n}", "idempotency_key": f"k{n}"})
        return client.post(url, body, content_type="application/json").status_code

    assert [send(Client(), n) for n in range(3)] == [201, 201, 429]  # no cookies: one address, one count
    browser = Client(REMOTE_ADDR="10.0.0.2")
    browser.get(reverse("live:board", args=[board.code]))  # the browser gets its id
    other = Client(REMOTE_ADDR="10.0.0.2")
    other.get(reverse("live:board", args=[board.code]))
    assert [send(browser, n) for n in range(3, 6)] == [201, 201, 429]
    assert send(other, 6) == 201  # the same address (a venue's wifi), another phone: its own count


def test_poster_is_a_pdf_with_the_code_and_a_qr_code_that_reads(client, board, organiser_of_roden, tmp_path):
    from pdfs import pdftoppm, pdftotext, read_qr_codes

    client.force_login(organiser_of_roden)
    response = client.get(reverse("live:poster", args=[board.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdftotext(response.content, tmp_path)
    assert board.code in text
    # The short address people type on a phone, then the code (the poster had only the long board address).
    assert "Scan de code, of ga naar 127.0.0.1:8000/doe-mee en typ de code" in " ".join(text.split())
    (page,) = pdftoppm(response.content, tmp_path / "pages")
    assert read_qr_codes(page) == [f"http://127.0.0.1:8000/doe-mee/{board.code}/"]
    root = PdfReader(io.BytesIO(response.content)).trailer["/Root"]
    assert root["/Lang"] == "nl" and b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


def test_personal_link_makes_votes_and_answers_theirs(client, board, roden):
    from registration.factories import RegistrationFactory

    zoe = RegistrationFactory(event=roden, name="Zoë Jansen", role="raadslid")
    response = client.get(reverse("live:from_personal_link", args=[links.personal_token(zoe), board.code]))
    assert response.status_code == 302
    page = client.get(reverse("live:board", args=[board.code]))
    assert page.context["form"].initial["role"] == "raadslid"
    key = page.context["form"].initial["idempotency_key"]
    client.post(reverse("live:board", args=[board.code]), {"text": "Meer groen", "idempotency_key": key})
    answer = Answer.objects.get()
    assert answer.registration == zoe and answer.author == f"r{zoe.pk}"
    client.post(reverse("live:vote", args=[board.code, answer.pk]))
    assert Vote.objects.get().voter == f"r{zoe.pk}"
    # "Download my data" has them; erasure keeps the answer and the vote, anonymous.
    from werkconferentie.registration.privacy import erase_email, export_person

    exported = export_person(zoe)["live_answers"]
    assert exported == {
        "answers": [{"board": board.code, "text": "Meer groen", "sent_at": answer.created_at.isoformat()}],
        "votes": [{"board": board.code, "answer": "Meer groen"}],
    }

    erase_email(zoe.email)
    answer.refresh_from_db()
    assert answer.registration is None and answer.author == "" and Vote.objects.get().voter.startswith("x")
    assert not Registration.objects.filter(pk=zoe.pk).exists()


# --- Who may open what ---------------------------------------------------------------------------------------------


def namespace_urls(namespace: str) -> list[tuple[str, tuple[str, ...]]]:
    for resolver in get_resolver().url_patterns:
        if isinstance(resolver, URLResolver) and resolver.namespace == namespace:
            return sorted((f"{namespace}:{p.name}", tuple(p.pattern.converters)) for p in resolver.url_patterns)
    return []


PUBLIC = {"live:join", "live:board", "live:screen", "live:stream", "live:cloud", "live:children"}
HOSTS = {"live:console", "live:host_stream", "live:poster", "live:export_csv", "live:export_xlsx"}
POST_ONLY = {"live:vote", "live:set_open", "live_admin:overview_action"}
LINKS = {"live:from_personal_link", "live:host_link"}
ORGANISERS = {"live_admin:overview", "live_admin:export_csv", "live_admin:export_xlsx"}
LIVE_URLS = namespace_urls("live") + namespace_urls("live_admin")
# The one answer each URL gives whoever may use it (everyone, for the public ones): the board of the walk is not a
# children's board (its children's page redirects to the board), the test client's stream ends at once (204), the
# no-script vote and the organiser's actions redirect back.
ALLOWED = {
    "live:board": 200,
    "live:children": 302,
    "live:cloud": 200,
    "live:join": 200,
    "live:screen": 200,
    "live:stream": 204,
    "live:vote": 302,
    "live:console": 200,
    "live:export_csv": 200,
    "live:export_xlsx": 200,
    "live:host_stream": 204,
    "live:poster": 200,
    "live:set_open": 302,
    "live_admin:export_csv": 200,
    "live_admin:export_xlsx": 200,
    "live_admin:overview": 200,
    "live_admin:overview_action": 302,
}


def test_every_live_url_is_classified():
    names = {name for name, _kwargs in LIVE_URLS}
    assert names == PUBLIC | HOSTS | POST_ONLY | LINKS | ORGANISERS
    assert set(ALLOWED) == names - LINKS


@pytest.fixture
def people(roden, organiser_of_roden, other_event):
    return {
        "anonymous": None,
        "plain_staff": UserFactory(username="medewerker", organiser=False),
        "other_organiser": UserFactory(username="andere", organiser_of=[other_event]),
        "organiser": organiser_of_roden,
        "superuser": UserFactory(username="beheerder", superuser=True),
    }


@pytest.mark.parametrize(("name", "kwargs"), LIVE_URLS, ids=lambda value: str(value))
def test_live_url(client, board, boards, people, answer_on, name, kwargs):
    answer = answer_on(board, "Speelplekken")
    samples = {"code": board.code, "answer_id": answer.pk, "slug": board.event.slug, "token": "x"}
    if name in LINKS:
        return  # walked in the tests above (valid, forged and revoked links)
    url = reverse(name, kwargs={key: samples[key] for key in kwargs})
    for user, account in people.items():
        client.logout()
        if account:
            client.force_login(account)
        response = client.post(url) if name in POST_ONLY else client.get(url)
        status = response.status_code
        if name in PUBLIC or name == "live:vote" or user in ("organiser", "superuser"):
            assert status == ALLOWED[name], f"{user}: {name} {status}"
        elif name.startswith("live_admin:") and user == "anonymous":
            assert status == 302 and response["Location"].startswith(reverse("admin:login")), f"{user}: {name}"
        else:  # refused: not found, so that nobody learns which boards exist
            assert status == 404, f"{user}: {name} {status}"
    # A host of another board of the same event sees nothing of this one.
    other = next(b for b in boards if b.pk != board.pk)
    host = Client()
    host.get(access.host_url(other, absolute=False))
    if name in HOSTS | {"live:set_open"}:
        response = host.post(url) if name in POST_ONLY else host.get(url)
        assert response.status_code == 404, f"host of another board: {name} {response.status_code}"
    if name.startswith("live_admin:"):  # a host link opens one board, never the organiser's pages
        response = host.post(url) if name in POST_ONLY else host.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_public_pages_answer_head_requests_as_get_without_a_body(client, board, children_board, roden):
    """Link checkers and uptime monitors ask with HEAD: the same status as GET, no body (Django drops it)."""
    pages = [
        reverse("registration:register", args=[roden.slug]),
        reverse("live:join"),
        reverse("live:board", args=[board.code]),
        reverse("live:screen", args=[board.code]),
        reverse("live:cloud", args=[board.code]),
        reverse("live:children", args=[children_board.code]),
        reverse("reference:index"),
        reverse("reference:crc_article", args=[12]),
        reverse("reference:sdg_goal", args=[16]),
        reverse("reference:municipalities"),
        reverse("reference:municipalities_json"),
    ]
    for url in pages:
        get, head = client.get(url), client.head(url)
        assert (url, head.status_code) == (url, get.status_code) and get.status_code in {200, 302}
        assert head.content == b""
