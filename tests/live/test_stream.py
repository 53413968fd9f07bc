"""The live feed and idempotency through real HTTP at `werkconferentie serve` with several worker processes.

A server-sent event stream must show an answer within a second wherever it was sent (the stream and the answer
usually land on different worker processes), and one answer sent many times at once with the same idempotency
key, and again after a restart of the server, must exist once.
"""

import http.client
import json
import socket
import threading
import time

import pytest

import served

pytestmark = pytest.mark.slow

COUNT = """
from werkconferentie.live.models import Answer
print(Answer.objects.filter(idempotency_key="same-key").count())
"""


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    extra = {"WERKCONFERENTIE_LIVE_RATE": "off", "WERKCONFERENTIE_LIVE_ADDRESS_RATE": "off", "SECRET_KEY": "live-test"}
    with served.example_environment(tmp_path_factory.mktemp("live"), extra) as environment:
        yield environment


@pytest.fixture(scope="module")
def codes(environment) -> list[str]:
    rows = json.loads(served.werkconferentie(environment, "live-codes", "roden-2022", "--open", "--json"))
    return [row["code"] for row in rows if row["round"] == 1]


class Stream:
    """One EventSource-like reader on a thread: the events it got, with the time each arrived."""

    def __init__(self, port: int, code: str):
        self.events: list[tuple[float, str, dict]] = []
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.connection.request("GET", f"/doe-mee/{code}/stream", headers={"Accept": "text/event-stream"})
        self.response = self.connection.getresponse()
        assert self.response.status == 200 and self.response.getheader("Content-Type").startswith("text/event-stream")
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        kind, data = None, []
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: "):
                    data.append(line[6:])
                elif line == "" and kind:
                    self.events.append((time.monotonic(), kind, json.loads("".join(data))))
                    kind, data = None, []
        except (OSError, ValueError, AttributeError):  # closed under the reader
            pass

    def texts(self) -> set[str]:
        return {answer["text"] for _at, _kind, data in self.events for answer in data.get("answers", [])}

    def wait_for(self, text: str, timeout: float = 5.0) -> float | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for at, _kind, data in list(self.events):
                if any(answer["text"] == text for answer in data.get("answers", [])):
                    return at
            time.sleep(0.01)
        return None

    def close(self):
        # Shut the socket first: a plain close() waits for the reader thread's read, up to the next keep-alive.
        if self.connection.sock is not None:
            self.connection.sock.shutdown(socket.SHUT_RDWR)
        self.connection.close()


def post(port: int, path: str, body: dict) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    return response.status, json.loads(response.read() or b"{}")


def test_an_answer_reaches_every_stream_within_a_second(environment, codes):
    with served.server(environment, workers=2) as port:
        streams = [Stream(port, codes[0]) for _ in range(6)]  # spread over both worker processes
        other_board = Stream(port, codes[1])
        time.sleep(1.0)
        assert all(any(kind == "snapshot" for _at, kind, _data in stream.events) for stream in streams)
        sent = time.monotonic()
        status, answer = post(port, f"/api/live/{codes[0]}/answers", {"text": "Speelplekken", "idempotency_key": "s1"})
        assert status == 201
        delays = [stream.wait_for("Speelplekken") for stream in streams]
        assert all(delay is not None for delay in delays), delays
        assert max(delay - sent for delay in delays) < 1.0
        assert "Speelplekken" not in other_board.texts()
        for stream in [*streams, other_board]:
            stream.close()


def test_the_same_answer_many_times_at_once_and_after_a_restart_exists_once(environment, codes):
    body = {"text": "Eén antwoord, vaak verstuurd", "idempotency_key": "same-key"}
    results: list[int] = []
    with served.server(environment, workers=2) as port:
        barrier = threading.Barrier(20)

        def send():
            barrier.wait()
            results.append(post(port, f"/api/live/{codes[2]}/answers", body))

        threads = [threading.Thread(target=send) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    statuses = sorted(status for status, _answer in results)
    assert statuses == [200] * 19 + [201], statuses
    assert len({answer["id"] for _status, answer in results}) == 1
    with served.server(environment, workers=2) as port:  # a restarted server
        status, again = post(port, f"/api/live/{codes[2]}/answers", body)
        assert status == 200 and again["id"] == results[0][1]["id"]
    assert served.werkconferentie(environment, "manage", "shell", "-c", COUNT).strip().splitlines()[-1] == "1"
