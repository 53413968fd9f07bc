"""The scrub service: one process holds deduce for every web worker, which send it pieces of text."""

import json
import socket
import subprocess
import sys
import time

import pytest

from werkconferentie.live import scrub as scrub_module
from werkconferentie.live import scrub_service
from werkconferentie.live.scrub import scrub

# The second sentence, as a child wrote it on the demo, gave deduce offsets that JSON could not take (numpy's int64).
TEXT = "Ik ben Jan de Vries, ik woon in de Kerkstraat 12 in Roden. Ik ben Sanne de Vries en woon op de Brink 5."


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """A real service process on a socket of its own, with deduce loaded (skipped where deduce cannot load)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(scrub_module, "_enabled_override", True)
        if scrub_module.load_deduce() is None:
            pytest.skip("deduce cannot be loaded here")
    path = tmp_path_factory.mktemp("scrub") / "scrub.sock"
    process = subprocess.Popen([sys.executable, "-m", "werkconferentie.live.scrub_service", str(path)])
    try:
        yield path
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def through(monkeypatch):
    """This process scrubs as a worker under `serve` does: through the service at `path` (its own deduce unused)."""

    def use(path):
        monkeypatch.setenv(scrub_service.SOCKET_ENV_VAR, str(path))
        monkeypatch.setattr(scrub_module, "_enabled_override", True)
        monkeypatch.setattr(scrub_module, "_deduce", None)
        monkeypatch.setattr(scrub_module, "_deduce_failed", False)

    return use


def ask(path, line: bytes) -> dict:
    with socket.socket(socket.AF_UNIX) as connection:
        connection.settimeout(scrub_service.TIMEOUT_SECONDS)
        connection.connect(str(path))
        connection.sendall(line)
        with connection.makefile("rb") as answers:
            return json.loads(answers.readline())


def test_a_worker_scrubs_through_the_service_as_with_deduce_of_its_own(service, through):
    local = scrub(TEXT)  # this process's own deduce (loaded by the fixture)
    # deduce's own findings, not only the end result (which the regex layer alone might give as well):
    spans = sorted(scrub_module._deduce_spans(TEXT, scrub_module.load_deduce()))  # deduce gives a set: sort
    assert spans and sorted(scrub_module._deduce_spans(TEXT, scrub_service.RemoteDeduce(service))) == spans
    through(service)
    remote = scrub(TEXT)
    assert isinstance(scrub_module._deduce, scrub_service.RemoteDeduce)
    assert remote == local
    assert "[naam]" in remote.text and "[adres]" in remote.text and "Roden" in remote.text


def test_bad_requests_get_an_error_and_the_service_goes_on(service):
    assert "error" in ask(service, b"not json\n")
    assert "error" in ask(service, json.dumps({"text": "x" * (scrub_module.DEDUCE_CHUNK + 1)}).encode() + b"\n")
    assert "error" in ask(service, json.dumps({"text": 12}).encode() + b"\n")
    answer = ask(service, json.dumps({"text": "Groetjes van Sanne Jansen"}).encode() + b"\n")
    assert any(tag.startswith("persoon") for _start, _end, tag in answer["annotations"])


def test_without_the_service_the_regex_layer_still_scrubs(tmp_path, through, monkeypatch):
    monkeypatch.setattr(scrub_service, "START_SECONDS", 0.2)
    through(tmp_path / "nobody-listens.sock")
    result = scrub("Bel 0612345678 of mail sanne@school.nl, groetjes Noah")
    assert result.text == "Bel [telefoon] of mail [e-mail], groetjes [naam]"


def test_a_long_data_directory_gets_a_short_socket_path(tmp_path):
    assert scrub_service.socket_path(tmp_path / "data") == tmp_path / "data" / "scrub.sock"
    long = scrub_service.socket_path(tmp_path / ("x" * 120))
    assert len(str(long)) < 100 and long.parent.is_dir()


def test_the_service_starts_waiting_and_a_worker_waits_for_its_socket(tmp_path):
    path = tmp_path / "late.sock"
    remote = scrub_service.RemoteDeduce(path)
    process = subprocess.Popen([sys.executable, "-m", "werkconferentie.live.scrub_service", str(path)])
    try:
        # Before the socket exists the worker waits for it (up to START_SECONDS) instead of failing at once.
        # An answer, if an error one: the service was reached. A worker that gave up would raise another error.
        with pytest.raises(RuntimeError, match="text"):
            remote.deidentify("x" * (scrub_module.DEDUCE_CHUNK + 1))
    finally:
        process.terminate()
        process.wait(10)


def test_serve_keeps_the_service_running(tmp_path):
    """A service that ends (a crash, the out-of-memory killer) is started again; stop() ends it for good."""
    import os

    path = tmp_path / "kept.sock"
    supervised = scrub_service.Supervised(path, dict(os.environ)).start()
    remote = scrub_service.RemoteDeduce(path)
    too_long = "x" * (scrub_module.DEDUCE_CHUNK + 1)
    try:
        with pytest.raises(RuntimeError, match="text"):  # an answer: the service is there
            remote.deidentify(too_long)
        first = supervised.process
        first.kill()
        first.wait()
        with pytest.raises(RuntimeError, match="text"):  # answered again, by a new process
            remote.deidentify(too_long)
        assert supervised.process is not first and supervised.restarts == 1
    finally:
        supervised.stop()
    assert supervised.process.poll() is not None
    # stop() waited for the watcher to end: nothing can start another service any more.
    assert not supervised.watching()
    assert supervised.restarts == 1


def test_a_service_that_cannot_start_is_tried_ever_less_often(tmp_path):
    import os

    supervised = scrub_service.Supervised(tmp_path / "no-such-directory" / "x.sock", dict(os.environ)).start()
    try:
        # It ends at once each time; wait (on its count, up to a generous minute) until it was started twice more.
        deadline = time.monotonic() + 60
        while supervised.restarts < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert supervised.restarts >= 2
        # Each wait before starting it again was twice the one before: 1 s, then 2 s (then 4 s, … up to 60 s).
        assert supervised.delays[:2] == [1.0, 2.0]
    finally:
        supervised.stop()


def test_a_service_loads_deduce_when_it_starts_and_says_when_it_is_ready(tmp_path):
    """serve waits for this before it starts the web server: the first child's idea then waits for nothing."""
    import os

    supervised = scrub_service.Supervised(tmp_path / "ready.sock", dict(os.environ)).start()
    try:
        assert supervised.wait_ready(120), scrub_service.ask_ready(supervised.path)
        annotations = (
            scrub_service.RemoteDeduce(supervised.path).deidentify("Sanne Jansen wil een speeltuin").annotations
        )
        assert any(a.tag.startswith("persoon") for a in annotations)
    finally:
        supervised.stop()


def test_a_just_started_server_has_deduce_loaded_for_the_first_idea(tmp_path):
    """The whole way: `werkconferentie serve` says it is up only when a child's first idea need not wait for deduce
    (how long the first idea takes is no test's business; that deduce is loaded when serve answers, is)."""
    import http.client

    import served

    with served.example_environment(tmp_path, {"SECRET_KEY": "scrub"}) as environment:
        rows = json.loads(served.werkconferentie(environment, "live-codes", "roden-2022", "--json", "--open"))
        code = next(row["code"] for row in rows if row["workshop"] == "Kinderen en jongeren")
        with served.server(environment, workers=1) as port:
            socket = scrub_service.socket_path(environment["WERKCONFERENTIE_DATA_DIR"])
            assert scrub_service.ask_ready(socket).get("ready") is True
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            body = {"text": "Sanne Jansen wil een grotere speeltuin in Roden", "idempotency_key": "first"}
            connection.request(
                "POST", f"/api/live/{code}/answers", json.dumps(body), {"Content-Type": "application/json"}
            )
            response = connection.getresponse()
            answer = json.loads(response.read())
    assert response.status == 201, answer
    assert answer["text"] == "[naam] wil een grotere speeltuin in Roden"  # deduce's work: no cue before the name
