"""`werkconferentie report EVENT -o FILE`: the outcome report as HTML, PDF or Word, by the file's suffix."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from werkconferentie.events.models import Event
from werkconferentie.outcomes import report_files
from werkconferentie.outcomes.report_content import LANGUAGES, build_report

SUFFIXES = {".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}


class Command(BaseCommand):
    help = (
        "Write the outcome report of an event: report EVENT -o FILE.pdf (or .docx, .html). "
        "Before outcome points exist, or before it is published, the report is marked Concept."
    )

    def add_arguments(self, parser):
        parser.add_argument("event", help="the event's slug, e.g. roden-2022")
        parser.add_argument("-o", "--output", required=True, help="the file to write: .pdf, .docx or .html")
        parser.add_argument("--language", choices=LANGUAGES, default="nl", help="language of the report (nl, en)")

    def handle(self, *args, **options):
        output = Path(options["output"])
        kind = SUFFIXES.get(output.suffix.lower())
        if kind is None:
            raise CommandError(f"{output}: the file name must end in .pdf, .docx or .html (the format follows it)")
        if not output.parent.is_dir():
            raise CommandError(f"{output}: the folder {output.parent} does not exist")
        event = Event.objects.filter(slug=options["event"]).first()
        if event is None:
            raise CommandError(f"no event with slug {options['event']!r}")
        language = options["language"]
        started = time.perf_counter()
        report = build_report(event, language, image_format="png" if kind == "docx" else "svg")
        if kind == "pdf":
            content = report_files.report_pdf(event, language, report)
        elif kind == "docx":
            content = report_files.report_docx(event, language, report)
        else:
            content = report_files.report_html(event, language, report).encode("utf-8")
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from None
        seconds = time.perf_counter() - started
        state = "concept" if report.concept else "published"
        self.stdout.write(
            f"{output}: {kind}, {language}, {state}, {len(report.points)} points, "
            f"{report.participation.answers} answers, {len(content) // 1024} KB in {seconds:.1f} s"
        )
        if report.draft:
            self.stderr.write("No outcome points yet: a draft from the priorities and the most-voted answers.")
