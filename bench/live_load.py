"""Viewers held on the live boards' event streams while answers come in: rate, lost answers, time to be seen.

    .venv/bin/python bench/live_load.py                                    # own server: 1000 viewers, 100 answers/s
    .venv/bin/python bench/live_load.py --viewers 50 --rate 20 --duration 5            # a quick check
    .venv/bin/python bench/live_load.py --boards 1                         # everyone on one board
    .venv/bin/python bench/live_load.py --viewers 500 --workers 3 --threads 4
    .venv/bin/python bench/live_load.py --url http://127.0.0.1:8000 --code ABC123,DEF456   # a running server
    .venv/bin/python bench/live_load.py --database-url postgres://postgres@127.0.0.1:5432/empty_db
    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/live_load.py     # the server inherits this environment

Without --url it makes a fresh data directory, migrates, loads the example event, opens its boards
(`werkconferentie live-codes roden-2022 --open --json`) and serves it with `werkconferentie serve` and the rate
limit on answers off (a target server needs WERKCONFERENTIE_LIVE_RATE=off and WERKCONFERENTIE_LIVE_ADDRESS_RATE=off
too, or it answers 429).

Viewers and answers are spread evenly over --boards workshop boards. The viewers connect --batch at a time and
the load starts when every one has its snapshot. Then --submitters keep-alive connections POST --rate answers
per second in all, paced (an answer that finds every connection busy waits, and its time starts when it is
sent), for --duration seconds. Every answer's text carries a marker `LT-<run>-<seq>-`; every viewer reads its
whole stream (TCP backpressure would stall the server otherwise) and scans the bytes for markers, noting when
it first saw each. A viewer whose stream ends or breaks reconnects after the server's retry (2 s), as a browser
does, and counts as dropped. After the load it waits up to --grace seconds for the stragglers.

It prints the viewers held, the answers per second that got a 201, the answers lost (a 201 that a viewer of
that board holding its stream at the end never saw; must be 0), and the time from sending an answer to a
viewer seeing it, over all (answer, viewer) pairs. The client runs on the same cores as the server: its own
CPU share is printed too, as its event loop's lag adds to the times. For its own server it prints the
server's CPU per answer (from /proc, all processes of its group) and the memory of its processes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from serving import free_port, server_cpu_seconds, server_memory_mib, werkconferentie

EVENT_FILE = Path(__file__).resolve().parents[1] / "src/werkconferentie/events/data/roden-2022.yaml"
EVENT = "roden-2022"
RECONNECT_SECONDS = 2.0  # the server's "retry: 2000"
# Words for the answers' texts, so that they look like answers (the server looks for duplicates of each).
WORDS = """
speelplekken jongerenwerk schoolplein armoede jeugdzorg wachtlijsten sport vereniging bibliotheek fietspad
huiswerkbegeleiding stage inspraak gemeenteraad kinderraad wijk buurthuis groen veiligheid verlichting
bushalte ontmoetingsplek zwembad muziekles cultuur mentale gezondheid pesten ouders school leraren vrijwilligers
taalles nieuwkomers participatie inclusie toegankelijk gratis betaalbaar wonen starters skatebaan natuur
""".split()


# --- Our own server -------------------------------------------------------------------------------------------


def raise_open_files_limit() -> int:
    """Thousands of sockets: up to the hard limit, here and (inherited) in the server we start."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


@contextmanager
def own_server(workers: int, threads: int, database_url: str | None):
    """A fresh data directory with the example event's boards open, served by `werkconferentie serve`.

    Yields (url, workshop board codes, process group, log file); the group is killed and the directory removed
    however the run ends.
    """
    with tempfile.TemporaryDirectory(prefix="live-load-", ignore_cleanup_errors=True) as data_dir:
        environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        if database_url:
            environment["DATABASE_URL"] = database_url
        environment.update(
            {
                "WERKCONFERENTIE_DATA_DIR": data_dir,
                "WERKCONFERENTIE_LIVE_RATE": "off",
                "WERKCONFERENTIE_LIVE_ADDRESS_RATE": "off",  # every simulated phone comes from 127.0.0.1
                "WERKCONFERENTIE_SIGNUP_RATE": "off",
                "UVICORN_LOG_LEVEL": "warning",
            }
        )
        werkconferentie(environment, "migrate", "-v0")
        werkconferentie(environment, "load-event", str(EVENT_FILE))
        rows = json.loads(werkconferentie(environment, "live-codes", EVENT, "--open", "--json"))
        codes = [row["code"] for row in rows if row["round"] is not None and row["open"]]  # workshop boards
        port = free_port()
        command = [sys.executable, "-m", "werkconferentie", "serve", "--workers", str(workers), "--port", str(port)]
        command += ["--threads", str(threads)]
        log_path = Path(tempfile.mkstemp(prefix="live-load-server-", suffix=".log")[1])
        with open(log_path, "wb") as log:
            process = subprocess.Popen(command, env=environment, stdout=log, stderr=log, start_new_session=True)
        try:
            wait_until_up("127.0.0.1", port, process, log_path)
            yield f"http://127.0.0.1:{port}", codes, process.pid, log_path
        finally:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(20)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


def wait_until_up(host: str, port: int, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            print_log_tail(log_path)
            sys.exit("the server stopped")
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/api/events/", timeout=2) as response:
                if response.status == 200:
                    time.sleep(1.5)  # the other workers start about as fast; give them a moment
                    return
        except OSError:
            pass
        time.sleep(0.2)
    print_log_tail(log_path)
    sys.exit("the server did not answer within 60 s")


def print_log_tail(log_path: Path | None, lines: int = 40) -> None:
    if log_path is None or not log_path.exists() or not log_path.stat().st_size:
        return
    tail = log_path.read_text(errors="replace").splitlines()[-lines:]
    print(f"--- last {len(tail)} lines of the server's log ({log_path}) ---", file=sys.stderr)
    print("\n".join(tail), file=sys.stderr)


# --- Viewers --------------------------------------------------------------------------------------------------


class Viewer(asyncio.Protocol):
    """One event stream, read as it comes (a protocol, no coroutine per read: thousands must stay cheap).

    Notes the loop time at which each answer marker first appears; the bytes are scanned, not parsed as JSON.
    """

    TAIL = 40  # bytes kept from the previous read, so that a marker cut in two is still found

    def __init__(self, run: Run, number: int, board: int):
        self.run, self.number, self.board = run, number, board
        self.seen: dict[int, float] = {}
        self.transport: asyncio.Transport | None = None
        self.state = "closed"  # connecting, headers, snapshot, live, closed
        self.buffer = b""
        self.snapshot_at: float | None = None
        self.connects = self.drops = self.refusals = 0
        self.bytes = 0
        self.ready = asyncio.Event()  # set when it has its snapshot, or has given up for now
        self.stopping = False

    async def connect(self) -> None:
        if self.stopping:
            return
        self.state, self.buffer = "connecting", b""
        self.ready.clear()
        self.connects += 1
        try:
            await self.run.loop.create_connection(lambda: self, self.run.host, self.run.port)
        except OSError:
            self.refusals += 1
            self.closed()

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.state = "headers"
        transport.write(self.run.stream_requests[self.board])

    def data_received(self, data: bytes) -> None:
        now = self.run.loop.time()
        self.bytes += len(data)
        if self.state == "live":
            chunk = self.buffer + data
            self.note(chunk, now)
            self.buffer = chunk[-self.TAIL :]
            # The server ends a stream that fell behind with the last chunk of the chunked body.
            if chunk.endswith(b"\r\n0\r\n\r\n"):
                self.drop()
            return
        self.buffer += data
        if self.state == "headers":
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            status_line = head.split(b"\r\n", 1)[0]
            if b" 200 " not in status_line + b" " or b"text/event-stream" not in head.lower():
                self.refusals += 1
                self.run.refused_statuses[status_line.decode(errors="replace")] += 1
                self.state = "refused"
                self.transport.close()
                return
            self.state = "snapshot"
        if self.state == "snapshot":
            start = self.buffer.find(b"event: snapshot")
            if start < 0 or self.buffer.find(b"\n\n", start) < 0:
                return
            self.note(self.buffer, now)  # answers sent while it was away arrive in the snapshot
            self.buffer = self.buffer[-self.TAIL :]
            self.snapshot_at = now
            self.state = "live"
            self.ready.set()

    def note(self, chunk: bytes, now: float) -> None:
        seen = self.seen
        for found in self.run.marker.finditer(chunk):
            sequence = int(found.group(1))
            if sequence not in seen:
                seen[sequence] = now

    def drop(self) -> None:
        if self.state == "live" and not self.stopping:
            self.drops += 1
        self.state = "ended"
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc) -> None:
        if self.state == "live" and not self.stopping:
            self.drops += 1
        elif self.state in ("headers", "snapshot", "connecting") and not self.stopping:
            self.refusals += 1
        self.closed()

    def eof_received(self):
        return False  # close

    def closed(self) -> None:
        self.state, self.transport = "closed", None
        self.ready.set()
        if not self.stopping and self.run.reconnect:
            self.run.loop.call_later(RECONNECT_SECONDS, lambda: self.run.loop.create_task(self.connect()))

    @property
    def holding(self) -> bool:
        return self.state == "live"

    def stop(self) -> None:
        self.stopping = True
        if self.transport is not None:
            self.transport.close()


# --- Submitters -----------------------------------------------------------------------------------------------


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """(status, body, keep-alive) of one HTTP/1.1 response with a Content-Length."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, body, headers.get("connection", "").lower() != "close"


async def submitter(run: Run, queue: asyncio.Queue, warm_up: bool = False) -> None:
    """One keep-alive connection that sends the answers the pacer puts in the queue, one at a time.

    Answers still waiting when run.send_until has passed are not sent: the server fell too far behind. Warm-up
    answers carry no marker and are not counted.
    """
    reader = writer = None
    while True:
        item = await queue.get()
        if item is None:
            break
        sequence, due = item
        if not warm_up and run.loop.time() > run.send_until:
            run.not_sent += 1
            continue
        board = sequence % len(run.codes)
        words = " ".join(random.choices(WORDS, k=random.randint(3, 7)))
        text = f"warm-up {words}" if warm_up else f"LT-{run.id}-{sequence}- {words}"
        key = f"{run.id}-{'w' if warm_up else ''}{sequence}"
        body = json.dumps({"text": text, "idempotency_key": key}, separators=(",", ":")).encode()
        request = (
            f"POST /api/live/{run.codes[board]}/answers HTTP/1.1\r\nHost: {run.host}:{run.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(run.host, run.port)
            sent = run.loop.time()
            writer.write(request)
            if not warm_up:
                run.start_lags.append(sent - due)
            status, content, keep_alive = await asyncio.wait_for(read_response(reader), run.timeout)
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError, IndexError) as error:
            (run.warm_up_statuses if warm_up else run.statuses)[f"error {type(error).__name__}"] += 1
            if writer is not None:
                writer.close()
            reader = writer = None
            continue
        if warm_up:
            run.warm_up_statuses[status] += 1
            continue
        run.answered_at = run.loop.time()
        run.statuses[status] += 1
        run.response_times.append(run.answered_at - sent)
        if status == 201:
            answer = json.loads(content)
            if answer.get("status") == "visible":
                run.submitted[sequence] = (sent, board)
            else:
                run.not_visible += 1  # a moderated board: nobody sees it until a host lets it through
        if not keep_alive:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def pacer(run: Run, queue: asyncio.Queue, rate: float, duration: float) -> int:
    """Hands out answer numbers at `rate` per second, evenly; returns how many."""
    start = run.loop.time()
    sequence = 0
    while True:
        due = start + sequence / rate
        if due - start >= duration:
            return sequence
        delay = due - run.loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((sequence, due))
        sequence += 1


# --- The run --------------------------------------------------------------------------------------------------


class Run:
    def __init__(self, url: str, codes: list[str], options):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.codes = codes
        self.id = uuid.uuid4().hex[:8]
        self.marker = re.compile(rb"LT-" + self.id.encode() + rb"-(\d+)-")
        self.reconnect = not options.no_reconnect
        self.timeout = 30.0
        self.loop = asyncio.get_running_loop()
        self.stream_requests = [
            (
                f"GET /doe-mee/{code}/stream HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                "Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
            ).encode()
            for code in codes
        ]
        self.viewers = [Viewer(self, number, number % len(codes)) for number in range(options.viewers)]
        self.statuses: Counter = Counter()
        self.refused_statuses: Counter = Counter()
        self.submitted: dict[int, tuple[float, int]] = {}  # sequence -> (loop time sent, board)
        self.response_times: list[float] = []
        self.not_visible = self.not_sent = 0
        self.answered_at = 0.0
        self.send_until = float("inf")
        self.start_lags: list[float] = []  # seconds an answer waited for a free connection after it was due
        self.warm_up_statuses: Counter = Counter()

    async def warm_up(self, answers: int, connections: int = 4) -> None:
        """A few answers first, not measured: each server process loads what it loads on its first answers."""
        queue: asyncio.Queue = asyncio.Queue()
        for sequence in range(answers):
            queue.put_nowait((sequence, 0.0))
        for _ in range(connections):
            queue.put_nowait(None)
        await asyncio.gather(*(submitter(self, queue, warm_up=True) for _ in range(connections)))

    async def connect_viewers(self, batch: int) -> float:
        """Connect the viewers `batch` at a time, each batch once it has its snapshots; seconds it took."""
        started = time.monotonic()
        for first in range(0, len(self.viewers), batch):
            group = self.viewers[first : first + batch]
            await asyncio.gather(*(viewer.connect() for viewer in group))
            try:
                await asyncio.wait_for(asyncio.gather(*(viewer.ready.wait() for viewer in group)), 60)
            except TimeoutError:
                pass
        # Those refused get one more chance (they reconnect by themselves) before the load starts.
        deadline = time.monotonic() + 2 * RECONNECT_SECONDS + 5
        while time.monotonic() < deadline and not all(viewer.holding for viewer in self.viewers):
            await asyncio.sleep(0.2)
        return time.monotonic() - started

    def by_board(self) -> list[set[int]]:
        sequences: list[set[int]] = [set() for _ in self.codes]
        for sequence, (_sent, board) in self.submitted.items():
            sequences[board].add(sequence)
        return sequences

    def unseen(self) -> int:
        """(answer, viewer) pairs not seen yet, over the viewers that hold their stream."""
        sequences = self.by_board()
        return sum(len(sequences[viewer.board].difference(viewer.seen)) for viewer in self.viewers if viewer.holding)


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(share * len(values)))] if values else float("nan")


async def measure(url: str, codes: list[str], options, process_group: int | None) -> dict:
    run = Run(url, codes, options)
    connect_seconds = await run.connect_viewers(options.batch)
    held_before = sum(viewer.holding for viewer in run.viewers)

    if options.warm_up:
        await run.warm_up(options.warm_up)
        await asyncio.sleep(1)  # their updates reach the viewers before the measurement starts

    cpu_before, client_before = server_cpu_seconds(process_group), resource.getrusage(resource.RUSAGE_SELF)
    queue: asyncio.Queue = asyncio.Queue()
    submitters = [asyncio.create_task(submitter(run, queue)) for _ in range(options.submitters)]
    start = run.loop.time()
    run.send_until = start + options.duration + options.late
    planned = await pacer(run, queue, options.rate, options.duration)
    for _ in submitters:
        queue.put_nowait(None)
    await asyncio.gather(*submitters)
    load_end = run.loop.time()
    load_seconds = max(run.answered_at, start + options.duration) - start

    # The grace period: until every viewer that holds its stream has seen every answer of its board.
    grace_end = load_end + options.grace
    while run.loop.time() < grace_end and run.unseen():
        await asyncio.sleep(0.1)
    cpu_after, client_after = server_cpu_seconds(process_group), resource.getrusage(resource.RUSAGE_SELF)
    wall = run.loop.time() - start
    memory = server_memory_mib(process_group)
    held = [viewer.holding for viewer in run.viewers]
    for viewer in run.viewers:
        viewer.stop()

    # Latency over every (answer, viewer) pair seen; lost over the viewers that still hold their stream.
    pairs, lost, latencies = 0, 0, []
    sequences = run.by_board()
    for viewer, holding in zip(run.viewers, held, strict=True):
        seen = viewer.seen
        for sequence in sequences[viewer.board]:
            at = seen.get(sequence)
            if at is not None:
                latencies.append(at - run.submitted[sequence][0])
            if holding:
                pairs += 1
                lost += at is None
    latencies.sort()
    client_cpu = (client_after.ru_utime + client_after.ru_stime) - (client_before.ru_utime + client_before.ru_stime)
    created = run.statuses[201]
    return {
        "run": run,
        "planned": planned,
        "load_seconds": load_seconds,
        "wall": wall,
        "connect_seconds": connect_seconds,
        "held_before": held_before,
        "held": sum(held),
        "created": created,
        "pairs": pairs,
        "lost": lost,
        "latencies": latencies,
        "server_cpu": None if cpu_before is None or cpu_after is None else cpu_after - cpu_before,
        "client_cpu": client_cpu,
        "memory": memory,
    }


def report(result: dict, options, url: str, codes: list[str], log_path: Path | None) -> int:
    run, latencies = result["run"], result["latencies"]
    viewers = run.viewers
    held = result["held"]
    drops = sum(viewer.drops for viewer in viewers)
    dropped_viewers = sum(1 for viewer in viewers if viewer.drops)
    refusals = sum(viewer.refusals for viewer in viewers)
    created, errors = result["created"], sum(n for status, n in run.statuses.items() if status not in (200, 201))
    rate = created / result["load_seconds"] if result["load_seconds"] else 0.0
    p50, p95, top = (percentile(latencies, share) for share in (0.50, 0.95, 1.0))
    responses = sorted(run.response_times)
    server = (
        f"serve --workers {options.workers} --threads {options.threads}"
        + (", PostgreSQL" if options.database_url else ", SQLite")
        if not options.url
        else "?"
    )
    settings = (
        f"--viewers {options.viewers} --rate {options.rate:g} --duration {options.duration:g} "
        f"--boards {len(codes)} --submitters {options.submitters} --batch {options.batch} --grace {options.grace:g} "
        f"--warm-up {options.warm_up} --late {options.late:g}"
        + ("" if options.url else f" --workers {options.workers} --threads {options.threads}")
    )
    print(f"target:            {url} ({server}), boards {', '.join(codes)}")
    print(f"settings:          {settings}")
    print(f"viewers held:      {held} of {options.viewers} at the end ({result['held_before']} when the load began,")
    print(f"                   connected in {result['connect_seconds']:.1f} s; refused {refusals} times,")
    print(f"                   {drops} streams ended early, of {dropped_viewers} viewers)")
    if run.refused_statuses:
        print(f"refused with:      {dict(run.refused_statuses)}")
    if set(run.warm_up_statuses) - {200, 201}:
        print(f"warm-up answers:   {dict(run.warm_up_statuses)}")
    print(f"answers:           {created} created of {result['planned']} planned, statuses {dict(run.statuses)}")
    lags = sorted(run.start_lags)
    if run.not_sent or (lags and lags[-1] > 0.5):
        print(
            f"behind schedule:   {run.not_sent} answers not sent ({options.late:g} s after --duration), sent late by "
            f"p50 {1000 * percentile(lags, 0.5):.0f} ms, max {1000 * lags[-1]:.0f} ms (all connections were busy)"
        )
    print(f"answers/s:         {rate:.1f} (201s over {result['load_seconds']:.1f} s; target {options.rate:g})")
    if run.not_visible:
        print(f"not visible:       {run.not_visible} (moderated board: not counted)")
    print(f"answers lost:      {result['lost']} of {result['pairs']} (answer, viewer) pairs, grace {options.grace:g} s")
    print(
        f"submit to seen:    p50 {1000 * p50:.0f} ms, p95 {1000 * p95:.0f} ms, max {1000 * top:.0f} ms "
        f"(over {len(latencies)} (answer, viewer) pairs)"
    )
    print(
        f"POST answered in:  p50 {1000 * percentile(responses, 0.5):.0f} ms, "
        f"p95 {1000 * percentile(responses, 0.95):.0f} ms, max {1000 * percentile(responses, 1.0):.0f} ms"
    )
    if result["server_cpu"] is not None and created:
        share = result["server_cpu"] / result["wall"]
        print(
            f"server CPU:        {1000 * result['server_cpu'] / created:.1f} ms per answer "
            f"({result['server_cpu']:.1f} s in {result['wall']:.1f} s, {share:.2f} cores)"
        )
    print(
        f"client CPU:        {result['client_cpu']:.1f} s in {result['wall']:.1f} s "
        f"({result['client_cpu'] / result['wall']:.2f} cores; its lag adds to the times above)"
    )
    if result["memory"]:
        print(f"server memory:     {', '.join(f'{size:.0f}' for size in result['memory'])} MiB resident per process")
    print(f"load average:      {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    print(f"stream bytes:      {sum(viewer.bytes for viewer in viewers) / 2**20:.1f} MiB read by the viewers")
    problems = []
    if log_path is not None:
        text = log_path.read_text(errors="replace")
        tracebacks = text.count("Traceback")
        if tracebacks or "ERROR" in text:
            problems.append(f"{tracebacks} tracebacks in the server's log")
    if result["lost"]:
        problems.append("answers lost")
    if errors:
        problems.append("failed requests")
    if drops or refusals or held < options.viewers:
        problems.append("viewers refused or dropped")
    ok = p95 <= options.target_p95 and rate >= 0.95 * options.rate
    verdict = "met" if ok and not problems else "NOT met"
    because = ": " + "; ".join(problems) if problems else ""
    print(
        f"target:            {verdict} (p95 <= {options.target_p95:g} s, {options.rate:g} answers/s, "
        f"nothing lost or dropped){because}"
    )
    if problems and log_path is not None:
        print_log_tail(log_path)
    return 0 if ok and not problems else 1


async def run_client(url: str, codes: list[str], options, process_group: int | None) -> dict:
    return await measure(url, codes, options, process_group)


def event_loop_runner() -> asyncio.Runner:
    """uvloop when it is there (the server has it): the client then takes less of the cores it shares."""
    try:
        import uvloop
    except ImportError:
        return asyncio.Runner()
    return asyncio.Runner(loop_factory=uvloop.new_event_loop)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (default: start one on SQLite)")
    parser.add_argument("--code", help="with --url: join codes of open, unmoderated boards, comma-separated")
    parser.add_argument("--viewers", type=int, default=1000, help="event streams held open")
    parser.add_argument("--rate", type=float, default=100, help="answers per second in all, paced")
    parser.add_argument("--duration", type=float, default=20, help="seconds of answers")
    parser.add_argument("--boards", type=int, default=6, help="workshop boards of the example event to spread over")
    parser.add_argument("--submitters", type=int, default=20, help="keep-alive connections that post answers")
    parser.add_argument("--batch", type=int, default=200, help="viewers that connect at a time")
    parser.add_argument("--grace", type=float, default=5, help="seconds after the load for answers to be seen")
    parser.add_argument("--warm-up", type=int, default=20, help="answers sent before the measurement, not counted")
    parser.add_argument("--late", type=float, default=10, help="seconds after --duration to send answers still due")
    parser.add_argument("--target-p95", type=float, default=1.0, help="seconds from submit to seen, 95th percentile")
    parser.add_argument("--no-reconnect", action="store_true", help="a viewer whose stream ends stays away")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers of the server this script starts")
    parser.add_argument("--threads", type=int, default=4, help="serve --threads: threads per worker")
    parser.add_argument("--database-url", help="an empty database for the server this script starts (default SQLite)")
    options = parser.parse_args()
    if options.viewers < 0 or options.rate <= 0 or options.duration <= 0 or options.boards < 1:
        parser.error("--viewers, --rate, --duration and --boards must be positive")
    limit = raise_open_files_limit()
    if options.viewers + options.submitters + 50 > limit:
        parser.error(f"{options.viewers} viewers need more open files than the hard limit ({limit})")
    # Ctrl-C and a plain kill both unwind through the finally blocks that stop the server and remove its files.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in the background

    if options.url:
        if not options.code:
            parser.error("--url needs --code")
        codes = [code.strip() for code in options.code.split(",") if code.strip()]
        with event_loop_runner() as runner:
            result = runner.run(run_client(options.url.rstrip("/"), codes, options, None))
        return report(result, options, options.url, codes, None)

    with own_server(options.workers, options.threads, options.database_url) as (url, codes, group, log_path):
        if options.boards > len(codes):
            sys.exit(f"--boards {options.boards}: the example event has {len(codes)} workshop boards")
        codes = codes[: options.boards]
        status = 1
        try:
            with event_loop_runner() as runner:
                result = runner.run(run_client(url, codes, options, group))
            status = report(result, options, url, codes, log_path)
            return status
        except BaseException:
            print_log_tail(log_path)
            raise
        finally:
            if status and log_path.exists() and log_path.stat().st_size:
                print(f"server log:        {log_path} (kept)")
            else:
                log_path.unlink(missing_ok=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)  # the server and its files are gone by now (finally blocks)
