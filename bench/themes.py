"""Theme proposals (werkconferentie/outcomes/themes.py): how long they take, and how good they are.

    .venv/bin/python bench/themes.py                 # time for 2,000 answers (the issue's budget: 5 s)
    .venv/bin/python bench/themes.py --answers 5000
    .venv/bin/python bench/themes.py --evaluate      # quality on tests/outcomes/data/themes_nl.yaml
    .venv/bin/python bench/themes.py --database      # the whole propose_themes on a fresh SQLite database

Timing: 2,000 different Dutch answers (built from the evaluation set's answers with varied endings, so that no two
are the same text and the encoder's cache does not help), grouped by `group_by_meaning` as `propose_themes` does.
Printed: loading the encoder (once per server process), encoding, clustering; "warm" runs again with the finder's
cache filled, as a second proposal in a running server does.

With --database: a fresh data directory (SQLite), the example event with its 8 boards, the answers spread over
them with votes, then `propose_themes(event)` as the Opbrengst page calls it (reading the answers and votes,
grouping, writing the themes), first in a fresh process-wide finder, then again.

Evaluation: pairwise precision and recall (a pair of answers put in one theme is right when the set has them in one
theme) and the adjusted Rand index (Hubert & Arabie 1985), on the "tune" and "test" halves separately, with a sweep
of the threshold. The threshold is chosen on "tune" only; "test" reports how it does on themes it never saw.
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


def evaluate(finder: DuplicateFinder) -> None:
    sweep = [round(0.20 + 0.025 * k, 3) for k in range(17)]
    for half in ("tune", "test"):
        texts, truth = load(half)
        print(f"\n{half}: {len(texts)} answers in {len(set(truth))} themes")
        print("threshold  precision  recall  ARI    themes(>=2)  alone")
        for threshold in sweep:
            groups = themes.group_by_meaning(texts, threshold=threshold, finder=finder)
            found = labels_of(groups, len(texts))
            precision, recall = pairwise(truth, found)
            mark = "  <- THEME_THRESHOLD" if abs(threshold - themes.THEME_THRESHOLD) < 1e-9 else ""
            print(
                f"{threshold:9.3f}  {precision:9.2f}  {recall:6.2f}  {adjusted_rand_index(truth, found):5.2f}"
                f"  {sum(len(g) >= themes.MIN_THEME_SIZE for g in groups):11d}"
                f"  {sum(len(g) == 1 for g in groups):5d}{mark}"
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
    start = time.perf_counter(), time.process_time()
    default_finder().encoder_available  # noqa: B018 (loads the encoder, as the server's first use does)
    loaded = time.perf_counter(), time.process_time()
    themes_made = propose_themes(event)
    first = time.perf_counter(), time.process_time()
    propose_themes(event)
    again = time.perf_counter(), time.process_time()
    print(f"{count} answers on {len(boards)} boards, {Vote.objects.count()} votes: {len(themes_made)} themes")
    print("                          wall    CPU")
    for label, (w0, c0), (w1, c1) in [
        ("load encoder", start, loaded),
        ("propose_themes (encode)", loaded, first),
        ("propose_themes (again)", first, again),
    ]:
        print(f"{label:24s} {w1 - w0:6.2f} s {c1 - c0:6.2f} s")


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
