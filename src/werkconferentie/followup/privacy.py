"""Personal data of the follow-up: update contacts' names and addresses, participants' choices, the weekly news
digests sent to a participant, and the address of a children's group's teacher or youth worker (digest.py).

Registered with the registration app's hook, so "download my data", `erase` and `purge` include them, also for
contacts who never registered (a griffie, a council member the organiser named): `erase EMAIL` finds them by
address, and `purge` erases an event's contacts once both the event's retention time and the period her update
link works (the target date plus the days the organiser set) are over. An erased contact's changes stay in the
history, shown as "contact erased"; the commitments stay.
"""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from werkconferentie.events.models import Event
from werkconferentie.outbox.mailing import erase_caused_by
from werkconferentie.registration.privacy import register_personal_data, scrub_admin_log

from .commitments import default_target_date
from .links import link_days
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
    texts = set()
    for contact in list(contacts):
        erase_caused_by(LINK_MAIL_KIND, contact.pk)
        erase_caused_by(REMINDER_MAIL_KIND, contact.pk)
        texts |= {contact.email, contact.name, str(contact)}
        contact.delete()
        count += 1
    scrub_admin_log(texts)  # the back office's log names her when the organiser changed her there
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
    count += erase_group_contacts(_group_contacts(registrations))
    return count + deleted


def _export_contact(contact: UpdateContact) -> dict:
    return {
        "event": contact.event.slug,
        "municipality": contact.municipality_id,
        "name": contact.name,
        "email": contact.email,
        "function": contact.function,
        "source": contact.source,
        "language": contact.language,
        "added_at": contact.created_at.isoformat(),
        "link_sent_at": contact.link_sent_at.isoformat() if contact.link_sent_at else None,
        "revoked": contact.revoked_at is not None,
    }


def export_address(email: str) -> list[dict]:
    """Every contact with this address, in any event, registered or not (the organiser's answer to a request)."""
    contacts = UpdateContact.objects.filter(email__iexact=email).select_related("event").order_by("created_at", "pk")
    return [_export_contact(contact) for contact in contacts]


def erase_address(email: str) -> int:
    """Erase every contact and children's group address with this address, in any event (those of a registration
    went with it already)."""
    return erase_contacts(UpdateContact.objects.filter(email__iexact=email)) + erase_group_contacts(
        ChildrenGroupContact.objects.filter(email__iexact=email)
    )


def erase_group_contacts(groups) -> int:
    count = 0
    for group in list(groups):
        count += erase_caused_by(GROUP_DIGEST_MAIL_KIND, group.pk)
        group.delete()  # its SentDigest rows go with it
        count += 1
    return count


def kept_until(event) -> dt.date:
    """The last day an event's contacts are kept: the later of its retention and the end of the link period."""
    links_end = default_target_date(event) + dt.timedelta(days=link_days(event))
    return max(event.erased_on, links_end)


def held_in(today: dt.date | None = None) -> list[int]:
    """The events whose contacts are due to be erased (`purge`)."""
    today = today or timezone.localdate()
    events = Event.objects.filter(
        Q(update_contacts__isnull=False) | Q(boards__followup_group_contact__isnull=False)
    ).distinct()
    return [event.pk for event in events if kept_until(event) < today]


def purge_event(event, today: dt.date | None = None) -> int:
    if kept_until(event) >= (today or timezone.localdate()):
        return 0  # the follow-up still runs: her link works until then
    return erase_contacts(UpdateContact.objects.filter(event=event)) + erase_group_contacts(
        ChildrenGroupContact.objects.filter(board__event=event)
    )


def erase(registrations) -> int:
    registrations = list(registrations)
    count = erase_contacts(_contacts(registrations))
    count += erase_digests(registrations)
    deleted, _ = ParticipantChoice.objects.filter(registration__in=registrations).delete()
    reactions, _ = Reaction.objects.filter(registration__in=registrations).delete()
    return count + deleted + reactions


def export(registration) -> dict | None:
    contacts = [_export_contact(contact) for contact in _contacts([registration]).select_related("event")]
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
    register_personal_data(
        "followup",
        erase=erase,
        export=export,
        export_address=export_address,
        erase_address=erase_address,
        purge_event=purge_event,
        held_in=held_in,
    )
