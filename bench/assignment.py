"""What "Indelen" costs for 5,000 registrations and 40 workshops over 4 rounds, end to end, in Django.

    .venv/bin/python bench/assignment.py                         # 5,000 × 40 × 4, SQLite in a fresh data dir
    .venv/bin/python bench/assignment.py --people 2000 --repeat 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/empty_db .venv/bin/python bench/assignment.py

It makes a fresh data directory (SQLite unless DATABASE_URL), migrates, and bulk-inserts an event with
40 workshops over 4 rounds (about 10 % of the sessions skipped, capacities differing per session, seats about
5 % above attendance) and 5,000 confirmed registrations with Zipf-like rankings of 6 workshops (the engine
benchmark's generator). Then it times `runs.run_engine(event)` (build the instance, solve, store 20,000
placements) split into its parts; with --page (a URL with {slug}, the assignment page) it also times the real
view through Django's test client logged in as an organiser: POST "Indelen" to the back office's assignment
page (found by its URL name; --page overrides) and GET the result page it redirects to. Target: under 10 s on 2 cores.
"""

from __future__ import annotations

import argparse
import cProfile
import math
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def setup_django(data_dir: str) -> None:
    os.environ["WERKCONFERENTIE_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkconferentie.settings")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_event(people: int, n_workshops: int, n_rounds: int, seed: int, ranked: int):
    import datetime as dt

    import numpy as np
    from django.db import transaction
    from django.utils import timezone

    from werkconferentie.allocation.generate import _preferences
    from werkconferentie.events.models import Event, Round, Workshop, WorkshopSession
    from werkconferentie.registration.enums import Role, Status
    from werkconferentie.registration.models import Preference, PrivacyStatement, Registration

    rng = np.random.default_rng(seed)
    with transaction.atomic():
        event = Event.objects.create(
            slug="bench-2026",
            title_nl="Benchmark",
            date=dt.date(2026, 11, 20),
            start_time=dt.time(9),
            end_time=dt.time(17),
            venue_name="Zaal",
            venue_city="Assen",
            contact_email="info@example.org",
            capacity=people,
        )
        rounds = [
            Round.objects.create(
                event=event,
                key=f"ronde-{k + 1}",
                number=k + 1,
                title_nl=f"Ronde {k + 1}",
                start_time=dt.time(10 + k),
                end_time=dt.time(10 + k, 50),
            )
            for k in range(n_rounds)
        ]
        workshops = Workshop.objects.bulk_create(
            Workshop(event=event, slug=f"workshop-{k + 1}", number=k + 1, title_nl=f"Workshop {k + 1}")
            for k in range(n_workshops)
        )
        runs = rng.random((n_workshops, n_rounds)) >= 0.1
        sessions = []
        for r, round_ in enumerate(rounds):
            active = np.nonzero(runs[:, r])[0]
            share = rng.uniform(0.5, 1.5, size=len(active))
            seats = people * 1.05 * share / share.sum()
            sessions += [
                WorkshopSession(workshop=workshops[w], round=round_, room=f"Zaal {w + 1}", capacity=math.ceil(s))
                for w, s in zip(active, seats, strict=True)
            ]
        WorkshopSession.objects.bulk_create(sessions)
        statement = PrivacyStatement.current()
        now = timezone.now()
        registrations = Registration.objects.bulk_create(
            (
                Registration(
                    event=event,
                    name=f"Deelnemer {i}",
                    email=f"d{i}@example.org",
                    role=Role.values[i % len(Role.values)],
                    organisation=f"Organisatie {i % 97}",
                    status=Status.CONFIRMED,
                    consent_statement=statement,
                    consented_at=now,
                )
                for i in range(people)
            ),
            batch_size=1000,
        )
        if registrations[0].pk is None:  # backends that return no ids from bulk_create
            registrations = list(event.registrations.order_by("pk"))
        rankings = _preferences(rng, people, n_workshops, ranked)
        Preference.objects.bulk_create(
            (
                Preference(registration=registration, workshop=workshops[w], rank=rank)
                for registration, ranking in zip(registrations, rankings, strict=True)
                for rank, w in enumerate(ranking, start=1)
            ),
            batch_size=2000,
        )
    return event


def time_engine(event, time_limit: float, profile: bool) -> dict[str, float]:
    from werkconferentie.assignment import adapter, runs

    started = time.perf_counter()
    adapter.build_instance(event)
    built = time.perf_counter()
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    began = time.perf_counter()
    run = runs.run_engine(event, time_limit=time_limit)
    ended = time.perf_counter()
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return {
        "build_instance": built - started,
        "run_engine": ended - began,
        "engine_seconds_in_run": run.seconds,
        "placements": run.placements.count(),
        "optimal": run.optimal,
        "gap": (run.objective - run.lower_bound) / run.objective if run.objective else 0.0,
        "solve": run.stats.get("seconds", 0.0),
        "unplaced": len(run.stats.get("unassigned", [])),
    }


def assignment_page(event) -> str | None:
    """The assignment page of the back office (assignment/admin_views.py), when it exists."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("admin:assignment_assignmentrun_event", kwargs={"slug": event.slug})
    except NoReverseMatch:
        return None


def time_page(event, url: str) -> tuple[float, float]:
    """POST "Indelen" as an organiser of the event; (seconds for the POST, seconds for the result page)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from werkconferentie.core.roles import ensure_organiser_group

    user = get_user_model().objects.filter(username="bench").first()
    if user is None:
        user = get_user_model().objects.create_user("bench", is_staff=True)
        user.groups.add(ensure_organiser_group())
        event.organisers.add(user)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    started = time.perf_counter()
    response = client.post(url, {"action": "run"})
    posted = time.perf_counter()
    if response.status_code != 302:
        sys.exit(f"POST {url} answered {response.status_code}, not a redirect to the result page")
    page = client.get(response["Location"])
    shown = time.perf_counter()
    if page.status_code != 200:
        sys.exit(f"GET {response['Location']} answered {page.status_code}")
    return posted - started, shown - posted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--workshops", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--ranked", type=int, default=6, help="workshops each person ranks")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=None, help="engine limit (default: as runs.py)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="cProfile of run_engine")
    parser.add_argument("--page", help="URL of the assignment page with {slug} (default: the back office's)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-assignment-") as data_dir:
        setup_django(data_dir)
        from django.db import connection

        from werkconferentie.assignment import runs

        time_limit = runs.DEFAULT_TIME_LIMIT if args.time_limit is None else args.time_limit
        started = time.perf_counter()
        event = make_event(args.people, args.workshops, args.rounds, args.seed, args.ranked)
        print(
            f"{connection.vendor}: {args.people} confirmed registrations, {args.workshops} workshops, "
            f"{args.rounds} rounds, {event.capacity} seats; made in {time.perf_counter() - started:.1f} s; "
            f"engine time limit {time_limit:g} s; {os.cpu_count()} cores"
        )
        for attempt in range(args.repeat):
            figures = time_engine(event, time_limit, args.profile and attempt == 0)
            print(
                f"run {attempt + 1}: build_instance alone {figures['build_instance']:.2f} s; "
                f"run_engine end to end {figures['run_engine']:.2f} s "
                f"(engine {figures['solve']:.2f} s; {figures['placements']} placements, optimal {figures['optimal']}, "
                f"gap {figures['gap']:.2%}, unplaced {figures['unplaced']})"
            )
            url = args.page.format(slug=event.slug) if args.page else assignment_page(event)
            if url:
                post, page = time_page(event, url)
                print(
                    f'run {attempt + 1}: "Indelen" through the assignment page: POST {post:.2f} s + result page '
                    f"{page:.2f} s = {post + page:.2f} s ({url})"
                )
        if not (args.page or assignment_page(event)):
            print('(run_engine only: there is no assignment page yet; --page URL times its "Indelen" as well)')


if __name__ == "__main__":
    main()
