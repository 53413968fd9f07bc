"""Sign-ups per second over HTTP at a running server with several workers, against a trivial endpoint.

    .venv/bin/python bench/signup_load.py                      # starts its own server (SQLite, 3 workers)
    .venv/bin/python bench/signup_load.py --workers 2 --signups 4000 --concurrency 48
    .venv/bin/python bench/signup_load.py --url http://127.0.0.1:8000 --slug roden-2022   # a running server
    .venv/bin/python bench/signup_load.py --database-url postgres://postgres@127.0.0.1:5432/empty_db

Without --url it makes a fresh data directory, migrates, loads the example event with its registration open
and a capacity of half the sign-ups, and serves it with `werkconferentie serve` and the rate limit off. The
load comes from other processes (several, each with threads on keep-alive connections): first GET /api/events/
for the trivial endpoint, then the sign-ups, each person once. It prints both rates, their ratio, and whether
more seats were given than there were (oversold, which must be 0). A target server needs
WERKCONFERENTIE_SIGNUP_RATE=off, or the rate limit answers 429.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

EVENT_FILE = Path(__file__).resolve().parents[1] / "src/werkconferentie/events/data/roden-2022.yaml"
OPEN_EVENT = """
import datetime as dt
from django.utils import timezone
from werkconferentie.events.models import Event
event = Event.objects.get(slug="roden-2022")
event.registration_opens = None
event.registration_closes = timezone.now() + dt.timedelta(days=1)
event.capacity = {capacity}
event.save()
"""


def werkconferentie(environment: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "werkconferentie", *args], env=environment, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"werkconferentie {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


@contextmanager
def own_server(workers: int, capacity: int, database_url: str | None = None):
    """A fresh data directory with the example event, served by `werkconferentie serve`; SQLite unless a URL."""
    with tempfile.TemporaryDirectory(prefix="signup-load-") as data_dir:
        environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        if database_url:
            environment["DATABASE_URL"] = database_url
        environment.update(
            {"WERKCONFERENTIE_DATA_DIR": data_dir, "WERKCONFERENTIE_SIGNUP_RATE": "off", "UVICORN_LOG_LEVEL": "warning"}
        )
        werkconferentie(environment, "migrate", "-v0")
        werkconferentie(environment, "load-event", str(EVENT_FILE))
        werkconferentie(environment, "manage", "shell", "-c", OPEN_EVENT.format(capacity=capacity))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [sys.executable, "-m", "werkconferentie", "serve", "--workers", str(workers), "--port", str(port)]
        process = subprocess.Popen(command, env=environment, start_new_session=True)
        try:
            wait_until_up("127.0.0.1", port, process)
            yield f"http://127.0.0.1:{port}", environment
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)


def wait_until_up(host: str, port: int, process=None) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            sys.exit("the server stopped")
        try:
            connection = http.client.HTTPConnection(host, port, timeout=2)
            connection.request("GET", "/api/events/")
            if connection.getresponse().status == 200:
                time.sleep(1.5)  # the other workers start about as fast; give them a moment
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("the server did not answer within 60 s")


def request(connection, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def client_process(args: tuple) -> tuple[float, Counter, int]:
    """One load process: `threads` threads, each on its own keep-alive connection, share `jobs` requests."""
    host, port, kind, slug, run, first, jobs, threads, start_at = args
    statuses: Counter = Counter()
    confirmed = 0
    lock = threading.Lock()
    numbers = iter(range(first, first + jobs))

    def work() -> None:
        nonlocal confirmed
        connection = http.client.HTTPConnection(host, port, timeout=120)
        while True:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            if kind == "trivial":
                status, _content = request(connection, "GET", "/api/events/")
            else:
                body = json.dumps(
                    {
                        "name": f"Deelnemer {number}",
                        "email": f"p{number}.{run}@load.example",
                        "role": "raadslid",
                        "municipality": "GM1730",
                        "preferences": [],
                        "consent": True,
                    }
                ).encode()
                status, content = request(connection, "POST", f"/api/events/{slug}/registrations", body)
                if status == 201 and json.loads(content)["status"] == "confirmed":
                    with lock:
                        confirmed += 1
            with lock:
                statuses[status] += 1

    workers = [threading.Thread(target=work) for _ in range(threads)]
    time.sleep(max(0.0, start_at - time.time()))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.time(), statuses, confirmed


def drive(url: str, kind: str, slug: str, total: int, concurrency: int, processes: int) -> tuple[float, Counter, int]:
    """Send `total` requests with `concurrency` connections from `processes` processes; (rate, statuses, confirmed)."""
    parts = urlsplit(url)
    run = uuid.uuid4().hex[:8]
    start_at = time.time() + 1.0
    per_process = [total // processes + (1 if i < total % processes else 0) for i in range(processes)]
    firsts = [sum(per_process[:i]) for i in range(processes)]
    threads = max(1, concurrency // processes)
    jobs = [
        (parts.hostname, parts.port or 80, kind, slug, run, firsts[i], per_process[i], threads, start_at)
        for i in range(processes)
    ]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = pool.map(client_process, jobs)
    elapsed = max(end for end, _statuses, _confirmed in results) - start_at
    statuses = sum((statuses for _end, statuses, _confirmed in results), Counter())
    return total / elapsed, statuses, sum(confirmed for _end, _statuses, confirmed in results)


def event_seats(url: str, slug: str) -> tuple[int, int]:
    parts = urlsplit(url)
    status, content = request(
        http.client.HTTPConnection(parts.hostname, parts.port or 80), "GET", f"/api/events/{slug}"
    )
    if status != 200:
        sys.exit(f"GET /api/events/{slug}: {status}")
    event = json.loads(content)
    if not event["registration_open"]:
        sys.exit(f"registration for {slug} is closed")
    return event["capacity"], event["seats_left"]


def measure(url: str, options, environment: dict | None) -> int:
    capacity, seats_before = event_seats(url, options.slug)
    # Warm up: every worker's first requests import and connect.
    drive(url, "trivial", options.slug, 200, options.concurrency, options.processes)
    trivial_rate, trivial_statuses, _ = drive(
        url, "trivial", options.slug, options.trivial, options.concurrency, options.processes
    )
    signup_rate, signup_statuses, confirmed = drive(
        url, "signup", options.slug, options.signups, options.concurrency, options.processes
    )
    _capacity, seats_after = event_seats(url, options.slug)
    oversold = max(0, confirmed - seats_before) + max(0, -seats_after)
    if environment is not None:  # our own server: count in the database as well
        count = (
            "from werkconferentie.registration.models import Registration as R;"
            "print(R.objects.filter(event__slug='roden-2022', status='confirmed').count())"
        )
        in_database = int(werkconferentie(environment, "manage", "shell", "-c", count).split()[-1])
        oversold = max(oversold, in_database - capacity)

    print(f"target:            {url} ({options.workers if environment else '?'} workers), event {options.slug}")
    print(f"load:              {options.processes} processes, {options.concurrency} connections in all")
    print(f"trivial endpoint:  GET /api/events/  {trivial_rate:8.1f} requests/s  {dict(trivial_statuses)}")
    print(f"sign-ups:          POST registrations {signup_rate:7.1f} sign-ups/s  {dict(signup_statuses)}")
    print(f"ratio:             {signup_rate / trivial_rate:.2f} (sign-ups / trivial requests)")
    print(f"seats:             capacity {capacity}, {seats_before} free before, {seats_after} free after")
    print(f"confirmed:         {confirmed} sign-ups were given a seat")
    print(f"oversold:          {oversold}")
    errors = sum(n for status, n in signup_statuses.items() if status != 201)
    return 1 if oversold or errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (default: start one on SQLite)")
    parser.add_argument("--slug", default="roden-2022", help="event whose registration is open")
    parser.add_argument("--workers", type=int, default=3, help="uvicorn workers of the server this script starts")
    parser.add_argument("--database-url", help="an empty database for the server this script starts (default SQLite)")
    parser.add_argument("--signups", type=int, default=3000)
    parser.add_argument("--trivial", type=int, default=3000, help="requests to the trivial endpoint")
    parser.add_argument("--concurrency", type=int, default=32, help="simultaneous connections")
    parser.add_argument("--processes", type=int, default=2, help="load-generating processes")
    options = parser.parse_args()
    if options.url:
        return measure(options.url.rstrip("/"), options, None)
    with own_server(options.workers, options.signups // 2, options.database_url) as (url, environment):
        return measure(url, options, environment)


if __name__ == "__main__":
    sys.exit(main())
