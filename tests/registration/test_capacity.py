"""The capacity lock: what it counts, and that it holds no one up longer than the transaction itself."""

import fcntl
import os

import pytest
from django.db import transaction

from werkconferentie.registration import capacity, signup
from werkconferentie.registration.enums import Status

from .factories import RegistrationFactory


def test_the_event_comes_back_with_its_seats_counted_under_the_lock(open_event, django_assert_max_num_queries):
    for status in [Status.CONFIRMED] * 3 + [Status.WAITLISTED] * 2 + [Status.CANCELLED]:
        RegistrationFactory(event=open_event, status=status)
    with transaction.atomic(), django_assert_max_num_queries(4):  # PostgreSQL: the row lock is one more
        event = capacity.lock_event_capacity(open_event)
        assert (event.seats_taken, capacity.waitlisted(event)) == (3, 2)
    assert event.seats_taken == signup.confirmed_count(event)


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_refuses(open_event):
    with pytest.raises(RuntimeError, match="inside transaction.atomic"):
        capacity.lock_event_capacity(open_event)


@pytest.mark.django_db(transaction=True)
def test_the_file_lock_is_free_before_the_work_that_waits_for_the_commit(open_event, monkeypatch, tmp_path):
    # The tests' SQLite database lives in memory, where no file lock is taken: give it one, as for a file.
    path = tmp_path / "werkconferentie.sqlite3-capacity.lock"
    monkeypatch.setattr(capacity, "_queue_file", lambda connection: path)
    seen = []

    def try_the_lock() -> None:
        seen.append("thread lock held" if capacity._process_locks[path].locked() else "thread lock free")
        descriptor = os.open(path, os.O_RDWR)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another open file: as another process would
            seen.append("free")
        except BlockingIOError:
            seen.append("held")
        finally:
            os.close(descriptor)

    with capacity.capacity_transaction():
        capacity.lock_event_capacity(open_event)
        try_the_lock()
        transaction.on_commit(try_the_lock)
    assert seen == ["thread lock held", "held", "thread lock free", "free"]


@pytest.mark.django_db(transaction=True)
def test_both_locks_are_let_go_when_the_transaction_fails(open_event, monkeypatch, tmp_path):
    path = tmp_path / "werkconferentie.sqlite3-capacity.lock"
    monkeypatch.setattr(capacity, "_queue_file", lambda connection: path)
    with pytest.raises(RuntimeError, match="half-way"), capacity.capacity_transaction():
        capacity.lock_event_capacity(open_event)
        raise RuntimeError("half-way")
    assert not capacity._process_locks[path].locked()
    descriptor = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)  # would raise BlockingIOError if still held
    finally:
        os.close(descriptor)
