"""The live feed and idempotency through real HTTP at `werkconferentie serve` with several worker processes.

A server-sent event stream must show an answer wherever it was sent (the stream and the answer
usually land on different worker processes), and one answer sent many times at once with the same idempotency
key, and again after a restart of the server, must exist once.
"""

import json
import threading

import pytest

import served
from served import Stream, post

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


def test_an_answer_reaches_every_stream_of_its_board_only(environment, codes):
    """How fast it arrives is measured by bench/live_load.py; here: that it arrives, waited for on an event."""
    with served.server(environment, workers=2) as port:
        streams = [Stream(port, codes[0]) for _ in range(6)]  # spread over both worker processes
        other_board = Stream(port, codes[1])
        assert all(stream.wait_for_snapshot() for stream in [*streams, other_board])
        status, answer = post(port, f"/api/live/{codes[0]}/answers", {"text": "Speelplekken", "idempotency_key": "s1"})
        assert status == 201
        assert all(stream.wait_for("Speelplekken") for stream in streams)
        # A second answer, on the other board: once it is there, the first board's answer would have been too.
        status, _answer = post(port, f"/api/live/{codes[1]}/answers", {"text": "Schoolplein", "idempotency_key": "s2"})
        assert status == 201
        assert other_board.wait_for("Schoolplein")
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
