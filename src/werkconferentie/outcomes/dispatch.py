"""Sending the raadsadres: one mail per griffie through the outbox, the letter attached as PDF and Word, and a
record per letter (LetterDispatch) of where it went, whether the mail server took it, and what the council did.

Queueing only inserts rows (`enqueue_to_render`), so confirming 342 letters takes about 3 s on this 2-core
machine: rendering them in the request (measured 0.3 s per letter for the PDF and the .docx under load) would
hold the organiser's request for one and a half to two minutes, longer than a proxy waits. The outbox worker
renders each mail just before sending it, through `render` (registered in apps.py), with the letter date fixed
at confirmation, so every letter of one sending carries the same date.

The mail itself is Dutch: it goes to a Dutch griffie whatever language the organiser works in.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from werkconferentie.events.models import Event
from werkconferentie.outbox.enums import MessageState
from werkconferentie.outbox.mailing import Attachment, enqueue_to_render
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.reference.models import Municipality

from . import griffies, raadsadres, report
from .models import CouncilHandling, GriffieAddress, LetterDispatch

KIND = "outcomes.raadsadres"
TEMPLATES = "outcomes/mail/raadsadres"
MAIL_LANGUAGE = "nl"
CHOICES = ("default", "all", "province")
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class SendingError(Exception):
    """A choice of recipients or a follow-up entry that cannot be used; the message says why."""


# --- Who gets a letter --------------------------------------------------------------------------------------


@dataclass
class Recipient:
    municipality: Municipality
    address: GriffieAddress | None
    earlier: list[LetterDispatch] = field(default_factory=list)

    @property
    def sendable(self) -> bool:
        return self.address is not None and bool(self.address.email)


@dataclass
class Plan:
    """The letters one choice of recipients gives: who can get one by mail, who cannot (no e-mail address of
    the griffie), and who got one already."""

    event: Event
    facts: raadsadres.EventFacts
    choice: str
    province: str
    recipients: list[Recipient]

    @property
    def sendable(self) -> list[Recipient]:
        return [r for r in self.recipients if r.sendable]

    @property
    def not_sendable(self) -> list[Recipient]:
        return [r for r in self.recipients if not r.sendable]

    @property
    def sent_before(self) -> list[Recipient]:
        return [r for r in self.sendable if r.earlier]

    @property
    def new(self) -> list[Recipient]:
        return [r for r in self.sendable if not r.earlier]


def plan(event: Event, choice: str = "default", province: str = "", on: dt.date | None = None) -> Plan:
    """The recipients for a choice: "default" (the municipalities with a registration or an answer), "all"
    (every municipality on the letter date) or "province" (every municipality of `province`)."""
    if choice not in CHOICES:
        raise SendingError(_("Choose who gets the letter."))
    if choice == "province" and not province.strip():
        raise SendingError(_("Choose a province."))
    facts = raadsadres.event_facts(event, on=on)
    try:
        municipalities = raadsadres.recipients(
            facts, every=choice == "all", province=province if choice == "province" else None
        )
    except ValueError as error:
        raise SendingError(str(error)) from None
    codes = [m.code for m in municipalities]
    addresses = griffies.addresses(codes)
    earlier = defaultdict(list)
    for dispatch in LetterDispatch.objects.filter(event=event, municipality_id__in=codes).order_by("queued_at"):
        earlier[dispatch.municipality_id].append(dispatch)
    recipients = [Recipient(m, addresses.get(m.code), earlier.get(m.code, [])) for m in municipalities]
    return Plan(event, facts, choice, province.strip() if choice == "province" else "", recipients)


def provinces(on: dt.date) -> list[str]:
    """The provinces' names on a date, for the choice of recipients."""
    return sorted(set(Municipality.objects.on(on).values_list("province_name", flat=True)))


# --- The mail -----------------------------------------------------------------------------------------------


def mail_context(event: Event, municipality: Municipality | None, letter: raadsadres.Letter) -> dict:
    outcome = report.report_of(event)
    return {
        "event": event,
        "municipality": municipality,
        "letter": letter,
        "event_title": event.title_nl,
        "event_date": letter_date_text(event.date),
        "place": event.venue_city,
        "sender": report.sender_name(outcome, MAIL_LANGUAGE),
        "signatory": outcome.signatory_name,
        "signatory_function": report.signatory_function(outcome, MAIL_LANGUAGE),
        "contact_email": report.contact_email(outcome),
        "attachments": [raadsadres.filename(municipality, "pdf"), raadsadres.filename(municipality, "docx")],
    }


def letter_date_text(value: dt.date) -> str:
    from django.utils import formats

    with translation.override(MAIL_LANGUAGE):
        return formats.date_format(value, "j F Y")


def preview(the_plan: Plan) -> dict:
    """The mail as the first griffie of the plan gets it (subject, text, attachment names), rendered now from the
    same templates the outbox worker uses (they switch autoescaping off themselves, so both give the same text)."""
    first = the_plan.sendable[0].municipality if the_plan.sendable else None
    if first is None and the_plan.recipients:
        first = the_plan.recipients[0].municipality
    letter = raadsadres.letter(the_plan.facts, first, MAIL_LANGUAGE)
    context = mail_context(the_plan.event, first, letter)
    with translation.override(MAIL_LANGUAGE):
        subject = " ".join(render_to_string(f"{TEMPLATES}_subject.txt", context).split())
        text = render_to_string(f"{TEMPLATES}.txt", context)
    return {"subject": subject, "text": text, "attachments": context["attachments"], "municipality": first}


# --- Queueing -----------------------------------------------------------------------------------------------


@dataclass
class Queued:
    dispatches: list[LetterDispatch]
    skipped_sent_before: list[Municipality]
    skipped_no_address: list[Municipality]


def queue_letters(
    event: Event, codes: list[str], user=None, *, resend: bool = False, on: dt.date | None = None
) -> Queued:
    """Queue one mail per griffie for the municipalities `codes` (CBS codes from a plan the organiser confirmed).

    A municipality that got this event's letter before is skipped unless `resend` is given (then it gets a new
    record beside the old); one without a griffie e-mail address is skipped. Codes that are not among the event's
    possible recipients on the letter date are refused as a whole.
    """
    on = on or report.letter_date(report.report_of(event))
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        raise SendingError(_("Choose at least one municipality."))
    existing = {m.code: m for m in Municipality.objects.on(on).filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in existing]
    if unknown:
        raise SendingError(
            _("No municipality has the code %(code)s on %(date)s.")
            % {"code": str(unknown[0])[:10], "date": letter_date_text(on)}
        )
    addresses = griffies.sendable(wanted)
    reply_to = report.contact_email(report.report_of(event))
    queued, sent_before, no_address = [], [], []
    with transaction.atomic():
        earlier = set(
            LetterDispatch.objects.select_for_update()
            .filter(event=event, municipality_id__in=wanted)
            .values_list("municipality_id", flat=True)
        )
        for code in wanted:
            municipality, address = existing[code], addresses.get(code)
            if address is None:
                no_address.append(municipality)
                continue
            if code in earlier and not resend:
                sent_before.append(municipality)
                continue
            dispatch = LetterDispatch.objects.create(
                event=event,
                municipality=municipality,
                email=address.email,
                postal_address=address.postal_address,
                letter_date=on,
                queued_by=user if user is not None and user.is_authenticated else None,
            )
            dispatch.message = enqueue_to_render(
                address.email,
                TEMPLATES,
                kind=KIND,
                object_id=dispatch.pk,
                language=MAIL_LANGUAGE,
                context={"letter_date": on.isoformat()},
                reply_to=reply_to,
            )
            dispatch.save(update_fields=["message"])
            queued.append(dispatch)
    return Queued(queued, sent_before, no_address)


# --- Rendering in the outbox worker -------------------------------------------------------------------------

# The worker renders the letters of one sending one after the other; the facts they share (every public answer,
# every registration) are computed once per event and letter date and kept briefly, not once per letter.
FACTS_SECONDS = 60
_facts: dict[tuple[int, str], tuple[float, raadsadres.EventFacts]] = {}
_facts_lock = threading.Lock()


def _event_facts(event: Event, on: dt.date) -> raadsadres.EventFacts:
    key = (event.pk, on.isoformat())
    with _facts_lock:
        kept = _facts.get(key)
        if kept is not None and time.monotonic() - kept[0] < FACTS_SECONDS:
            return kept[1]
    facts = raadsadres.event_facts(event, on=on)
    with _facts_lock:
        _facts.clear()  # one sending at a time is what a worker sees; keep only the newest
        _facts[key] = (time.monotonic(), facts)
    return facts


def forget_facts() -> None:
    with _facts_lock:
        _facts.clear()


def render(message: OutboxMessage) -> tuple[dict, list[Attachment]]:
    """The outbox worker's renderer: the mail's context and the letter as PDF and .docx."""
    dispatch = LetterDispatch.objects.select_related("event", "municipality").get(pk=message.object_id)
    on = dt.date.fromisoformat(message.context.get("letter_date") or dispatch.letter_date.isoformat())
    facts = _event_facts(dispatch.event, on)
    letter = raadsadres.letter(facts, dispatch.municipality, MAIL_LANGUAGE)
    attachments = [
        (raadsadres.filename(dispatch.municipality, "pdf"), raadsadres.render(letter, "pdf"), PDF),
        (raadsadres.filename(dispatch.municipality, "docx"), raadsadres.render(letter, "docx"), DOCX),
    ]
    return mail_context(dispatch.event, dispatch.municipality, letter), attachments


# --- The record of each letter ------------------------------------------------------------------------------


def sync_delivery(dispatches) -> int:
    """Copy "delivered" from the outbox to the records whose mail the server accepted; returns how many."""
    waiting = [d for d in dispatches if d.delivered_at is None and d.message_id is not None]
    if not waiting:
        return 0
    sent = dict(
        OutboxMessage.objects.filter(
            pk__in=[d.message_id for d in waiting], state=MessageState.SENT, sent_at__isnull=False
        ).values_list("pk", "sent_at")
    )
    changed = 0
    for dispatch in waiting:
        if dispatch.message_id in sent:
            dispatch.delivered_at = sent[dispatch.message_id]
            LetterDispatch.objects.filter(pk=dispatch.pk).update(delivered_at=dispatch.delivered_at)
            changed += 1
    return changed


def dispatches_of(event: Event) -> list[LetterDispatch]:
    """The event's letters sent, by municipality and time, with "delivered" brought up to date."""
    dispatches = list(
        LetterDispatch.objects.filter(event=event)
        .select_related("municipality", "message")
        .order_by("municipality__name", "queued_at", "pk")
    )
    sync_delivery(dispatches)
    return dispatches


def state(dispatch: LetterDispatch) -> str:
    """ "delivered", "failed", "queued" (waiting in the outbox) or "gone" (the mail was erased from the outbox)."""
    if dispatch.delivered_at is not None:
        return "delivered"
    if dispatch.message is None:
        return "gone"
    if dispatch.message.state == MessageState.FAILED:
        return "failed"
    return "queued"


FOLLOW_UP_FIELDS = ("listed_on", "handling", "handling_other", "answer_received_on", "answer_summary")


def record_follow_up(dispatch: LetterDispatch, user=None, **values) -> LetterDispatch:
    """What the council did with the letter, as the organiser enters it: the date it went on the list of
    ingekomen stukken, the handling the council chose (with words for "other"), the date and gist of the answer."""
    unknown = set(values) - set(FOLLOW_UP_FIELDS)
    if unknown:
        raise SendingError(f"not editable: {', '.join(sorted(unknown))}")
    handling = values.get("handling", dispatch.handling) or ""
    if handling and handling not in CouncilHandling.values:
        raise SendingError(_("Choose a handling from the list."))
    other = (values.get("handling_other", dispatch.handling_other) or "").strip()
    if handling == CouncilHandling.OTHER and not other:
        raise SendingError(_("Say in words how the council handles the letter."))
    if handling != CouncilHandling.OTHER:
        other = ""
    today = timezone.localdate()
    for name in ("listed_on", "answer_received_on"):
        value = values.get(name, getattr(dispatch, name))
        if value is not None and value < timezone.localdate(dispatch.queued_at):
            raise SendingError(_("A date after the letter was sent, please."))
        if value is not None and value > today + dt.timedelta(days=366):
            raise SendingError(_("That date is too far in the future."))
    summary = " ".join((values.get("answer_summary", dispatch.answer_summary) or "").split())
    limit = LetterDispatch._meta.get_field("answer_summary").max_length
    if len(summary) > limit:
        raise SendingError(_("Keep the answer to %(limit)d characters.") % {"limit": limit})
    with transaction.atomic():
        dispatch = LetterDispatch.objects.select_for_update().get(pk=dispatch.pk)
        dispatch.listed_on = values.get("listed_on", dispatch.listed_on)
        dispatch.handling = handling
        dispatch.handling_other = other[: LetterDispatch._meta.get_field("handling_other").max_length]
        dispatch.answer_received_on = values.get("answer_received_on", dispatch.answer_received_on)
        dispatch.answer_summary = summary
        dispatch.updated_by = user if user is not None and user.is_authenticated else None
        dispatch.save()
    return dispatch
