"""Personal data of the follow-up: update contacts' names and addresses, participants' choices, the weekly news
digests sent to a participant, and the address of a children's group's teacher or youth worker (digest.py).

Registered with the registration app's hook, so "download my data", `erase` and `purge` include them. An erased
contact's changes stay in the history, shown as "contact erased"; the commitments stay.
"""

from django.db.models import Q

from werkconferentie.outbox.mailing import erase_caused_by
from werkconferentie.registration.privacy import register_personal_data

from .models import ChildrenGroupContact, ParticipantChoice, Reaction, SentDigest, UpdateContact

LINK_MAIL_KIND = "followup.link"
REMINDER_MAIL_KIND = "followup.reminder"
DIGEST_MAIL_KIND = "followup.digest"  # object_id: the registration
GROUP_DIGEST_MAIL_KIND = "followup.group-digest"  # object_id: the ChildrenGroupContact


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


def _group_contacts(registrations):
    """The children's group addresses that are a registration's own address (a teacher who registered too)."""
    query = Q(pk__in=[])
    for registration in registrations:
        query |= Q(board__event_id=registration.event_id, email__iexact=registration.email)
    return ChildrenGroupContact.objects.filter(query)


def erase_digests(registrations) -> int:
    count = 0
    for registration in registrations:
        count += erase_caused_by(DIGEST_MAIL_KIND, registration.pk)
    deleted, _ = SentDigest.objects.filter(registration__in=registrations).delete()
    for group in list(_group_contacts(registrations)):
        count += erase_caused_by(GROUP_DIGEST_MAIL_KIND, group.pk)
        group.delete()  # its SentDigest rows go with it
        count += 1
    return count + deleted


def erase(registrations) -> int:
    registrations = list(registrations)
    count = erase_contacts(_contacts(registrations))
    count += erase_digests(registrations)
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
    digests = [
        {"week": d.week, "email": d.email, "news_until": d.covered_until.isoformat()}
        for d in SentDigest.objects.filter(registration=registration).order_by("week")
    ]
    groups = [
        {
            "board": group.board.code,
            "email": group.email,
            "statement": group.consent_statement,
            "confirmed_at": group.consented_at.isoformat(),
            "digests": list(
                SentDigest.objects.filter(group_contact=group).order_by("week").values_list("week", flat=True)
            ),
        }
        for group in _group_contacts([registration]).select_related("board")
    ]
    if not contacts and choice is None and not digests and not groups and not reactions:
        return None
    return {
        "reactions": reactions,
        "update_contacts": contacts,
        "may_be_contact": bool(choice and choice.may_be_contact),
        "wants_news": bool(choice and choice.wants_news),
        "news_digests": digests,
        "children_group_addresses": groups,
    }


def register() -> None:
    register_personal_data("followup", erase=erase, export=export)
