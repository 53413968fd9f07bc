"""Sign-ups per second over HTTP at a running server with several workers, against a trivial endpoint.

    .venv/bin/python bench/signup_load.py                      # own server: SQLite, 2 workers x 1 thread
    .venv/bin/python bench/signup_load.py --workers 3 --duration 20 --concurrency 48
    .venv/bin/python bench/signup_load.py --python-load --signups 4000      # the pure-Python load generator
    .venv/bin/python bench/signup_load.py --url http://127.0.0.1:8000 --slug roden-2022   # a running server
    .venv/bin/python bench/signup_load.py --database-url postgres://postgres@127.0.0.1:5432/empty_db

Without --url it makes a fresh data directory, migrates, loads the example event with its registration open
and --capacity seats (1500), and serves it with `werkconferentie serve` and the rate limit off. The
load comes from `wrk` (Debian package wrk) when it is installed: a load generator in C that costs the server's
cores little, with a Lua script that gives every sign-up a new person (its own e-mail address), for
--duration seconds each. Without wrk, or with --python-load, it comes from Python processes (several, each
with threads on keep-alive connections) that send a fixed number of requests; they take much of the CPU the
server needs when both share a machine. Either way: first GET /api/events/ for the trivial endpoint, then
the sign-ups, each person once. It prints both rates, their ratio, and whether more seats were given than there
were (oversold, which must be 0: counted from the answers, and in the database when it started the server),
and for its own server the server's CPU time per request. A target server needs WERKCONFERENTIE_SIGNUP_RATE=off,
or the rate limit answers 429. When wrk stops it cuts off the requests under way; the server logs those as
"Unprocessable Entity" after the measurement (nothing is saved).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import re
import shutil
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

from serving import server_cpu_seconds, werkconferentie

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


@contextmanager
def own_server(workers: int, threads: int, capacity: int, database_url: str | None = None, interface: str = "wsgi"):
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
        command += ["--threads", str(threads), "--interface", interface]
        process = subprocess.Popen(command, env=environment, start_new_session=True)
        try:
            wait_until_up("127.0.0.1", port, process)
            yield f"http://127.0.0.1:{port}", environment, process.pid
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


# Every wrk thread numbers its own requests; with the thread's number and the run's id, each sign-up is a new
# person. Statuses and seats given are counted per thread and added up in done().
WRK_SCRIPT = r"""
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
function init(args)
  kind, run, path = args[1], args[2], args[3]
  counter, statuses, confirmed = 0, {}, 0
  headers = {["Content-Type"] = "application/json"}
end
function request()
  if kind == "trivial" then
    return wrk.format("GET", path)
  end
  counter = counter + 1
  local body = string.format(
    '{"name":"Deelnemer %d-%d","email":"p%d.%d.%s@load.example","role":"raadslid",' ..
    '"municipality":"GM1730","preferences":[],"consent":true}', id, counter, id, counter, run)
  return wrk.format("POST", path, headers, body)
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 and string.find(body, '"confirmed"', 1, true) then
    confirmed = confirmed + 1
  end
end
function done(summary, latency, requests)
  local all, seats = {}, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do all[status] = (all[status] or 0) + n end
    seats = seats + thread:get("confirmed")
  end
  local errors = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d confirmed=%d socket_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, seats, errors.connect + errors.read + errors.write, errors.timeout))
  for status, n in pairs(all) do io.write(string.format("STATUS %d %d\n", status, n)) end
end
"""


def drive_wrk(
    url: str, kind: str, slug: str, seconds: int, concurrency: int, threads: int
) -> tuple[float, Counter, int]:
    """Like `drive`, with wrk for `seconds`: (rate, statuses, confirmed). Socket errors count as status 0."""
    path = "/api/events/" if kind == "trivial" else f"/api/events/{slug}/registrations"
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        command = ["wrk", f"-t{threads}", f"-c{max(concurrency, threads)}", f"-d{seconds}s", "--timeout", "30s"]
        command += ["-s", script.name, url + path, "--", kind, uuid.uuid4().hex[:8], path]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = dict(re.findall(r"(\w+)=(\d+)", re.search(r"^RESULT .*$", output, re.M).group()))
    statuses = Counter({int(status): int(n) for status, n in re.findall(r"^STATUS (\d+) (\d+)$", output, re.M)})
    if int(result["socket_errors"]) or int(result["timeouts"]):
        statuses[0] += int(result["socket_errors"]) + int(result["timeouts"])
    return int(result["requests"]) / (int(result["duration_us"]) / 1e6), statuses, int(result["confirmed"])


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


def measured(run, process_group: int | None) -> tuple[float, Counter, int, float | None]:
    """`run()`'s (rate, statuses, confirmed), and the server's CPU milliseconds per request meanwhile."""
    before = server_cpu_seconds(process_group)
    rate, statuses, confirmed = run()
    after = server_cpu_seconds(process_group)
    requests = sum(statuses.values())
    cpu = 1000 * (after - before) / requests if before is not None and after is not None and requests else None
    return rate, statuses, confirmed, cpu


def measure(url: str, options, environment: dict | None, process_group: int | None = None) -> int:
    capacity, seats_before = event_seats(url, options.slug)
    if options.python_load:
        generator = f"Python: {options.processes} processes"
        # Warm up: every worker's first requests import and connect.
        drive(url, "trivial", options.slug, 200, options.concurrency, options.processes)
        trivial_rate, trivial_statuses, _, trivial_cpu = measured(
            lambda: drive(url, "trivial", options.slug, options.trivial, options.concurrency, options.processes),
            process_group,
        )
        signup_rate, signup_statuses, confirmed, signup_cpu = measured(
            lambda: drive(url, "signup", options.slug, options.signups, options.concurrency, options.processes),
            process_group,
        )
    else:
        generator = f"wrk: {options.wrk_threads} threads, {options.duration} s each"
        drive_wrk(url, "trivial", options.slug, 2, options.concurrency, options.wrk_threads)  # warm up
        trivial_rate, trivial_statuses, _, trivial_cpu = measured(
            lambda: drive_wrk(url, "trivial", options.slug, options.duration, options.concurrency, options.wrk_threads),
            process_group,
        )
        signup_rate, signup_statuses, confirmed, signup_cpu = measured(
            lambda: drive_wrk(url, "signup", options.slug, options.duration, options.concurrency, options.wrk_threads),
            process_group,
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

    served = f"serve --interface {options.interface} --workers {options.workers} --threads {options.threads}"
    served = served if environment else "?"
    print(f"target:            {url} ({served}), event {options.slug}")
    print(f"load:              {generator}, {options.concurrency} connections in all")
    print(f"trivial endpoint:  GET /api/events/  {trivial_rate:8.1f} requests/s  {dict(trivial_statuses)}")
    print(f"sign-ups:          POST registrations {signup_rate:7.1f} sign-ups/s  {dict(signup_statuses)}")
    print(f"ratio:             {signup_rate / trivial_rate:.2f} (sign-ups / trivial requests)")
    print(f"seats:             capacity {capacity}, {seats_before} free before, {seats_after} free after")
    print(f"confirmed:         {confirmed} sign-ups were given a seat")
    print(f"oversold:          {oversold}")
    if trivial_cpu is not None and signup_cpu is not None:
        # Unlike the rates, this hardly depends on what else runs on the machine.
        print(f"server CPU:        {trivial_cpu:.2f} ms per trivial request, {signup_cpu:.2f} ms per sign-up")
    print(f"load average:      {os.getloadavg()[0]:.1f} (other processes on the machine slow both rates)")
    errors = sum(n for status, n in signup_statuses.items() if status != 201)
    return 1 if oversold or errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (default: start one on SQLite)")
    parser.add_argument("--slug", default="roden-2022", help="event whose registration is open")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers of the server this script starts")
    parser.add_argument("--threads", type=int, default=1, help="serve --threads: threads per worker (wsgi)")
    parser.add_argument("--interface", choices=["wsgi", "asgi"], default="wsgi", help="serve --interface")
    parser.add_argument("--database-url", help="an empty database for the server this script starts (default SQLite)")
    parser.add_argument("--concurrency", type=int, default=32, help="simultaneous connections")
    parser.add_argument("--capacity", type=int, default=1500, help="seats of the event of the server it starts")
    parser.add_argument("--duration", type=int, default=10, help="wrk: seconds for each of the two rates")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk: threads")
    parser.add_argument("--python-load", action="store_true", help="the Python load generator, even if wrk is there")
    parser.add_argument("--signups", type=int, default=3000, help="Python load: sign-ups")
    parser.add_argument("--trivial", type=int, default=3000, help="Python load: requests to the trivial endpoint")
    parser.add_argument("--processes", type=int, default=2, help="Python load: load-generating processes")
    options = parser.parse_args()
    if not options.python_load and shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk): the Python load generator", file=sys.stderr)
        options.python_load = True
    if options.url:
        return measure(options.url.rstrip("/"), options, None)
    server = own_server(options.workers, options.threads, options.capacity, options.database_url, options.interface)
    with server as (url, environment, process_group):
        return measure(url, options, environment, process_group)


if __name__ == "__main__":
    sys.exit(main())
