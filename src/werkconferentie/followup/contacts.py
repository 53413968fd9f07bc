"""Who is asked to report on a municipality's commitments, and mailing them their update link.

`default_contacts` is the one place that proposes contacts for a municipality, from the sources in
DEFAULT_CONTACT_SOURCES: the griffie of each municipality the event concerns (the address of outcomes'
GriffieAddress list, public facts about a public body), then the participants of that municipality who agreed to
it (ParticipantChoice.may_be_contact; AVG: only with consent).
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
from werkconferentie.outcomes.models import GriffieAddress, LetterDispatch
from werkconferentie.reference.models import Municipality
from werkconferentie.reference.municipalities import current_successor
from werkconferentie.registration.enums import Status
from werkconferentie.registration.models import Registration

from . import links
from .errors import FollowupError
from .models import Commitment, ParticipantChoice, UpdateContact
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


def municipalities_of(event: Event) -> set[str]:
    """The current municipalities (CBS codes) the event concerns: those its raadsadres was sent to, those with a
    commitment, and those of its participants; a merged municipality counts as its successor."""
    codes = set(LetterDispatch.objects.filter(event=event).values_list("municipality_id", flat=True))
    codes |= set(Commitment.objects.filter(event=event).values_list("municipality_id", flat=True))
    codes |= set(
        Registration.objects.filter(event=event, municipality__isnull=False)
        .exclude(status=Status.CANCELLED)
        .values_list("municipality_id", flat=True)
    )
    current = set(Municipality.objects.current().filter(pk__in=codes).values_list("pk", flat=True))
    for code in codes - current:  # merged since: few, one look-up each
        successor = current_successor(code)
        if successor is not None:
            current.add(successor.pk)
    return current


def griffies(event: Event, municipality: Municipality | None = None) -> list[ProposedContact]:
    """The griffie of each municipality the event concerns (or of `municipality`) that has an e-mail address in
    the griffie list (`werkconferentie import_griffies`, or typed in the back office)."""
    codes = {municipality.pk} if municipality is not None else municipalities_of(event)
    addresses = (
        GriffieAddress.objects.filter(municipality_id__in=codes, municipality__valid_to__isnull=True)
        .exclude(email="")
        .select_related("municipality")
        .order_by("municipality__name")
    )
    proposals = []
    with translation.override("nl"):  # the griffie's mail is Dutch, so is how she is named
        for address in addresses:
            proposals.append(
                ProposedContact(
                    municipality=address.municipality,
                    name=_("Griffie %(name)s") % {"name": address.municipality.name},
                    email=address.email,
                    function=_("griffie"),
                    source=UpdateContact.Source.GRIFFIE,
                )
            )
    return proposals


# The sources of proposed contacts, in order; each takes (event, municipality or None for all).
DEFAULT_CONTACT_SOURCES: list[Callable[[Event, Municipality | None], list[ProposedContact]]] = [
    griffies,
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


def send_unsent_links(event: Event) -> list[UpdateContact]:
    """Queue the link mail of every contact of the event who has not had one and is not revoked (the page's
    "Send all links" and `werkconferentie followup invite`), in one transaction; returns those contacts."""
    with transaction.atomic():
        unsent = list(contacts_of(event).filter(link_sent_at__isnull=True, revoked_at__isnull=True))
        for contact in unsent:
            send_link(contact)
    return unsent


def contacts_of(event: Event):
    return UpdateContact.objects.filter(event=event).select_related("municipality")
