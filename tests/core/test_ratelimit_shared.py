"""The rate limits count in Django's cache framework: a table of the database by default, so that every worker
of every app server shares one count; exact when many requests hit the limit at the same moment.

The simultaneous requests run in a process of their own on a database file (SQLite) or a database of the test
run's PostgreSQL server: the test database on SQLite lives in memory, where threads cannot wait for each other's
write lock as they do on a file.
"""

import json
import subprocess
import sys
import time

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from served import IS_POSTGRES, own_postgres_database
from werkconferentie.core.ratelimit import CACHE_TABLE, Rate, cache_settings, retry_after

THREADS = 12
TRIES = 3
LIMIT = 5

BURST = f"""
import json, threading, time
import django
django.setup()
from django.core.management import call_command
from django.db import connections
from django.test import RequestFactory
from django.core.cache import caches
from django.conf import settings
from werkconferentie.core.ratelimit import Rate, retry_after

call_command("createcachetable", verbosity=0)
# A window of 30 years: the burst cannot straddle two windows.
rate = Rate({LIMIT}, 10**9)
barrier = threading.Barrier({THREADS})
answers, errors = [], []

def hit():
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.9")
    try:
        barrier.wait()
        for _ in range({TRIES}):
            answers.append(retry_after(request, scope="burst", rate=rate))
    except Exception as error:
        errors.append(repr(error))
    finally:
        connections.close_all()

threads = [threading.Thread(target=hit) for _ in range({THREADS})]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
key = f"burst:192.0.2.9:{{rate.seconds}}:{{int(time.time() // rate.seconds)}}"
print(json.dumps({{
    "let_through": sum(answer is None for answer in answers),
    "answers": len(answers),
    "counted": caches[settings.RATELIMIT_CACHE].get(key),
    "errors": errors[:3],
}}))
"""


@pytest.fixture
def burst_environment(tmp_path):
    import os

    base = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "WERKCONFERENTIE_CACHE_URL"}}
    base.update({"WERKCONFERENTIE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "werkconferentie.settings"})
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    if IS_POSTGRES:
        with own_postgres_database() as url:
            yield {**base, "DATABASE_URL": url}
    else:
        yield base


def test_simultaneous_requests_never_let_more_than_the_limit_through(burst_environment):
    result = subprocess.run(
        [sys.executable, "-c", BURST], env=burst_environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert outcome["answers"] == THREADS * TRIES
    assert outcome["let_through"] == LIMIT
    # Not one request lost from the count: every one was counted, also those refused.
    assert outcome["counted"] == THREADS * TRIES


@pytest.mark.django_db
def test_the_counters_are_in_the_database_cache(settings):
    assert settings.CACHES[settings.RATELIMIT_CACHE]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.10")
    rate = Rate(2, 10**9)
    assert [retry_after(request, scope="table", rate=rate) is None for _ in range(3)] == [True, True, False]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(CACHE_TABLE)}")
        assert cursor.fetchone()[0] == 1
    window = int(time.time() // rate.seconds)
    assert caches[settings.RATELIMIT_CACHE].get(f"table:192.0.2.10:{rate.seconds}:{window}") == 3


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache", CACHE_TABLE),
        ("db", "django.core.cache.backends.db.DatabaseCache", CACHE_TABLE),
        (
            "redis://cache.internal:6379/1",
            "django.core.cache.backends.redis.RedisCache",
            "redis://cache.internal:6379/1",
        ),
        (
            "memcached://10.0.0.5:11211,10.0.0.6:11211",
            "django.core.cache.backends.memcached.PyMemcacheCache",
            ["10.0.0.5:11211", "10.0.0.6:11211"],
        ),
    ],
)
def test_the_cache_comes_from_its_url(url, backend, location):
    entry = cache_settings(url)
    assert (entry["BACKEND"], entry["LOCATION"]) == (backend, location)


@pytest.mark.parametrize("url", ["file:///tmp/cache", "memcached://", "nonsense"])
def test_a_wrong_cache_url_is_refused_with_a_clear_message(url):
    with pytest.raises(ImproperlyConfigured, match="is not a cache"):
        cache_settings(url)
