from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from werkconferentie.core.models import ApiToken


class Command(BaseCommand):
    help = "Create an API token for a user and print it once; only its hash is stored."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for (shown in the back office)")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user named %(username)s.") % {"username": username})
        if not user.is_active:
            raise CommandError(_("The user %(username)s is not active.") % {"username": username})
        _record, token = ApiToken.create_for(user, name)
        # Only the token on stdout, so that scripts can capture it; the explanation goes to stderr.
        self.stderr.write(_("New API token for %(username)s; it is shown only now:") % {"username": username})
        self.stdout.write(token)
