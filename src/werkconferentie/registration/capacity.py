"""The event's capacity lock: every write that takes or frees a seat runs under it.

After pretix's locking service: a sign-up, a cancellation and a promotion from the waiting list each run in one
transaction that first takes the lock and only then counts the seats that are left, so two people can never
both get the last seat.

- PostgreSQL: `SELECT ... FOR UPDATE` on the event's row. Competing transactions queue on that row; there is
  one lock per event, so no lock-order deadlock is possible.
- SQLite: settings open every transaction with BEGIN IMMEDIATE, which takes the database's write lock at the
  start; the transaction is already alone, so no row is locked.
- The seats are counted by a statement that starts after the lock is held: on PostgreSQL (READ COMMITTED) a
  statement sees what was committed when it started, so a count inside the locking statement itself could miss
  the sign-up that held the lock before it.

- SQLite, waiting: a writer that finds the write lock taken sleeps in SQLite's busy handler (1, 2, 5, 10, …
  up to 100 ms) before it tries again, so under load the lock is often free while every waiter sleeps.
  `capacity_transaction` therefore first queues on an exclusive file lock next to the database (flock, which
  wakes the next waiter the moment it is released, across threads and processes), and only then begins the
  transaction. It changes nothing about correctness, only how long the lock sits idle. The file lock is let go
  the moment the transaction has committed, before the work that waits for the commit (`on_commit`).
  Threads of one process first queue on a lock of that process, so that at most one of them waits on the file:
  a released file lock wakes every process and thread waiting on it, and all but one go back to sleep (with
  `serve --threads 4`: 433 -> 677 sign-ups/s, bench/signup_load.py).

`WERKCONFERENTIE_CAPACITY_LOCK=off` switches the row lock off; it exists only so that a test can show the race
it prevents. Never set it in production.

`checkpoint(name)` marks the moments between counting and writing ("seats counted" here, "waiting list read"
when the waiting list moves up, "session fill counted" for a late placement): a test sets `checkpoint_hook` to
make two changes meet there, so that they interleave every time instead of by chance
(tests/registration/test_races.py). In production the hook is None and a checkpoint costs one comparison.
"""

import fcntl
import os
import threading
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction

from werkconferentie.events.models import Event

from .enums import Status
from .models import Registration

checkpoint_hook: Callable[[str], None] | None = None


def checkpoint(name: str) -> None:
    """A moment between counting and writing under the capacity lock; calls the test's hook, if one is set."""
    if checkpoint_hook is not None:
        checkpoint_hook(name)


def lock_event_capacity(event: Event) -> Event:
    """Take the event's capacity lock inside the current transaction; return the event re-read under it.

    The event comes back with `seats_taken`: its confirmed registrations, counted under the lock (so in this
    transaction only valid until it changes a registration's status). `waitlisted(event)` counts the waiting list.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("lock_event_capacity() must be called inside transaction.atomic()")
    if settings.CAPACITY_LOCK and connection.features.has_select_for_update:
        Event.objects.select_for_update().filter(pk=event.pk).values_list("pk").first()
    event = Event.objects.get(pk=event.pk)
    event.seats_taken = confirmed(event)
    checkpoint("seats counted")
    return event


def confirmed(event: Event) -> int:
    """How many of the event's registrations have a seat."""
    return _count(event.pk, Status.CONFIRMED)


def waitlisted(event: Event) -> int:
    """How many are on the event's waiting list; under the lock, the new last one's place is this."""
    return _count(event.pk, Status.WAITLISTED)


def _count(event_id: int, status: Status) -> int:
    """Registrations of the event with this status. In SQL written out: the ORM spends about 0.2 ms building such
    a query, which every other sign-up would wait for under the lock; this takes some microseconds (plus about
    25 ns per registration counted: one status, so the index is read over one range)."""
    connection = transaction.get_connection()
    table = connection.ops.quote_name(Registration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE event_id = %s AND status = %s", [event_id, status.value])
        return cursor.fetchone()[0]


_process_locks: dict[Path, threading.Lock] = {}  # capacity_transaction: one per database file


@contextmanager
def capacity_transaction():
    """transaction.atomic() for a change that takes or frees seats; call lock_event_capacity() first thing in it.

    On SQLite with a database file, the transaction waits its turn on a file lock first (see the module's
    docstring). Inside a transaction already begun, it is a plain atomic() (a savepoint): that transaction holds
    SQLite's write lock already, and must not wait for a writer that waits for it.
    """
    connection = transaction.get_connection()
    path = _queue_file(connection)
    if path is None or connection.in_atomic_block:
        with transaction.atomic():
            yield
        return
    in_process = _process_locks.setdefault(path, threading.Lock())
    descriptor = None
    released = False

    def release() -> None:
        nonlocal released
        if not released:
            released = True
            if descriptor is not None:
                os.close(descriptor)  # closing the file releases the file lock
            in_process.release()

    in_process.acquire()
    try:
        if path != IN_MEMORY:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        with transaction.atomic():
            transaction.on_commit(release)  # first of the transaction's on_commit work: right after COMMIT
            yield
    finally:
        release()  # after a rollback (or if the commit failed)


# An in-memory SQLite database (the tests') lives in one process: its threads queue on the process's lock alone.
# They must: SQLite's shared cache answers a second writer with "database table is locked" instead of waiting.
IN_MEMORY = Path(":memory:")


def _queue_file(connection) -> Path | None:
    if connection.vendor != "sqlite":
        return None
    if connection.is_in_memory_db():
        return IN_MEMORY
    return Path(f"{connection.settings_dict['NAME']}-capacity.lock")
