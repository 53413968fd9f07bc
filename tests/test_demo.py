"""`werkconferentie demo` end to end: a real server process, real HTTP, a fresh data directory."""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str):
    request = urllib.request.Request(url, headers={"Accept-Language": "en"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode(), response.headers


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One demo for the module's tests (each start migrates, loads the example and warms the scrubber: about a
    minute); the tests only add to it, and each looks for its own traces."""
    tmp_path = tmp_path_factory.mktemp("demo")
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "WERKCONFERENTIE_SITE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env["WERKCONFERENTIE_DATA_DIR"] = str(tmp_path / "data")
    log = (tmp_path / "demo.log").open("a+")  # appending: the seek below must not make the demo overwrite it
    process = subprocess.Popen(
        [sys.executable, "-m", "werkconferentie", "demo", "--port", str(port), "--workers", "1"],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            fetch(base + "/over/")
            break
        except OSError:
            time.sleep(0.3)
    try:
        log.seek(0)
        assert process.poll() is None, "demo stopped:\n" + log.read()
        yield base, tmp_path / "data", tmp_path / "demo.log"
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:  # it must not outlive the test, whatever it was doing
            process.kill()
            process.wait(timeout=30)
        log.close()


def test_demo_serves_the_example_in_dutch_with_open_registration(demo):
    base, data_dir, _log = demo
    status, page, _headers = fetch(base + "/conferenties/roden-2022/")
    assert status == 200
    assert '<html lang="nl">' in page and "Mini-werkconferentie Kinderrechten" in page
    # The demo opens registration for the 2022 example, and the page says so instead of a date after the event.
    assert "Deze conferentie was op 22 april 2022. Aanmelden blijft open als demonstratie" in page
    assert "Aanmelden kan tot" not in page
    status, css, headers = fetch(base + "/static/werkconferentie/site.css")
    assert status == 200 and "--link" in css
    status, calendar, headers = fetch(base + "/conferenties/roden-2022/programma.ics")
    assert headers["Content-Type"].startswith("text/calendar") and "BEGIN:VTIMEZONE" in calendar
    status, admin_css, _headers = fetch(base + "/static/admin/css/base.css")
    assert status == 200
    login = (data_dir / "demo-login.txt").read_text().split()
    assert login[0] == "organisator" and len(login[1]) >= 12
    assert oct((data_dir / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_demo_login_works_in_the_back_office(demo):
    base, data_dir, _log = demo
    username, password = (data_dir / "demo-login.txt").read_text().split()
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(base + "/beheer/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/beheer/events/event/"}
    ).encode()
    request = urllib.request.Request(base + "/beheer/login/", data=data, headers={"Referer": base + "/beheer/login/"})
    page = opener.open(request).read().decode()
    assert "Mini-werkconferentie Kinderrechten" in page


def test_the_demo_links_follow_its_port(demo):
    """`demo --port N` (N is not 8000 here): the room screen's join address and QR link use port N."""
    base, _data_dir, log = demo
    port = base.rsplit(":", 1)[1]
    printed = log.read_text()
    code = re.search(rf"127\.0\.0\.1:{port}/doe-mee/([A-Z0-9]+)/", printed).group(1)
    status, screen, _headers = fetch(f"{base}/doe-mee/{code}/scherm/")
    assert status == 200
    assert f"127.0.0.1:{port}/doe-mee/" in screen  # the short join address on the screen
    assert f"http://127.0.0.1:{port}/doe-mee/{code}/" in screen  # the QR code's link
    assert "127.0.0.1:8000" not in screen


def test_the_demo_shows_sent_mail_in_the_back_office_and_one_line_each_in_the_console(demo):
    base, data_dir, log = demo
    body = {
        "name": "Anouk Demo",
        "email": "anouk.demo@example.org",
        "role": "raadslid",
        "organisation": "Provincie Drenthe",
        "preferences": [],
        "language": "nl",
        "consent": True,
    }
    request = urllib.request.Request(
        base + "/api/events/roden-2022/registrations",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
    deadline = time.monotonic() + 30
    while "mail to anouk.demo@example.org" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.3)
    printed = log.read_text()
    (line,) = [line for line in printed.splitlines() if "mail to anouk.demo@example.org" in line]
    assert "roden-2022.ics" in line and "BEGIN:VCALENDAR" not in printed
    assert "/beheer/registration/registration/dashboard/roden-2022/mail/" in printed  # the demo says where to look

    username, password = (data_dir / "demo-login.txt").read_text().split()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = opener.open(base + "/beheer/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    mail_page = "/beheer/registration/registration/dashboard/roden-2022/mail/"
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token, "next": mail_page}
    ).encode()
    page = opener.open(urllib.request.Request(base + "/beheer/login/", data=data)).read().decode()
    assert "anouk.demo@example.org" in page
    message = re.search(rf'href="({re.escape(mail_page)}\d+/)"', page).group(1)
    shown = opener.open(base + message).read().decode()
    assert "Beste Anouk Demo" in shown and "roden-2022.ics" in shown


def test_the_demo_runs_the_follow_up_job_in_its_process(demo):
    """`followup-remind --daily` beside the mail worker: its first round is in the log at once."""
    _base, _data_dir, log = demo
    deadline = time.monotonic() + 60
    while "nieuwsbrieven over ideeën" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.3)
    printed = log.read_text()
    assert "In de wachtrij gezet: 0 herinneringen." in printed, printed[-3000:]
    assert "In de wachtrij gezet: 0 nieuwsbrieven over ideeën." in printed
