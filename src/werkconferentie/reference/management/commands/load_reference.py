from django.core.management.base import BaseCommand

from werkconferentie.reference.loading import load_reference


class Command(BaseCommand):
    help = "Load or refresh the bundled reference data (CRC articles, SDGs, municipalities). Safe to rerun."

    def handle(self, *args, **options):
        summary = load_reference()
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {summary}"))
