import datetime as dt
import os
import secrets
import signal
import subprocess
import sys
from importlib import resources

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from werkconferentie.core.roles import ensure_organiser_group
from werkconferentie.events.examples import EXAMPLE_SLUG, example_event_file
from werkconferentie.events.loading import load_event_file
from werkconferentie.events.models import Event

DEMO_USERNAME = "organisator"


class Command(BaseCommand):
    help = "Start the bundled example conference (Roden 2022) on 127.0.0.1, with an organiser account."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-serve", action="store_true", help="prepare the demo but do not start the server")

    def handle(self, *args, port, workers, no_serve, **options):
        url = f"http://127.0.0.1:{port}"
        # Personal links, host links and the room screen's join address use the public address: in the demo it
        # is the address served, unless WERKCONFERENTIE_SITE_URL says otherwise. The environment carries it to
        # the server's worker processes and the mail worker.
        if not os.environ.get("WERKCONFERENTIE_SITE_URL"):
            os.environ["WERKCONFERENTIE_SITE_URL"] = url
            settings.SITE_URL = url
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if not Event.objects.filter(slug=EXAMPLE_SLUG).exists():
            with resources.as_file(example_event_file()) as path:
                load_event_file(path)
            self.stdout.write(f"Voorbeeldconferentie geladen: {EXAMPLE_SLUG}")
        event = Event.objects.get(slug=EXAMPLE_SLUG)
        # The example took place in 2022; in the demo its registration is open so every feature can be tried.
        event.registration_opens = None
        event.registration_closes = timezone.now() + dt.timedelta(days=365)
        event.save(update_fields=["registration_opens", "registration_closes"])
        username, password = self.organiser_login(event)
        # The live boards of the day, open, so that answering and the room screen can be tried at once.
        from werkconferentie.live.boards import ensure_boards, set_open

        boards = [set_open(board, True) for board in ensure_boards(event)]
        # Example answers written for the demo (outcomes/data/demo-answers.yaml), once: themes, a draft report and
        # letters can be seen at once.
        from werkconferentie.outcomes.demo import load_demo_answers

        loaded = load_demo_answers(event)
        if loaded.answers:
            self.stdout.write(
                f"Voorbeeldantwoorden (geschreven voor de demo) geladen: {loaded.answers} antwoorden, "
                f"{loaded.votes} stemmen, {loaded.points} opbrengstpunten"
            )
        # Example commitments of a few Drenthe municipalities (followup/data/demo-commitments.yaml), once.
        from werkconferentie.followup.demo import load_demo_commitments

        if commitments := load_demo_commitments(event):
            self.stdout.write(f"Voorbeeldafspraken (geschreven voor de demo) geladen: {commitments}")

        self.stdout.write(self.style.SUCCESS(f"\nDe voorbeeldconferentie staat klaar op {url}/"))
        self.stdout.write(f"Beheer: {url}/beheer/  gebruikersnaam: {username}  wachtwoord: {password}")
        self.stdout.write(
            f"Live bord van workshop 1, ronde 1: {url}/doe-mee/{boards[0].code}/  (scherm: …/scherm/, alle borden: "
            f"{url}/beheer-dag/{event.slug}/live/)"
        )
        self.stdout.write(f"Raadsadressen versturen: {url}/beheer-dag/{event.slug}/raadsadressen/versturen/")
        self.stdout.write(f"Voortgang van de afspraken: {url}/conferenties/{event.slug}/voortgang/")
        self.stdout.write(
            f"Verstuurde mail (met bijlagen): {url}/beheer/registration/registration/dashboard/{event.slug}/mail/ "
            "(hieronder één regel per mail)"
        )
        self.stdout.write(f"(Het wachtwoord staat ook in {settings.DATA_DIR / 'demo-login.txt'}.)\n")
        if not no_serve:
            # SIGTERM must unwind through the `finally` below, so that the workers are stopped with the server.
            signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
            workers_in_background = [self.start_mail_worker(), self.start_followup_job()]
            try:
                call_command("serve", host="127.0.0.1", port=port, workers=workers)
            finally:
                for worker in workers_in_background:
                    worker.terminate()
                for worker in workers_in_background:
                    try:
                        worker.wait(timeout=15)
                    except subprocess.TimeoutExpired:
                        worker.kill()

    def start_mail_worker(self) -> subprocess.Popen:
        """Send the outbox's mail in the background while the demo runs (`werkconferentie send-mail`)."""
        return self.start_in_background("send-mail")

    def start_followup_job(self) -> subprocess.Popen:
        """The follow-up's daily job (reminders to update contacts, news about ideas), once a day while the demo
        runs: `werkconferentie followup-remind --daily`; in production cron or a systemd timer runs it."""
        return self.start_in_background("followup-remind", "--daily")

    def start_in_background(self, *command: str) -> subprocess.Popen:
        env = {**os.environ, "WERKCONFERENTIE_DATA_DIR": str(settings.DATA_DIR)}
        env.setdefault("DJANGO_SETTINGS_MODULE", "werkconferentie.settings")
        return subprocess.Popen([sys.executable, "-m", "werkconferentie", *command], env=env)

    def organiser_login(self, event) -> tuple[str, str]:
        """Create the demo organiser once; its password is kept in the data directory (owner-only)."""
        login_file = settings.DATA_DIR / "demo-login.txt"
        user_model = get_user_model()
        user = user_model.objects.filter(username=DEMO_USERNAME).first()
        if user is None or not login_file.exists():
            password = secrets.token_urlsafe(12)
            user = user or user_model(username=DEMO_USERNAME, email="organisator@example.org")
            user.is_staff = True
            user.set_password(password)
            user.save()
            login_file.touch(mode=0o600)
            login_file.write_text(f"{DEMO_USERNAME}\n{password}\n")
        user.groups.add(ensure_organiser_group())
        event.organisers.add(user)
        return DEMO_USERNAME, login_file.read_text().split("\n")[1]
