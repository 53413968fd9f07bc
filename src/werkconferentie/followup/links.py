"""Update links: signed, revocable, and valid until the target date plus a period the organiser sets.

The same scheme as registration/links.py: the token carries the contact's id and secret, signed with SECRET_KEY
(Django signing). Revoking sets `revoked_at` and replaces the secret, so every link handed out before stops
working; a new link can be sent afterwards (`renew`).
"""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from .commitments import default_target_date
from .models import DEFAULT_LINK_DAYS_AFTER_TARGET, FollowupSettings, UpdateContact, new_secret

SALT = "werkconferentie.followup.update-link"


class InvalidLink(Exception):
    """Not made by us, changed, or its contact no longer exists."""


class ExpiredLink(Exception):
    """The link was valid, but the follow-up period is over."""


class RevokedLink(Exception):
    """The organiser revoked the link."""


def link_days(event) -> int:
    found = FollowupSettings.objects.filter(event=event).values_list("link_days_after_target", flat=True).first()
    return DEFAULT_LINK_DAYS_AFTER_TARGET if found is None else found


def link_expires_at(contact: UpdateContact) -> dt.datetime:
    """The end of the day (event's time zone) that is `link_days` after the target date."""
    return followup_ends_at(contact.event)


def followup_ends_at(event) -> dt.datetime:
    """The end of the follow-up period: the end of the day `link_days` after the target date."""
    last_day = default_target_date(event) + dt.timedelta(days=link_days(event))
    return dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=event.tzinfo)


def participant_from_token(token: str, now: dt.datetime | None = None):
    """The registration behind a personal link, for her "what happened to my ideas" page: that page works until
    the follow-up ends, also when her link no longer opens her registration (it does so until the event ends).
    Raises the registration app's InvalidLink or ExpiredLink."""
    from werkconferentie.registration import links as personal_links

    now = now or timezone.now()
    try:
        return personal_links.registration_from_token(token, now)
    except personal_links.ExpiredLink:
        # The signature and secret were checked as before; only the period differs.
        registration = personal_links.registration_from_token(token, dt.datetime.min.replace(tzinfo=dt.UTC))
        if now < followup_ends_at(registration.event):
            return registration
        raise


def update_token(contact: UpdateContact) -> str:
    return signing.dumps([contact.pk, contact.secret], salt=SALT, compress=True)


def update_url(contact: UpdateContact, *, absolute: bool = True) -> str:
    path = reverse("followup:update", kwargs={"token": update_token(contact)})
    return settings.SITE_URL + path if absolute else path


def contact_from_token(token: str, now: dt.datetime | None = None) -> UpdateContact:
    try:
        pk, secret = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidLink from None
    contact = UpdateContact.objects.select_related("event", "municipality").filter(pk=pk).first()
    if contact is None:
        raise InvalidLink
    if contact.revoked_at is not None:
        raise RevokedLink
    if not constant_time_compare(str(secret), contact.secret):
        raise RevokedLink  # an older link of this contact: replaced when it was revoked
    if (now or timezone.now()) >= link_expires_at(contact):
        raise ExpiredLink
    return contact


def revoke(contact: UpdateContact) -> None:
    contact.revoked_at = timezone.now()
    contact.secret = new_secret()
    contact.save(update_fields=["revoked_at", "secret"])


def renew(contact: UpdateContact) -> None:
    """Make a revoked contact usable again, with a new link (the old ones stay dead)."""
    contact.revoked_at = None
    contact.secret = new_secret()
    contact.save(update_fields=["revoked_at", "secret"])
