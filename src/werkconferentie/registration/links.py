"""Personal links: signed, unguessable, and valid until the event is over.

The token carries the registration's id and its secret, signed with SECRET_KEY (Django signing). Changing the
secret revokes every earlier link; erasing the registration makes its link point at nothing.
"""

import datetime as dt
import re

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from .models import Registration

SALT = "werkconferentie.registration.personal-link"


class InvalidLink(Exception):
    """The link was not made by us, was changed, or its registration no longer exists."""


class ExpiredLink(Exception):
    """The link was valid, but its event is over."""


def link_expires_at(registration: Registration) -> dt.datetime:
    # Until the event ends, or as long as registration stays open if that is later (the demo reopens a past
    # event's registration, and a registration that can still be made should be manageable).
    event = registration.event
    return max(event.ends_at, event.registration_closes_at)


def personal_token(registration: Registration) -> str:
    return signing.dumps([registration.pk, registration.secret], salt=SALT, compress=True)


def personal_url(registration: Registration, *, absolute: bool = True) -> str:
    path = reverse("registration:manage", kwargs={"token": personal_token(registration)})
    return settings.SITE_URL + path if absolute else path


def registration_from_token(token: str, now: dt.datetime | None = None) -> Registration:
    try:
        pk, secret = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidLink from None
    registration = Registration.objects.select_related("event", "municipality").filter(pk=pk).first()
    if registration is None or not constant_time_compare(str(secret), registration.secret):
        raise InvalidLink
    if (now or timezone.now()) > link_expires_at(registration):
        raise ExpiredLink
    return registration


# The pages behind a personal link: the registrant's own language unless she chose one with the switch.
PERSONAL_PAGE = re.compile(r"^/aanmelding/(?P<token>[^/]+)/")


def registrants_language(path: str) -> str | None:
    """The language someone registered in, on the pages behind her personal link (one query); registered with
    core's locale middleware at ready()."""
    match = PERSONAL_PAGE.match(path)
    if match is None:
        return None
    try:
        return registration_from_token(match["token"]).language
    except (InvalidLink, ExpiredLink):
        return None
