"""Who is asked to report on a municipality's commitments, and mailing them their update link.

`default_contacts` is the one place that proposes contacts for a municipality. Today it proposes the
participants of that municipality who agreed to it (ParticipantChoice.may_be_contact; AVG: only with consent).
When the griffie addresses exist (a model per municipality), add them by appending a function to
DEFAULT_CONTACT_SOURCES; nothing else needs to change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from werkconferentie.events.models import Event
from werkconferentie.outbox.mailing import enqueue
from werkconferentie.reference.models import Municipality
from werkconferentie.registration.enums import Status
from werkconferentie.registration.models import Registration

from . import links
from .errors import FollowupError
from .models import ParticipantChoice, UpdateContact
from .privacy import LINK_MAIL_KIND


@dataclass(frozen=True)
class ProposedContact:
    municipality: Municipality
    name: str
    email: str
    function: str
    source: str
    registration: Registration | None = None
    language: str = "nl"


def participants_who_agree(event: Event, municipality: Municipality | None = None) -> list[ProposedContact]:
    """Registered participants of the event (of `municipality`, or of any) who agreed to be asked."""
    choices = ParticipantChoice.objects.filter(
        may_be_contact=True, registration__event=event, registration__municipality__isnull=False
    ).exclude(registration__status=Status.CANCELLED)
    if municipality is not None:
        choices = choices.filter(registration__municipality=municipality)
    return [
        ProposedContact(
            municipality=choice.registration.municipality,
            name=choice.registration.name,
            email=choice.registration.email,
            function=choice.registration.get_role_display(),
            source=UpdateContact.Source.PARTICIPANT,
            registration=choice.registration,
            language=choice.registration.language,
        )
        for choice in choices.select_related("registration__municipality").order_by("registration__name")
    ]


# The sources of proposed contacts, in order; each takes (event, municipality or None for all).
DEFAULT_CONTACT_SOURCES: list[Callable[[Event, Municipality | None], list[ProposedContact]]] = [
    participants_who_agree,
]


def default_contacts(event: Event, municipality: Municipality | None = None) -> list[ProposedContact]:
    """Proposed contacts not named yet, from every source, one per address and municipality."""
    named = set(UpdateContact.objects.filter(event=event).values_list("municipality_id", "email"))
    named = {(code, email.lower()) for code, email in named}
    proposals = []
    for source in DEFAULT_CONTACT_SOURCES:
        for proposal in source(event, municipality):
            key = (proposal.municipality.pk, proposal.email.lower())
            if key not in named:
                named.add(key)
                proposals.append(proposal)
    return proposals


def add_contact(
    event: Event,
    municipality: Municipality,
    email: str,
    *,
    name: str = "",
    function: str = "",
    source: str = UpdateContact.Source.ORGANISER,
    registration: Registration | None = None,
    language: str = "nl",
) -> UpdateContact:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise FollowupError(_("“%(email)s” is not an e-mail address.") % {"email": email[:80]}) from None
    if municipality.valid_to is not None:
        raise FollowupError(_("%(name)s no longer exists; name a contact of its successor.") % {"name": municipality})
    if UpdateContact.objects.filter(event=event, municipality=municipality, email__iexact=email).exists():
        raise FollowupError(
            _("%(email)s is already a contact of %(name)s.") % {"email": email, "name": municipality.name}
        )
    return UpdateContact.objects.create(
        event=event,
        municipality=municipality,
        email=email,
        name=name.strip()[:200],
        function=function.strip()[:200],
        source=source,
        registration=registration,
        language=language if language in ("nl", "en") else "nl",
    )


def add_default_contacts(event: Event, municipality: Municipality | None = None) -> list[UpdateContact]:
    return [
        add_contact(
            event,
            p.municipality,
            p.email,
            name=p.name,
            function=p.function,
            source=p.source,
            registration=p.registration,
            language=p.language,
        )
        for p in default_contacts(event, municipality)
    ]


def send_link(contact: UpdateContact, *, letter_date=None) -> None:
    """Queue the mail with her update link (through the outbox, in this transaction). `letter_date`: the date of
    the raadsadres her council got, when the daily job invites her after it (reminders.py)."""
    if contact.revoked_at is not None:
        raise FollowupError(_("This contact's link was revoked; renew it first."))
    event = contact.event
    with translation.override(contact.language):
        context = {
            "contact": contact,
            "event": event,
            "url": links.update_url(contact),
            "expires_at": links.link_expires_at(contact),
            "letter_date": letter_date,
        }
        subject = render_to_string("followup/mail/link_subject.txt", context).strip()
        text = render_to_string("followup/mail/link.txt", context)
    with transaction.atomic():
        enqueue(
            contact.email,
            subject,
            text,
            language=contact.language,
            kind=LINK_MAIL_KIND,
            object_id=contact.pk,
            reply_to=event.contact_email,
        )
        contact.link_sent_at = timezone.now()
        contact.save(update_fields=["link_sent_at"])


def contacts_of(event: Event):
    return UpdateContact.objects.filter(event=event).select_related("municipality")
