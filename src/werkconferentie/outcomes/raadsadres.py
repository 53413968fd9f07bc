"""The raadsadres: the conference's letter to a municipal council, general or for one municipality.

A raadsadres goes to the council through the griffie, lands on the list of ingekomen stukken and becomes public,
so it holds no personal data: who took part is counted by role, what they said is quoted with their role only,
and children are quoted in their own moderated words. It is short (1–2 pages), in the form councils expect
(addressee, place and date, "Betreft", "Geachte gemeenteraad,", numbered requests, a proposed handling, contact
and signature), and goes to the municipality as it exists on the letter's date: a merged municipality's
participants and answers count for its successor.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils import formats, translation
from django.utils.translation import gettext as _

from werkconferentie.events.models import Event
from werkconferentie.reference.models import Municipality
from werkconferentie.reference.municipalities import municipalities_on, municipality_on
from werkconferentie.registration.enums import Role, Status
from werkconferentie.registration.models import Registration

from . import points, report
from .answers import OutcomeAnswer, public_answers, ranked

# At most this many answers of the municipality's participants and of children in one letter: it stays 1–2 pages.
MAX_CONTRIBUTIONS = 5
MAX_CHILDREN = 4
TEMPLATE = "outcomes/raadsadres.html"


@dataclass
class Request:
    number: int
    title: str
    text: str


@dataclass
class Quote:
    text: str
    who: str  # roles only ("raadslid, wethouder"), or "kinderen en jongeren"


@dataclass
class Letter:
    """Everything one letter says, in one language; rendered by outcomes/raadsadres.html to PDF and Word."""

    language: str
    event_title: str
    municipality_code: str  # "" for the general letter
    municipality_name: str  # "" for the general letter
    addressee: list[str]
    place: str
    date: str
    subject: str
    salutation: str
    intro: str
    participants: int
    participation: list[tuple[str, int]]  # (role, count), most first
    requests: list[Request]
    contributions: list[Quote]
    children: list[Quote]
    handling: str
    closing: str
    sender: str
    signatory: str
    signatory_function: str
    sender_address: list[str]
    contact_email: str
    target_date: str
    answers_total: int = 0
    draft: bool = False  # no outcome points chosen yet: the requests are the day's priorities and top answers

    @property
    def title(self) -> str:
        return self.subject

    @property
    def is_general(self) -> bool:
        return not self.municipality_code


def _date(value: dt.date, language: str) -> str:
    with translation.override(language):
        return formats.date_format(value, "j F Y")


def _successor_code(code: str | None, on: dt.date, cache: dict) -> str | None:
    """The CBS code of the municipality that `code` stands for on the letter's date (a merger's successor)."""
    if not code:
        return None
    if code not in cache:
        municipality = municipality_on(code, on)
        cache[code] = municipality.code if municipality else None
    return cache[code]


@dataclass
class EventFacts:
    """What all letters of one event share, computed once (a run of 345 letters asks the database once)."""

    event: Event
    on: dt.date
    answers: list[OutcomeAnswer]
    registrations: list[tuple[str | None, str]]  # (CBS code on the letter date, role) per participant
    requests_by_language: dict[str, list[Request]]
    draft: bool

    def answers_of(self, code: str) -> list[OutcomeAnswer]:
        return [a for a in self.answers if code in a.municipalities and not a.from_children]

    def children(self) -> list[OutcomeAnswer]:
        return [a for a in self.answers if a.from_children]

    def municipalities_with_input(self) -> set[str]:
        codes = {code for code, _role in self.registrations if code}
        codes.update(code for a in self.answers for code in a.municipalities)
        return codes


def event_facts(event: Event, on: dt.date | None = None) -> EventFacts:
    outcome = report.report_of(event)
    on = on or report.letter_date(outcome)
    cache: dict = {}
    answers = public_answers(event)
    for answer in answers:
        answer.municipalities = sorted(
            {c for c in (_successor_code(code, on, cache) for code in answer.municipalities) if c}
        )
    rows = (
        Registration.objects.filter(event=event, status=Status.CONFIRMED)
        .values_list("municipality_id", "role")
        .order_by("pk")
    )
    registrations = [(_successor_code(code, on, cache), role) for code, role in rows]
    chosen = points.requests(event)
    requests = {language: _requests(chosen, answers, language) for language in ("nl", "en")}
    return EventFacts(event, on, answers, registrations, requests, draft=not chosen)


# In a draft, the requests are the day's answers: at most this many, priorities first.
DRAFT_REQUESTS = 5


def _requests(chosen: list, answers: list[OutcomeAnswer], language: str) -> list[Request]:
    """The conference's numbered requests; before any are chosen, a draft's: priorities, then most-voted answers."""
    if chosen:
        result = []
        for index, point in enumerate(chosen, start=1):
            title = getattr(point, f"title_{language}") or point.title_nl
            text = getattr(point, f"request_{language}") or point.request_nl or title
            result.append(Request(index, title, text))
        return result
    adults = sorted((a for a in answers if not a.from_children), key=lambda a: (not a.priority, -a.votes, a.id))
    return [Request(index, a.text, "") for index, a in enumerate(adults[:DRAFT_REQUESTS], start=1)]


def _role_label(role: str, language: str) -> str:
    with translation.override(language):
        try:
            return str(Role(role).label).lower()
        except ValueError:
            return role


def _roles(roles: list[str], language: str) -> str:
    return ", ".join(_role_label(role, language) for role in roles)


def letter(facts: EventFacts, municipality: Municipality | None, language: str = "nl") -> Letter:
    """The letter to `municipality`'s council (None: the general letter to every council), in `language`."""
    event, outcome = facts.event, report.report_of(facts.event)
    language = language if language in ("nl", "en") else "nl"
    name = municipality.name if municipality else ""
    with translation.override(language):
        texts = report.letter_texts(outcome, language, name)
        event_title = getattr(event, f"title_{language}") or event.title_nl
        if municipality:
            addressee = [
                _("To the municipal council of %(name)s") % {"name": name},
                _("for the attention of the griffie"),
            ]
            codes = [code for code, _role in facts.registrations if code == municipality.code]
            roles = Counter(role for code, role in facts.registrations if code == municipality.code)
            contributions = [
                Quote(a.text, _roles(a.roles, language) or _("participant"))
                for a in ranked(facts.answers_of(municipality.code))[:MAX_CONTRIBUTIONS]
            ]
        else:
            addressee = [_("To the municipal councils of the Netherlands"), _("for the attention of the griffies")]
            codes = [code for code, _role in facts.registrations]
            roles = Counter(role for _code, role in facts.registrations)
            contributions = [
                Quote(a.text, _roles(a.roles, language) or _("participant"))
                for a in ranked([a for a in facts.answers if not a.from_children])[:MAX_CONTRIBUTIONS]
            ]
        children = [Quote(a.text, _("children and young people")) for a in ranked(facts.children())[:MAX_CHILDREN]]
        target = _date(event.target_date, language) if event.target_date else ""
        return Letter(
            language=language,
            event_title=event_title,
            municipality_code=municipality.code if municipality else "",
            municipality_name=name,
            addressee=addressee,
            place=report.letter_place(outcome),
            date=_date(facts.on, language),
            subject=_("Requests of the work conference '%(event)s'") % {"event": event_title},
            salutation=_("Dear council,"),
            intro=texts["intro"],
            participants=len(codes),
            participation=[(_role_label(role, language), count) for role, count in roles.most_common()],
            requests=facts.requests_by_language[language],
            contributions=contributions,
            children=children,
            handling=texts["handling"],
            closing=texts["closing"],
            sender=report.sender_name(outcome, language),
            signatory=outcome.signatory_name,
            signatory_function=report.signatory_function(outcome, language),
            sender_address=[line.strip() for line in outcome.sender_address.splitlines() if line.strip()],
            contact_email=report.contact_email(outcome),
            target_date=target,
            answers_total=len(facts.answers),
            draft=facts.draft,
        )


def recipients(
    facts: EventFacts,
    *,
    codes: list[str] | None = None,
    province: str | None = None,
    every: bool = False,
) -> list[Municipality]:
    """The municipalities that get a letter: those with a registration or an answer (default), every municipality
    on the letter date (`every`), or those named by CBS code or province; by name."""
    existing = list(municipalities_on(facts.on))
    if codes:
        wanted = set()
        for code in codes:
            municipality = municipality_on(code, facts.on)
            if municipality is None:
                raise ValueError(
                    _("No municipality has the code %(code)s on %(date)s.") % {"code": code, "date": facts.on}
                )
            wanted.add(municipality.code)
        existing = [m for m in existing if m.code in wanted]
    elif not every and not province:
        with_input = facts.municipalities_with_input()
        existing = [m for m in existing if m.code in with_input]
    if province:
        folded = province.strip().casefold()
        chosen = [m for m in existing if folded in {m.province_name.casefold(), m.province_code.casefold()}]
        if not chosen and not any(folded == m.province_name.casefold() for m in municipalities_on(facts.on)):
            raise ValueError(_("There is no province called %(name)s.") % {"name": province})
        existing = chosen
    return existing


def filename(municipality: Municipality | None, extension: str) -> str:
    """'algemeen.pdf', or '<CBS code>-<name>.docx' with the name safe for every file system."""
    if municipality is None:
        return f"algemeen.{extension}"
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in municipality.name).strip("-")
    return f"{municipality.code}-{safe}.{extension}"


def render(letter_: Letter, kind: str) -> bytes:
    """The letter as "pdf" or "docx"."""
    from werkconferentie.documents.pdf import render_pdf
    from werkconferentie.documents.word import render_docx

    renderer = render_pdf if kind == "pdf" else render_docx
    return renderer(TEMPLATE, {"letter": letter_}, language=letter_.language, title=letter_.subject)
