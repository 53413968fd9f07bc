"""The event's capacity lock: every write that takes or frees a seat runs under it.

After pretix's locking service: a sign-up, a cancellation and a promotion from the waiting list each run in one
transaction that first takes the lock and only then counts the seats that are left, so two people can never
both get the last seat.

- PostgreSQL: `SELECT ... FOR UPDATE` on the event's row. Competing transactions queue on that row; there is
  one lock per event, so no lock-order deadlock is possible.
- SQLite: settings open every transaction with BEGIN IMMEDIATE, which takes the database's write lock at the
  start; the row lock is then a no-op and the transaction is already alone.

`WERKCONFERENTIE_CAPACITY_LOCK=off` switches the row lock off; it exists only so that a test can show the race
it prevents. Never set it in production.
"""

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
