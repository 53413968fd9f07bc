"""`werkconferentie import_griffies FILE.csv`: the griffie addresses from a CSV, all rows or none (griffies.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from werkconferentie.outcomes import griffies


class Command(BaseCommand):
    help = "Import griffie addresses from a CSV (CBS code; e-mail; postal address). All rows are saved, or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        result = griffies.import_csv(data)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} bad rows; nothing was imported.")
        self.stdout.write(
            f"{result.created} new, {result.updated} changed, {result.unchanged} unchanged griffie addresses."
        )
