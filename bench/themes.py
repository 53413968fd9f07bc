"""Theme proposals (werkconferentie/outcomes/themes.py): how long they take, and how good they are.

    .venv/bin/python bench/themes.py --database      # the whole propose_themes for 2,000 answers (budget: 5 s)
    .venv/bin/python bench/themes.py                 # the grouping alone, encoding in the finder, then cached
    .venv/bin/python bench/themes.py --answers 5000
    .venv/bin/python bench/themes.py --evaluate      # quality on both sets' tuning and test parts

Timing: 2,000 different Dutch answers (built from the evaluation set's answers with varied endings, so that no two
are the same text and the encoder's cache does not help), grouped by `group_by_meaning` as `propose_themes` does.
Printed: loading the encoder (once per server process), encoding, clustering; "warm" runs again with the finder's
cache filled. (e5 encodes about 50 answers per CPU second, so the first run takes about 40 s of CPU.)

With --database: a fresh data directory (SQLite), the example event with its 8 boards, the answers spread over
them with votes, then `propose_themes(event)` as the Opbrengst page calls it (reading the answers, votes and kept
embeddings, grouping, writing the themes): first with no embedding kept (it encodes and keeps them all), then in
a new process-wide finder with the embeddings kept, as after a day on the boards, then again.

Evaluation: pairwise precision and recall (a pair of answers put in one theme is right when the set has them in one
theme) and the adjusted Rand index (Hubert & Arabie 1985). Two sets, each split once: tests/outcomes/data/
themes_nl.yaml (its "tune" and "test" themes) and the live boards' tests/live/data/duplicates_nl_v2.yaml (its
"tuning" and "test" sections; each section's topic is a theme, and its groups of duplicates are measured too). The
threshold and the area weight are chosen on the tuning parts only (the sweep printed first); the test parts report
how they do on answers and themes they never saw.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from collections import Counter
from math import comb
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from werkconferentie.live.similarity import DuplicateFinder  # noqa: E402
from werkconferentie.outcomes import grouping as themes  # noqa: E402

DATA = ROOT / "tests" / "outcomes" / "data" / "themes_nl.yaml"
V2 = ROOT / "tests" / "live" / "data" / "duplicates_nl_v2.yaml"
ENDINGS = ["", "!", " graag", " echt nodig", " in onze gemeente", " voor alle kinderen", " en snel", " alstublieft"]


def load(half: str | None = None) -> tuple[list[str], list[int]]:
    texts, labels = [], []
    for number, theme in enumerate(yaml.safe_load(DATA.read_text())["themes"]):
        if half is None or theme["half"] == half:
            texts += theme["answers"]
            labels += [number] * len(theme["answers"])
    return texts, labels


def labels_of(groups: list[list[int]], n: int) -> list[int]:
    labels = [0] * n
    for number, group in enumerate(groups):
        for index in group:
            labels[index] = number
    return labels


def pairwise(truth: list[int], found: list[int]) -> tuple[float, float]:
    same_truth = same_found = both = 0
    for i, j in itertools.combinations(range(len(truth)), 2):
        t, f = truth[i] == truth[j], found[i] == found[j]
        same_truth += t
        same_found += f
        both += t and f
    return (both / same_found if same_found else 1.0), (both / same_truth if same_truth else 1.0)


def adjusted_rand_index(truth: list[int], found: list[int]) -> float:
    """ARI = (index - expected) / (max - expected), from the contingency table of the two labellings."""
    n = len(truth)
    pairs_cells = sum(comb(c, 2) for c in Counter(zip(truth, found, strict=True)).values())
    pairs_truth = sum(comb(c, 2) for c in Counter(truth).values())
    pairs_found = sum(comb(c, 2) for c in Counter(found).values())
    expected = pairs_truth * pairs_found / comb(n, 2)
    maximum = (pairs_truth + pairs_found) / 2
    return 1.0 if maximum == expected else (pairs_cells - expected) / (maximum - expected)


def load_v2(part: str, unit: str) -> tuple[list[str], list[int]]:
    """One part ("tuning" or "test") of the live boards' duplicate set, with its groups of duplicates or its
    topics (sections) as themes."""
    texts, labels, group = [], [], 0
    for number, section in enumerate(yaml.safe_load(V2.read_text(encoding="utf-8"))["sections"]):
        for answers in section["groups"]:
            if section["part"] == part:
                texts += answers
                labels += [number if unit == "topics" else group] * len(answers)
            group += 1
    return texts, labels


SETS = {
    "themes_nl tune": lambda: load("tune"),
    "v2 tuning, topics": lambda: load_v2("tuning", "topics"),
    "themes_nl test": lambda: load("test"),
    "v2 test, topics": lambda: load_v2("test", "topics"),
    "v2 test, groups": lambda: load_v2("test", "groups"),
}
TUNING = ("themes_nl tune", "v2 tuning, topics")


def score(texts, truth, finder, threshold, area_weight) -> tuple[float, float, float, list[list[int]]]:
    groups = themes.group_by_meaning(texts, threshold=threshold, area_weight=area_weight, finder=finder)
    found = labels_of(groups, len(texts))
    return (*pairwise(truth, found), adjusted_rand_index(truth, found), groups)


def evaluate(finder: DuplicateFinder) -> None:
    """The sweep on the tuning parts (how THEME_THRESHOLD and AREA_WEIGHT were chosen), then every set once at the
    chosen values."""
    thresholds = [round(-0.1 + 0.025 * k, 3) for k in range(29)]
    weights = (0.0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8)
    data = {name: SETS[name]() for name in SETS}
    print("Tuning parts only: ARI of themes_nl tune / v2 tuning topics, per area weight (columns) and threshold")
    print("threshold " + " ".join(f"   w={w:<8}" for w in weights))
    table = {}
    for threshold in thresholds:
        cells = []
        for weight in weights:
            table[threshold, weight] = [score(*data[n], finder, threshold, weight)[2] for n in TUNING]
            cells.append("{:5.2f}/{:5.2f}".format(*table[threshold, weight]))
        print(f"{threshold:9.3f} " + " ".join(f"{c:>12}" for c in cells))
    # The choice: the best mean ARI of both tuning sets, averaged over the threshold and its neighbours within 0.05.
    smoothed = {
        (t, w): sum(sum(table[thresholds[j], w]) / 2 for j in range(i - 2, i + 3)) / 5
        for i, t in enumerate(thresholds[2:-2], start=2)
        for w in weights
    }
    (best_t, best_w), value = max(smoothed.items(), key=lambda item: item[1])
    print(f"best on the tuning parts (smoothed mean ARI {value:.3f}): threshold {best_t}, area weight {best_w}")
    print(f"in the module: THEME_THRESHOLD {themes.THEME_THRESHOLD}, AREA_WEIGHT {themes.AREA_WEIGHT}\n")
    print(f"{'set':<20} {'answers':>7} {'themes':>6}  precision  recall   ARI  proposed(>=2)  alone")
    for name, (texts, truth) in data.items():
        precision, recall, ari, groups = score(texts, truth, finder, themes.THEME_THRESHOLD, themes.AREA_WEIGHT)
        print(
            f"{name:<20} {len(texts):7d} {len(set(truth)):6d}  {precision:9.2f} {recall:7.2f} {ari:5.2f}"
            f"  {sum(len(g) >= themes.MIN_THEME_SIZE for g in groups):13d}  {sum(len(g) == 1 for g in groups):5d}"
        )


def many_answers(count: int) -> list[str]:
    base, _labels = load()
    rng = random.Random(1)
    texts = set()
    while len(texts) < count:
        texts.add(f"{rng.choice(base)}{rng.choice(ENDINGS)} {rng.randint(1, 10_000)}")
    return sorted(texts)


def timing(finder: DuplicateFinder, count: int) -> None:
    texts = many_answers(count)
    clocks = [(time.perf_counter(), time.process_time())]
    available = finder.encoder_available
    clocks.append((time.perf_counter(), time.process_time()))
    if not available:
        print("sentence encoder not available: grouping by policy area only")
    groups = themes.group_by_meaning(texts, finder=finder)
    clocks.append((time.perf_counter(), time.process_time()))
    themes.group_by_meaning(texts, finder=finder)
    clocks.append((time.perf_counter(), time.process_time()))
    print(f"{count} answers: {sum(len(g) >= themes.MIN_THEME_SIZE for g in groups)} themes")
    print("                   wall    CPU (CPU = wall on an idle core; the machine is shared)")
    labels = ["load encoder", "propose (encode)", "propose (cached)"]
    for label, (wall0, cpu0), (wall1, cpu1) in zip(labels, clocks, clocks[1:], strict=False):
        print(f"{label:17s} {wall1 - wall0:6.2f} s {cpu1 - cpu0:6.2f} s")
    print("(loading happens once per server process; a running server has most answers cached from the day)")


def database(count: int) -> None:
    import os
    import tempfile

    os.environ["WERKCONFERENTIE_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-themes-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkconferentie.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from werkconferentie.events.examples import example_event_file
    from werkconferentie.events.loading import load_event_file
    from werkconferentie.live.boards import ensure_boards
    from werkconferentie.live.models import Answer, Vote
    from werkconferentie.live.similarity import default_finder
    from werkconferentie.outcomes.themes import propose_themes

    call_command("migrate", verbosity=0)
    event = load_event_file(str(example_event_file())).event
    boards = ensure_boards(event)
    rng = random.Random(2)
    answers = Answer.objects.bulk_create(
        [
            Answer(board=boards[n % len(boards)], text=text, idempotency_key=f"bench-{n}")
            for n, text in enumerate(many_answers(count))
        ]
    )
    Vote.objects.bulk_create(
        [Vote(answer=a, voter=f"b{n}-{k}") for n, a in enumerate(answers) for k in range(rng.randint(0, 4))]
    )
    from werkconferentie.live import similarity
    from werkconferentie.live.models import AnswerEmbedding

    def fresh_process() -> None:
        similarity._default = None  # a new server process: nothing in the finder's cache

    clock = [("start", time.perf_counter(), time.process_time())]

    def tick(label: str) -> None:
        clock.append((label, time.perf_counter(), time.process_time()))

    default_finder().encoder_available  # noqa: B018 (loads the encoder, as the server's first use does)
    tick("load encoder (once per process)")
    themes_made = propose_themes(event)
    tick("propose_themes, nothing kept (encodes all)")
    kept = AnswerEmbedding.objects.count()
    fresh_process()
    default_finder().encoder_available  # noqa: B018
    tick("load encoder in a new process")
    propose_themes(event)
    tick("propose_themes, embeddings kept (the day's case)")
    propose_themes(event)
    tick("propose_themes again")
    print(f"{count} answers on {len(boards)} boards, {Vote.objects.count()} votes: {len(themes_made)} themes")
    print(f"embeddings kept: {kept}; load average {', '.join(f'{v:.1f}' for v in os.getloadavg())} (2 cores)")
    print(f"{'':48s}   wall     CPU")
    for (_, w0, c0), (label, w1, c1) in zip(clock, clock[1:], strict=False):
        print(f"{label:48s} {w1 - w0:6.2f} s {c1 - c0:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--evaluate", action="store_true")
    parser.add_argument("--database", action="store_true")
    args = parser.parse_args()
    if args.database:
        database(args.answers)
        return
    finder = DuplicateFinder("auto", cache_size=max(5000, args.answers * 2))
    if args.evaluate:
        evaluate(finder)
    else:
        timing(finder, args.answers)


if __name__ == "__main__":
    main()
