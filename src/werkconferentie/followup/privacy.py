"""Personal data of the follow-up: update contacts' names and addresses, and participants' choices.

Registered with the registration app's hook, so "download my data", `erase` and `purge` include them. An erased
contact's changes stay in the history, shown as "contact erased"; the commitments stay.
"""

from django.db.models import Q

from werkconferentie.outbox.mailing import erase_caused_by
from werkconferentie.registration.privacy import register_personal_data

from .models import ParticipantChoice, Reaction, UpdateContact

LINK_MAIL_KIND = "followup.link"
REMINDER_MAIL_KIND = "followup.reminder"


def _contacts(registrations):
    query = Q(pk__in=[])
    for registration in registrations:
        query |= Q(registration=registration) | Q(event_id=registration.event_id, email__iexact=registration.email)
    return UpdateContact.objects.filter(query)


def erase_contacts(contacts) -> int:
    count = 0
    for contact in list(contacts):
        erase_caused_by(LINK_MAIL_KIND, contact.pk)
        erase_caused_by(REMINDER_MAIL_KIND, contact.pk)
        contact.delete()
        count += 1
    return count


def erase(registrations) -> int:
    registrations = list(registrations)
    count = erase_contacts(_contacts(registrations))
    deleted, _ = ParticipantChoice.objects.filter(registration__in=registrations).delete()
    reactions, _ = Reaction.objects.filter(registration__in=registrations).delete()
    return count + deleted + reactions


def export(registration) -> dict | None:
    contacts = [
        {
            "municipality": contact.municipality_id,
            "name": contact.name,
            "email": contact.email,
            "function": contact.function,
            "link_sent_at": contact.link_sent_at.isoformat() if contact.link_sent_at else None,
            "revoked": contact.revoked_at is not None,
        }
        for contact in _contacts([registration])
    ]
    choice = ParticipantChoice.objects.filter(registration=registration).first()
    reactions = [
        {"sent_at": r.created_at.isoformat(), "text": r.text, "status": r.status}
        for r in Reaction.objects.filter(registration=registration).order_by("created_at")
    ]
    if not contacts and choice is None and not reactions:
        return None
    return {
        "reactions": reactions,
        "update_contacts": contacts,
        "may_be_contact": bool(choice and choice.may_be_contact),
        "wants_news": bool(choice and choice.wants_news),
    }


def register() -> None:
    register_personal_data("followup", erase=erase, export=export)
