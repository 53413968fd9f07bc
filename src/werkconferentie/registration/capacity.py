"""The event's capacity lock: every write that takes or frees a seat runs under it.

After pretix's locking service: a sign-up, a cancellation and a promotion from the waiting list each run in one
transaction that first takes the lock and only then counts the seats that are left, so two people can never
both get the last seat.

- PostgreSQL: `SELECT ... FOR UPDATE` on the event's row. Competing transactions queue on that row; there is
  one lock per event, so no lock-order deadlock is possible.
- SQLite: settings open every transaction with BEGIN IMMEDIATE, which takes the database's write lock at the
  start; the row lock is then a no-op and the transaction is already alone.

- SQLite, waiting: a writer that finds the write lock taken sleeps in SQLite's busy handler (1, 2, 5, 10, …
  up to 100 ms) before it tries again, so under load the lock is often free while every waiter sleeps.
  `capacity_transaction` therefore first queues on an exclusive file lock next to the database (flock, which
  wakes the next waiter the moment it is released, across threads and processes), and only then begins the
  transaction. It changes nothing about correctness, only how long the lock sits idle.

`WERKCONFERENTIE_CAPACITY_LOCK=off` switches the row lock off; it exists only so that a test can show the race
it prevents. Never set it in production.
"""

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction

from werkconferentie.events.models import Event


def lock_event_capacity(event: Event) -> Event:
    """Take the event's capacity lock inside the current transaction; return the event re-read under it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_event_capacity() must be called inside transaction.atomic()")
    queryset = Event.objects.all()
    if settings.CAPACITY_LOCK:
        queryset = queryset.select_for_update()
    return queryset.get(pk=event.pk)


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
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        with transaction.atomic():
            yield
    finally:
        os.close(descriptor)  # releases the lock, after the commit or rollback


def _queue_file(connection) -> Path | None:
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return None
    return Path(f"{connection.settings_dict['NAME']}-capacity.lock")
