"""Two changes that take or free seats, made to meet between counting and writing (registration/capacity.py).

`meet(at, first, second)` runs the two callables in two threads. When one arrives at the checkpoint `at`, it
waits there until the other one has arrived too (without the capacity lock both then write what they counted
alone: the race, every time), or is waiting for the lock (with it: PostgreSQL shows the other backend waiting;
on SQLite, where BEGIN IMMEDIATE lets no second writer begin, it is enough that the other has started), or has
finished. No sleeps decide anything: each wait is for a condition, with a generous timeout that only a hang meets.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.db import connection, connections

from werkconferentie.registration import capacity

TIMEOUT = 30.0


def _others_wait_for_a_lock() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        # Within a transaction PostgreSQL shows the activity as it was at the first look, unless told to look again.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


class Meeting:
    def __init__(self, at: str):
        self.at = at
        self.started: set[int] = set()
        self.arrived: set[int] = set()  # came to the checkpoint (and may have gone on since)
        self.present: set[int] = set()  # at the checkpoint now
        self.finished: set[int] = set()
        self.met = False  # whether both were at the checkpoint at the same time: both had counted, neither written
        self.state = threading.Condition()

    def _ready(self, me: int) -> bool:
        other = 1 - me
        if other in self.arrived or other in self.finished:
            return True
        if connection.vendor == "sqlite":
            return other in self.started
        return False

    def arrive(self, name: str) -> None:
        """The checkpoint hook (capacity.checkpoint_hook)."""
        if name != self.at:
            return
        me = _thread_number.value
        deadline = time.monotonic() + TIMEOUT
        with self.state:
            self.arrived.add(me)
            self.present.add(me)
            if (1 - me) in self.present:
                self.met = True
            self.state.notify_all()
        try:
            self._wait(me, deadline)
        finally:
            with self.state:
                self.present.discard(me)

    def _wait(self, me: int, deadline: float) -> None:
        while True:
            with self.state:
                if self._ready(me):
                    return
            # The other may be blocked by the lock this thread holds: ask the database (outside the Condition).
            if _others_wait_for_a_lock():
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the other change neither came to {self.at!r} nor waited for the lock")
            with self.state:
                self.state.wait(0.01)

    def run(self, me: int, work: Callable[[], object], results: list, errors: list) -> None:
        _thread_number.value = me
        try:
            with self.state:
                self.started.add(me)
                self.state.notify_all()
            results[me] = work()
        except Exception as error:  # reported by meet()
            errors.append(error)
        finally:
            with self.state:
                self.finished.add(me)
                self.state.notify_all()
            connections.close_all()


_thread_number = threading.local()


def meet(at: str, first: Callable[[], object], second: Callable[[], object]) -> tuple[list, Meeting]:
    """Run both at once, meeting at checkpoint `at`; their results, and the meeting (how often they met)."""
    meeting = Meeting(at)
    results: list = [None, None]
    errors: list = []
    capacity.checkpoint_hook = meeting.arrive
    try:
        threads = [
            threading.Thread(target=meeting.run, args=(number, work, results, errors))
            for number, work in enumerate((first, second))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT * 2)
        assert not any(thread.is_alive() for thread in threads), "a change hung"
    finally:
        capacity.checkpoint_hook = None
    if errors:
        raise errors[0]
    return results, meeting
