"""Benchmark: every raadsadres of the example conference for the 345 municipalities of 1 January 2022.

    PYTHONPATH=src .venv/bin/python bench/letters.py                # 345 letters + the general one, PDF and Word
    PYTHONPATH=src .venv/bin/python bench/letters.py --workers 1    # in one process, for comparison

It makes a fresh data directory (SQLite), migrates, loads the example event with 3 outcome points and 400 answers
from participants of 40 municipalities, then times `letters.letters_zip` as `werkconferentie letters --all` runs
it and prints the seconds, the letters per second and the ZIP's size. Target (issue 11): at most 20 s on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import uuid


def setup(data_dir: str) -> None:
    os.environ["WERKCONFERENTIE_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkconferentie.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def example_event():
    from werkconferentie.events.examples import example_event_file
    from werkconferentie.events.loading import load_event_file
    from werkconferentie.live.boards import Submission, ensure_boards, set_open, submit_answer, vote
    from werkconferentie.outcomes import points
    from werkconferentie.reference.municipalities import municipalities_on
    from werkconferentie.registration.enums import Role

    event = load_event_file(example_event_file()).event
    boards = [set_open(board, True) for board in ensure_boards(event) if board.kind == "workshop"]
    places = list(municipalities_on(dt.date(2022, 1, 1)))[:40]
    roles = [Role.COUNCIL_MEMBER, Role.ALDERMAN, Role.POLICY_MAKER, Role.YOUTH_CARE_WORKER]
    for n in range(400):
        answer, _ = submit_answer(
            boards[n % len(boards)],
            Submission(
                text=f"Voorstel {n}: een vaste plek waar kinderen in de gemeente hun mening geven",
                idempotency_key=uuid.uuid4().hex,
                role=roles[n % len(roles)],
                municipality=places[n % len(places)],
            ),
        )
        for v in range(n % 5):
            vote(answer, f"b{n}-{v}")
    for n, title in enumerate(["Kinderraad", "Wachtlijsten jeugdzorg", "Speelplekken"], start=1):
        points.create_point(event, title_nl=title, request_nl=f"Verzoek {n} aan de raad.", is_request=True)
    return event


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the rendering processes)."""
    now = os.times()
    return now.user + now.system + now.children_user + now.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=0, help="rendering processes (default: one per core)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-letters-") as data_dir:
        setup(data_dir)
        from django.conf import settings

        settings.LIVE_SUGGEST_IN_BACKGROUND = False
        from werkconferentie.outcomes import letters, raadsadres

        event = example_event()
        workers = args.workers or letters.default_workers()
        start, cpu = time.monotonic(), _cpu()
        facts = raadsadres.event_facts(event, on=dt.date(2022, 1, 1))
        municipalities = raadsadres.recipients(facts, every=True)
        content = letters.letters_zip(event, municipalities, facts=facts, workers=workers)
        seconds, cpu = time.monotonic() - start, _cpu() - cpu
        count = len(municipalities) + 1
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; rendering processes: {workers}")
        print(f"letters: {count} (PDF and Word: {2 * count} files), ZIP {len(content) / 1e6:.1f} MB")
        print(f"seconds: {seconds:.1f} ({count / seconds:.1f} letters/s); CPU seconds, all processes: {cpu:.1f}")
        print(f"load average during the run: {os.getloadavg()[0]:.1f} (more than the cores: the figure is too slow)")


if __name__ == "__main__":
    main()
