"""One process that holds deduce for every web worker: `werkconferentie serve` starts it next to uvicorn.

deduce takes about 1 GB of memory and 7 s to load (scrub.py). Loaded in each worker process that scrubs a child's
idea, two workers took 2 GB. The workers instead send the pieces of text they would give deduce over a Unix socket
to this process, which loads deduce at the first piece and answers with deduce's annotations; the rest of
scrubbing (scrub.py's rules on what to keep) stays in the worker.

Protocol: one connection per piece, one JSON line each way: {"text": "..."} and {"annotations": [[start, end,
tag], ...]}, or {"error": "..."}. Pieces are at most scrub.DEDUCE_CHUNK characters; longer ones are refused.
{"ready": true} asks whether deduce is loaded: {"ready": bool, "failed": bool}.

The service starts loading deduce as soon as it listens (about 7 s; about two minutes the very first time, while
deduce builds its lookup data), and `serve` waits for it before it starts the web server (`Supervised.wait_ready`):
the first child's idea is then answered as fast as any other.

    python -m werkconferentie.live.scrub_service SOCKET_PATH

No Django here: only the standard library and scrub.py.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace

from . import scrub

logger = logging.getLogger(__name__)

SOCKET_ENV_VAR = scrub.SERVICE_ENV_VAR
# A worker waits this long for an answer: the first piece waits for deduce to load (about 7 s; a minute the very
# first time deduce is used on a machine, while it builds its cache).
TIMEOUT_SECONDS = 90
START_SECONDS = 10
# `serve` waits at most this long for deduce before it starts the web server anyway (the first build of deduce's
# lookup data takes about two minutes on a slow machine).
READY_SECONDS = 300
MAX_LINE = 4 * scrub.DEDUCE_CHUNK + 100  # a piece of DEDUCE_CHUNK characters as JSON, escapes included


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        line = self.rfile.readline(MAX_LINE + 1)
        try:
            request = json.loads(line)
            if isinstance(request, dict) and request.get("ready") is True:
                self.wfile.write(json.dumps({"ready": scrub.is_ready(), "failed": scrub.has_failed()}).encode() + b"\n")
                return
            text = request["text"]
            if not isinstance(text, str) or len(text) > scrub.DEDUCE_CHUNK:
                raise ValueError("text: a string of at most DEDUCE_CHUNK characters")
            instance = scrub.load_deduce()  # in this process itself: main() takes SOCKET_ENV_VAR away
            if instance is None:
                raise RuntimeError("deduce could not be loaded")
            # Offsets may come as numpy integers, which JSON does not take.
            found = instance.deidentify(text).annotations
            annotations = [[int(a.start_char), int(a.end_char), str(a.tag)] for a in found]
            answer = json.dumps({"annotations": annotations})
        except Exception as error:  # a bad request or a deduce failure: say so, and serve the next one
            logger.warning("scrub service: %s", error)
            answer = json.dumps({"error": str(error) or type(error).__name__})
        self.wfile.write(answer.encode() + b"\n")


class ScrubServer(socketserver.UnixStreamServer):
    """One piece at a time: deduce is not known to be thread-safe, and a piece takes milliseconds."""

    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        path.unlink(missing_ok=True)  # left by a server that was killed
        super().__init__(str(path), _Handler)
        os.chmod(path, 0o600)  # only this user's processes may send text


class RemoteDeduce:
    """Stands in for a Deduce instance in a worker: `deidentify(text).annotations`, computed by the service."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)

    def deidentify(self, text: str) -> SimpleNamespace:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(TIMEOUT_SECONDS)
            self._connect(connection)
            connection.sendall(json.dumps({"text": text}).encode() + b"\n")
            with connection.makefile("rb") as answers:
                answer = json.loads(answers.readline() or b"{}")
        if "annotations" not in answer:
            raise RuntimeError(f"scrub service: {answer.get('error', 'no answer')}")
        return SimpleNamespace(
            annotations=[SimpleNamespace(start_char=s, end_char=e, tag=t) for s, e, t in answer["annotations"]]
        )

    def _connect(self, connection: socket.socket) -> None:
        """Connect, waiting up to START_SECONDS for a service that `serve` has only just started."""
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                return connection.connect(self.path)
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)


def ask_ready(path: str | Path) -> dict:
    """The service's answer to {"ready": true}; {} when nobody listens (yet)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(5)
            connection.connect(str(path))
            connection.sendall(b'{"ready": true}\n')
            with connection.makefile("rb") as answers:
                return json.loads(answers.readline() or b"{}")
    except (OSError, ValueError):
        return {}


def socket_path(data_dir: str | Path) -> Path:
    """Where `serve` puts the service's socket: in the data directory, unless that path is too long for a Unix
    socket (about 108 bytes), then in a new private temporary directory."""
    path = Path(data_dir) / "scrub.sock"
    if len(os.fsencode(path)) < 100:
        return path
    return Path(tempfile.mkdtemp(prefix="werkconferentie-")) / "scrub.sock"


class Supervised:
    """The service as a child process of `serve`, started again if it ends (a crash, or the kernel's out-of-memory
    killer): a worker would otherwise wait START_SECONDS for every idea, then use the pattern layer alone. Started
    again after 1 s, then after 2, 4, … up to 60 s while it keeps ending within a minute."""

    def __init__(self, path: str | Path, environment: dict[str, str]) -> None:
        self.path = Path(path)
        self.environment = {key: value for key, value in environment.items() if key != SOCKET_ENV_VAR}
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self.delays: list[float] = []  # the wait before each restart, in seconds
        self._spawned_at = 0.0
        self._stopping = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="scrub-service-watcher", daemon=True)

    def start(self) -> Supervised:
        self.process = self._spawn()
        self._watcher.start()
        return self

    def wait_ready(self, timeout: float = READY_SECONDS) -> bool:
        """Wait until the service has loaded deduce (True), it could not (False), or `timeout` seconds passed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            answer = ask_ready(self.path)
            if answer.get("ready"):
                return True
            if answer.get("failed"):
                return False
            time.sleep(0.2)
        return False

    def watching(self) -> bool:
        """Whether the watcher that starts the service again is still running (stop() ends it)."""
        return self._watcher.is_alive()

    def stop(self) -> None:
        self._stopping.set()
        self._watcher.join(5)
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def _spawn(self) -> subprocess.Popen:
        self._spawned_at = time.monotonic()
        command = [sys.executable, "-m", __name__, str(self.path)]
        return subprocess.Popen(command, env=self.environment)

    def _watch(self) -> None:
        delay = 0.0  # grows while the service keeps ending within a minute (it cannot start): no restart storm
        while not self._stopping.wait(0.5):
            if self.process is None or self.process.poll() is None:
                continue
            lived = time.monotonic() - self._spawned_at
            delay = 0.0 if lived > 60 else min(60.0, max(1.0, delay * 2))
            logger.warning(
                "scrub service ended (exit status %s); starting it again in %.0f s", self.process.returncode, delay
            )
            self.delays.append(delay)
            if self._stopping.wait(delay):
                return
            self.restarts += 1
            self.process = self._spawn()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m werkconferentie.live.scrub_service SOCKET_PATH", file=sys.stderr)
        return 2
    os.environ.pop(SOCKET_ENV_VAR, None)  # this process loads deduce itself
    logging.basicConfig(level=logging.INFO, format="scrub service: %(message)s")
    with ScrubServer(argv[0]) as server:
        scrub.warm_up()  # load deduce now, not at the first child's idea
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
