"""The report's settings per event: publication, and the raadsadres's sender and texts with their defaults.

An empty text field means "use the default": `letter_texts` fills in the defaults below, in Dutch or English,
with the event's facts. The texts may hold these placeholders, filled in by `letter_texts`:
{event} the event's title, {date} its date, {place} its town, {target_date} the target date (or, without one,
"the date the conference named"), {target_label} what that date means, {sender} the sender, {municipality} the
municipality the letter goes to (in the general letter: "your municipality").
"""

from __future__ import annotations

import datetime as dt
import string

from django.db import transaction
from django.utils import formats, timezone, translation

from werkconferentie.events.enums import OrganisationRole
from werkconferentie.events.models import Event

from . import history
from .models import OutcomeReport

LETTER_BLOCKS = ("intro", "handling", "closing")
EDITABLE_FIELDS = [
    "sender_name",
    "signatory_name",
    "signatory_function_nl",
    "signatory_function_en",
    "sender_address",
    "contact_email",
    "letter_place",
    "letter_date",
    *[f"{block}_{language}" for block in LETTER_BLOCKS for language in ("nl", "en")],
]

# Plain language (B1): the letter becomes a public council document.
DEFAULT_TEXTS = {
    "nl": {
        "intro": (
            "Op {date} kwamen in {place} bestuurders, raadsleden, beleidsmakers, jeugdhulpverleners en kinderen en "
            "jongeren bij elkaar op de werkconferentie '{event}'. Samen bespraken zij hoe gemeenten de rechten van "
            "kinderen beter kunnen waarborgen. Met deze brief brengen wij de uitkomsten onder uw aandacht, met het "
            "verzoek om daar in {municipality} mee aan de slag te gaan."
        ),
        "handling": (
            "Wij stellen voor deze brief in handen te stellen van het college, met het verzoek de raad vóór "
            "{target_date} te informeren over wat de gemeente met deze verzoeken doet. Wij vragen u deze brief "
            "op de lijst van ingekomen stukken te plaatsen."
        ),
        "closing": (
            "Wij horen graag wat u met deze verzoeken doet. Ook de kinderen en jongeren die meededen, willen weten "
            "wat er met hun inbreng gebeurt. Voor vragen kunt u contact opnemen met {sender}."
        ),
        "target_date_missing": "de datum die de conferentie noemde",
        "municipality_missing": "uw gemeente",
    },
    "en": {
        "intro": (
            "On {date}, executives, council members, policy makers, youth-care workers and children and young "
            "people met in {place} at the work conference '{event}'. Together they discussed how municipalities "
            "can better secure the rights of children. With this letter we bring the outcomes to your attention, "
            "and ask you to act on them in {municipality}."
        ),
        "handling": (
            "We propose that the council refers this letter to the executive, asking it to inform the council "
            "before {target_date} of what the municipality does with these requests. We ask you to put this "
            "letter on the list of incoming documents."
        ),
        "closing": (
            "We look forward to hearing what you do with these requests. The children and young people who took "
            "part also want to know what happens with their input. For questions, please contact {sender}."
        ),
        "target_date_missing": "the date the conference named",
        "municipality_missing": "your municipality",
    },
}


class _Keep(dict):
    """Leaves an unknown {placeholder} as it is instead of failing on an organiser's typo."""

    def __missing__(self, key):
        return "{" + key + "}"


def fill(text: str, values: dict) -> str:
    """`text` with its {placeholders} filled in; unknown ones and stray braces stay as they are."""
    try:
        return string.Formatter().vformat(text, (), _Keep(values))
    except (ValueError, IndexError, AttributeError):  # an unmatched "{" or "{0}" in the organiser's text
        return text


def report_of(event: Event) -> OutcomeReport:
    """The event's report settings, made (unpublished, all defaults) on first use."""
    report, _created = OutcomeReport.objects.get_or_create(event=event)
    return report


def is_published(event: Event) -> bool:
    return OutcomeReport.objects.filter(event=event, published_at__isnull=False).exists()


def publish(event: Event, user=None) -> OutcomeReport:
    with transaction.atomic():
        report = report_of(event)
        if report.published_at is None:
            before = history.snapshot(report, ["published_at"])
            report.published_at = timezone.now()
            report.save(update_fields=["published_at", "updated_at"])
            history.record(
                event, user, "publish", report, history.differences(before, history.snapshot(report, ["published_at"]))
            )
    return report


def unpublish(event: Event, user=None) -> OutcomeReport:
    with transaction.atomic():
        report = report_of(event)
        if report.published_at is not None:
            before = history.snapshot(report, ["published_at"])
            report.published_at = None
            report.save(update_fields=["published_at", "updated_at"])
            history.record(
                event,
                user,
                "unpublish",
                report,
                history.differences(before, history.snapshot(report, ["published_at"])),
            )
    return report


def update_report(event: Event, user=None, **values) -> OutcomeReport:
    """Change the letter settings (names from EDITABLE_FIELDS); records what changed."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        report = report_of(event)
        before = history.snapshot(report, values)
        for name, value in values.items():
            setattr(report, name, value if value is not None or name == "letter_date" else "")
        report.full_clean(exclude=["event"])
        report.save()
        changes = history.differences(before, history.snapshot(report, values))
        if changes:
            history.record(event, user, "update", report, changes)
    return report


def sender_name(report: OutcomeReport, language: str = "nl") -> str:
    """The sender: as written, else the event's organising organisation(s), else the event's title."""
    if report.sender_name:
        return report.sender_name
    organisers = [
        org.name_en if language == "en" and org.name_en else org.name_nl
        for org in report.event.organisations.filter(role=OrganisationRole.ORGANISER)
    ]
    joined = (" en " if language == "nl" else " and ").join(organisers)
    return joined or report.event.title_nl


def contact_email(report: OutcomeReport) -> str:
    return report.contact_email or report.event.contact_email


def letter_place(report: OutcomeReport) -> str:
    return report.letter_place or report.event.venue_city


def letter_date(report: OutcomeReport, today: dt.date | None = None) -> dt.date:
    return report.letter_date or today or timezone.localdate()


def signatory_function(report: OutcomeReport, language: str = "nl") -> str:
    return getattr(report, f"signatory_function_{language}") or report.signatory_function_nl


def _date(value: dt.date, language: str) -> str:
    with translation.override(language):
        return formats.date_format(value, "j F Y")


def letter_texts(report: OutcomeReport, language: str = "nl", municipality: str = "") -> dict[str, str]:
    """The letter's text blocks ("intro", "handling", "closing") in `language` ("nl" or "en"): the organiser's
    text in that language where written, else the default; placeholders filled in."""
    language = language if language in DEFAULT_TEXTS else "nl"
    defaults = DEFAULT_TEXTS[language]
    event = report.event
    label = getattr(event, f"target_date_label_{language}") or event.target_date_label_nl
    values = {
        "event": getattr(event, f"title_{language}") or event.title_nl,
        "date": _date(event.date, language),
        "place": event.venue_city,
        "target_date": _date(event.target_date, language) if event.target_date else defaults["target_date_missing"],
        "target_label": label,
        "sender": sender_name(report, language),
        "municipality": municipality or defaults["municipality_missing"],
    }
    texts = {}
    for block in LETTER_BLOCKS:
        texts[block] = fill(getattr(report, f"{block}_{language}") or defaults[block], values)
    return texts
