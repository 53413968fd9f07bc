"""The public progress overview under many readers: 342 municipalities with 10 commitments each, on SQLite.

    .venv/bin/python bench/followup_progress.py                         # 200 readers, 20 s, 2 workers
    .venv/bin/python bench/followup_progress.py --readers 50 --duration 5          # a quick check
    .venv/bin/python bench/followup_progress.py --think 2               # each reader pauses 2 s between pages

It makes a fresh data directory, migrates, loads the example event, gives each of --municipalities current
municipalities 10 commitments (9 public) with two changes each, and serves it with `werkconferentie serve`
(SQLite). First it counts the queries of one overview request, rendered and kept (Django's
CaptureQueriesContext in a separate process on the same database). Then --readers keep-alive connections
(asyncio, one client process on the same cores) each GET the overview one after the other for --duration
seconds, pausing about --think seconds between pages (from half to one and a half times it; each reader starts
at a random moment within the first pause, so they do not come in waves). --think 0: as fast as the server
answers, which measures its capacity: with every reader always waiting, the time per request is readers /
throughput (Little's law), whatever the page costs. It prints the requests per second, the 50th, 95th and 99th
percentile of the time per request, the statuses, the server's CPU per request, and the load average before
it started.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from serving import free_port, server_cpu_seconds, werkconferentie

EVENT_FILE = Path(__file__).resolve().parents[1] / "src/werkconferentie/events/data/roden-2022.yaml"
SLUG = "roden-2022"

FILL = """
from django.db import transaction
from werkconferentie.events.models import Event
from werkconferentie.followup.enums import CommitmentStatus
from werkconferentie.followup.models import Commitment, CommitmentChange
from werkconferentie.live.tagging import POLICY_AREA_KEYS
from werkconferentie.reference.models import Municipality

event = Event.objects.get(slug="{slug}")
statuses = CommitmentStatus.values
chosen = list(Municipality.objects.current().order_by("pk")[:{municipalities}])
with transaction.atomic():
    commitments = Commitment.objects.bulk_create(
        [
            Commitment(
                event=event, municipality=m, number=n, title=f"Afspraak {{n}} van {{m.name}}",
                status=statuses[(i + n) % len(statuses)], status_note="Stand van zaken: besproken in de raad.",
                progress=(i * n) % 101, target_date=event.date, is_public=n != 10,
                policy_areas=[POLICY_AREA_KEYS[(i + n) % len(POLICY_AREA_KEYS)]],
            )
            for i, m in enumerate(chosen) for n in range(1, 11)
        ],
        batch_size=500,
    )
    CommitmentChange.objects.bulk_create(
        [
            CommitmentChange(
                event=event, commitment=c, municipality_id=c.municipality_id, commitment_label=c.title,
                action=action, changes={{"status": ["openstaand", c.status]}} if action == "update" else {{}},
            )
            for c in commitments for action in ("create", "update")
        ],
        batch_size=500,
    )
print(len(chosen), len(commitments))
"""

COUNT = """
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from django.core.cache import cache

client = Client(HTTP_HOST="127.0.0.1")
url = "/conferenties/{slug}/voortgang/"
assert client.get(url).status_code == 200
counts = []
for kept in (False, True):  # rendering the overview, then the page kept in the cache
    if not kept:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    counts.append(len(captured))
print(counts[0], counts[1], len(response.content))
"""


def wait_until_up(port: int, process: subprocess.Popen, path: str) -> None:
    import http.client

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("the server stopped")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                time.sleep(1.5)  # the other workers start about as fast; give them a moment
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("the server did not answer within 60 s")


async def reader(port: int, path: str, stop_at: float, think: float, times: list[float], statuses: Counter) -> None:
    reader_stream, writer = await asyncio.open_connection("127.0.0.1", port)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: nl\r\n\r\n".encode()
    try:
        if think:  # independent readers: each starts at its own moment, not all in one wave
            await asyncio.sleep(random.uniform(0, think))
        while time.monotonic() < stop_at:
            started = time.monotonic()
            writer.write(request)
            await writer.drain()
            status_line = await reader_stream.readline()
            length = 0
            while True:
                line = await reader_stream.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            await reader_stream.readexactly(length)
            times.append(time.monotonic() - started)
            statuses[int(status_line.split()[1])] += 1
            if think:
                await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))
    finally:
        writer.close()


async def load(port: int, path: str, readers: int, duration: float, think: float) -> tuple[list[float], Counter]:
    times: list[float] = []
    statuses: Counter = Counter()
    stop_at = time.monotonic() + duration
    await asyncio.gather(*(reader(port, path, stop_at, think, times, statuses) for _ in range(readers)))
    return times, statuses


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=200, help="concurrent readers (keep-alive connections)")
    parser.add_argument("--duration", type=float, default=20, help="seconds of load")
    parser.add_argument("--think", type=float, default=0, help="seconds each reader waits between pages")
    parser.add_argument("--municipalities", type=int, default=342)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers of the server")
    parser.add_argument("--threads", type=int, default=1, help="serve --threads")
    parser.add_argument("--warmup", type=float, default=15, help="seconds to let every worker start")
    options = parser.parse_args()

    load_before = os.getloadavg()
    path = f"/conferenties/{SLUG}/voortgang/"
    with tempfile.TemporaryDirectory(prefix="followup-progress-") as data_dir:
        environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        environment.update({"WERKCONFERENTIE_DATA_DIR": data_dir, "UVICORN_LOG_LEVEL": "warning"})
        werkconferentie(environment, "migrate", "-v0")
        werkconferentie(environment, "load-event", str(EVENT_FILE))
        fill = FILL.format(slug=SLUG, municipalities=options.municipalities)
        # The last line is the script's (the shell may print a line of its own first).
        made = werkconferentie(environment, "manage", "shell", "-c", fill).splitlines()[-1].split()
        counted = werkconferentie(environment, "manage", "shell", "-c", COUNT.format(slug=SLUG))
        rendering, kept, size = counted.splitlines()[-1].split()
        port = free_port()
        command = [sys.executable, "-m", "werkconferentie", "serve", "--workers", str(options.workers)]
        command += ["--threads", str(options.threads), "--port", str(port)]
        process = subprocess.Popen(command, env=environment, start_new_session=True)
        try:
            wait_until_up(port, process, path)
            # Every worker up and warm (each loads the de-identification model at start): a light load first.
            time.sleep(options.warmup)
            asyncio.run(load(port, path, 4, 2, 0))
            cpu_before = server_cpu_seconds(process.pid)
            started = time.monotonic()
            times, statuses = asyncio.run(load(port, path, options.readers, options.duration, options.think))
            elapsed = time.monotonic() - started
            cpu_after = server_cpu_seconds(process.pid)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()
    print(f"data:              {made[0]} municipalities, {made[1]} commitments (9 of 10 public), 2 changes each")
    print(f"server:            serve --workers {options.workers} --threads {options.threads}, SQLite")
    print(f"queries:           {rendering} per overview request, {kept} when kept ({int(size) // 1024} KiB of HTML)")
    print(f"load:              {options.readers} readers, {options.duration:.0f} s, think {options.think} s")
    print(f"requests:          {len(times)} ({len(times) / elapsed:.1f}/s), statuses {dict(statuses)}")
    if times:
        print(
            "time per request:  "
            f"p50 {percentile(times, 0.5) * 1000:.0f} ms, p95 {percentile(times, 0.95) * 1000:.0f} ms, "
            f"p99 {percentile(times, 0.99) * 1000:.0f} ms"
        )
    if cpu_before is not None and cpu_after is not None and times:
        print(f"server CPU:        {(cpu_after - cpu_before) * 1000 / len(times):.1f} ms per request")
    print(f"load average:      {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} (before the run)")
    return 0 if statuses and set(statuses) == {200} else 1


if __name__ == "__main__":
    sys.exit(main())
