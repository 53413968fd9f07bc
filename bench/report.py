"""What the outcome report costs for an event with 2,000 answers on 8 boards: content, PDF and Word.

    .venv/bin/python bench/report.py                      # 2,000 answers, SQLite in a fresh data dir
    .venv/bin/python bench/report.py --answers 5000 --repeat 3 --draft

It makes a fresh data directory (SQLite unless DATABASE_URL), migrates, loads the bundled example conference
(3 workshops × 2 rounds, the round-table and the children: 8 boards), and bulk-inserts 300 confirmed registrations
and the answers spread over the boards (a tenth of them from children, a twentieth priorities, tags on a third,
Zipf-like votes), plus five outcome points with twenty supporting answers each (--draft: none, so the report is
a draft). Then it times, per run, `build_report` and the PDF (documents.pdf, WeasyPrint) and the .docx
(documents.word) of report_files, and prints the median, the pages and the sizes. Target: the PDF in at most 5 s
on 2 cores.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

WORDS = (
    "wachtlijsten jeugdzorg speelplekken wijk kinderraad school armoede sport gratis veilig fietsen groen "
    "inspraak jongerenwerk pesten bibliotheek zwemles buurthuis mentale gezondheid huisvesting vervoer "
    "klimaat natuur cultuur muziek stage inclusie beperking toegankelijk privacy informatie"
).split()


def setup_django(data_dir: str) -> None:
    os.environ["WERKCONFERENTIE_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkconferentie.settings")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_event(answers: int, people: int, draft: bool, seed: int):
    import random

    from django.db import transaction
    from django.utils import timezone

    from werkconferentie.events.examples import example_event_file
    from werkconferentie.events.loading import load_event_file
    from werkconferentie.live.boards import ensure_boards
    from werkconferentie.live.enums import AnswerStatus, BoardKind
    from werkconferentie.live.models import Answer, Vote
    from werkconferentie.outcomes import points
    from werkconferentie.reference.models import CrcArticle, Municipality
    from werkconferentie.registration.enums import Role, Status
    from werkconferentie.registration.models import PrivacyStatement, Registration

    rng = random.Random(seed)
    event = load_event_file(str(example_event_file())).event
    boards = ensure_boards(event)
    towns = list(Municipality.objects.filter(code__startswith="GM").order_by("code")[:60])
    articles = list(CrcArticle.objects.filter(number__in=[3, 12, 24, 28, 31]))
    roles = [role.value for role in Role if role != Role.OTHER]
    statement = PrivacyStatement.objects.order_by("-version").first()
    with transaction.atomic():
        Registration.objects.bulk_create(
            Registration(
                event=event,
                name=f"Deelnemer {n}",
                email=f"deelnemer{n}@example.org",
                role=rng.choice(roles),
                municipality=rng.choice(towns) if n % 10 else None,
                organisation="" if n % 10 else "Een organisatie",
                status=Status.CONFIRMED,
                consent_statement=statement,
                consented_at=timezone.now(),
            )
            for n in range(people)
        )
        made = Answer.objects.bulk_create(
            Answer(
                board=(board := boards[n % len(boards)]),
                text=" ".join(rng.sample(WORDS, rng.randint(4, 14))).capitalize()[:280],
                role="" if board.kind == BoardKind.CHILDREN else rng.choice(roles),
                municipality=None if board.kind == BoardKind.CHILDREN else rng.choice(towns),
                idempotency_key=f"bench-{n}",
                status=AnswerStatus.VISIBLE,
                priority=n % 20 == 0,
                from_children=board.kind == BoardKind.CHILDREN,
                policy_areas=[rng.choice(["jeugdhulp", "onderwijs", "participatie"])] if n % 3 == 0 else [],
            )
            for n in range(answers)
        )
        links = Answer.crc_articles.through
        links.objects.bulk_create(
            links(answer_id=a.pk, crcarticle_id=rng.choice(articles).pk) for a in made[::3] if articles
        )
        votes = []
        for position, answer in enumerate(made):
            for voter in range(int(12 / (1 + position % 40) ** 0.8)):
                votes.append(Vote(answer=answer, voter=f"b{answer.pk}-{voter}"))
        Vote.objects.bulk_create(votes)
        if not draft:
            for number in range(5):
                points.create_point(
                    event,
                    title_nl=f"Punt {number + 1}: {' '.join(rng.sample(WORDS, 4))}",
                    request_nl=f"De werkconferentie vraagt de gemeenteraad om {' '.join(rng.sample(WORDS, 8))}.",
                    is_request=number < 4,
                    answers=[a.pk for a in rng.sample(made, 20)],
                    crc_articles=[12],
                    policy_areas=["participatie"],
                )
    return event, len(votes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--language", default="nl", choices=["nl", "en"])
    parser.add_argument("--draft", action="store_true", help="no outcome points: the report is a draft")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="DIR", help="write the last PDF and .docx into DIR")
    parser.add_argument("--profile", action="store_true", help="profile one more PDF and print the top functions")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-report-") as data_dir:
        setup_django(data_dir)
        from pypdf import PdfReader

        from werkconferentie.outcomes import report_files
        from werkconferentie.outcomes.report_content import build_report

        started = time.perf_counter()
        event, votes = make_event(args.answers, args.people, args.draft, args.seed)
        print(
            f"event: {args.answers} answers on {event.boards.count()} boards, {votes} votes, {args.people} people, "
            f"{'draft' if args.draft else '5 outcome points'} (made in {time.perf_counter() - started:.1f} s)"
        )
        # The first run also pays for imports (WeasyPrint, pango, matplotlib) and font loading: shown apart.
        timings: dict[str, list[float]] = {"content": [], "pdf": [], "docx": []}
        pdf = docx = b""
        for run in range(args.repeat + 1):
            t0, c0 = time.perf_counter(), time.process_time()
            build_report(event, args.language, image_format="svg")
            t1, c1 = time.perf_counter(), time.process_time()
            pdf = report_files.report_pdf(event, args.language)
            t2, c2 = time.perf_counter(), time.process_time()
            docx = report_files.report_docx(event, args.language)
            t3, c3 = time.perf_counter(), time.process_time()
            label = "first run (imports, fonts)" if run == 0 else f"run {run}"
            print(
                f"{label}: content {t1 - t0:.2f} s (CPU {c1 - c0:.2f}), PDF {t2 - t1:.2f} s (CPU {c2 - c1:.2f}), "
                f"docx {t3 - t2:.2f} s (CPU {c3 - c2:.2f})"
            )
            if run:
                timings["content"].append(t1 - t0)
                timings["pdf"].append(t2 - t1)
                timings["docx"].append(t3 - t2)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"median of {args.repeat}: content {statistics.median(timings['content']):.2f} s, "
            f"PDF {statistics.median(timings['pdf']):.2f} s ({pages} pages, {len(pdf) // 1024} KB; includes its "
            f"content), docx {statistics.median(timings['docx']):.2f} s ({len(docx) // 1024} KB; includes its content)"
        )
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"load average while measuring: {load} on {os.cpu_count()} cores")
        if args.profile:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.runcall(report_files.report_pdf, event, args.language)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        if args.keep:
            Path(args.keep, "report.pdf").write_bytes(pdf)
            Path(args.keep, "report.docx").write_bytes(docx)
    return 0


if __name__ == "__main__":
    sys.exit(main())
