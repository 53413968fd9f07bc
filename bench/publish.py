"""What publishing an assignment run costs for 5,000 people: how long the capacity lock is held, and in all.

    .venv/bin/python bench/publish.py                    # 5,000 people, 40 workshops, 4 rounds, SQLite
    .venv/bin/python bench/publish.py --people 2000 --repeat 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/empty_db .venv/bin/python bench/publish.py

The event is made as in bench/assignment.py (fresh data directory, bulk inserts), the engine runs once, and then
each repetition publishes that run to everyone for the first time (5,000 programme mails): the run is made
unpublished and the outbox emptied first. It prints

* the time the event's capacity lock is held: from `lock_event_capacity` (on SQLite the write lock is taken at
  BEGIN IMMEDIATE, a few statements before) until the COMMIT (the first on_commit callback),
* `runs.publish` end to end,
* rendering every queued mail afterwards, outside the lock, as the mail worker does before sending
  (`render_pending`; once, at the end: it is what used to happen under the lock).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

_spec = importlib.util.spec_from_file_location("bench_assignment", HERE / "assignment.py")
bench_assignment = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_assignment)


def publish_once(run) -> dict[str, float]:
    from django.db import transaction

    from werkconferentie.assignment import runs
    from werkconferentie.outbox.models import OutboxMessage

    OutboxMessage.objects.all().delete()
    run.__class__.objects.filter(pk=run.pk).update(published_at=None)
    run.refresh_from_db()
    times: dict[str, float] = {}
    lock = runs.lock_event_capacity

    def timed_lock(event):
        times["locked"] = time.perf_counter()
        transaction.on_commit(lambda: times.setdefault("committed", time.perf_counter()))
        return lock(event)

    runs.lock_event_capacity = timed_lock  # measuring only: the same function, with a clock around it
    try:
        started = time.perf_counter()
        changes = runs.publish(run)
        ended = time.perf_counter()
    finally:
        runs.lock_event_capacity = lock
    return {
        "lock": times["committed"] - times["locked"],
        "publish": ended - started,
        "mails": len(changes),
        "queued": OutboxMessage.objects.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--workshops", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--ranked", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-publish-") as data_dir:
        bench_assignment.setup_django(data_dir)
        from django.db import connection

        from werkconferentie.assignment import runs
        from werkconferentie.outbox.mailing import render_pending

        event = bench_assignment.make_event(args.people, args.workshops, args.rounds, args.seed, args.ranked)
        started = time.perf_counter()
        run = runs.run_engine(event)
        print(
            f"{connection.vendor}: {args.people} people, {args.workshops} workshops, {args.rounds} rounds, "
            f"{run.placements.count()} placements (engine run {time.perf_counter() - started:.1f} s); "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
        )
        for attempt in range(args.repeat):
            figures = publish_once(run)
            print(
                f"publish {attempt + 1}: lock held {figures['lock']:.2f} s; publish {figures['publish']:.2f} s; "
                f"{figures['mails']} mails queued ({figures['queued']} rows)"
            )
        started = time.perf_counter()
        rendered = render_pending()
        seconds = time.perf_counter() - started
        print(
            f"rendering the {rendered} mails afterwards (the worker's part, outside the lock): {seconds:.1f} s "
            f"({1000 * seconds / max(rendered, 1):.1f} ms a mail); load average {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
