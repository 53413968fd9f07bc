"""The outcome report's content for an event in one language, as plain data (no HTTP, no HTML).

`build_report(event, language)` gathers what the report page, its PDF and its Word file show (they all render
outcomes/_report.html): the summary with the numbered requests, the conference as the event describes it, who took
part (counts by role, the municipalities present), per board the answers with the most votes and the priorities,
the children's own words, the outcome points with their tags and supporting answers, two or three charts with their
numbers, and an annex with every public answer.

No participant is named: the report counts registrations by role and lists municipalities (public bodies), and
answers are shown without their authors. Speakers, hosts and organisations are named as the event's public pages
name them.

Before the organiser has made outcome points the report is a draft: the priorities and the answers with the most
votes stand in for the points, so that a report can be tried straight after the day. A draft, or any report that
is not published yet, is marked "Concept".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from werkconferentie.core.i18n import localized
from werkconferentie.events.enums import OrganisationRole
from werkconferentie.events.models import Event
from werkconferentie.live.boards import boards_of
from werkconferentie.live.enums import BoardKind
from werkconferentie.live.tagging import POLICY_AREAS
from werkconferentie.reference.models import CrcArticle, SdgGoal
from werkconferentie.registration.enums import Role, Status
from werkconferentie.registration.models import ErasedRegistrations, Registration

from . import charts, points, report, themes
from .answers import OutcomeAnswer, public_answer_queryset, public_answers

LANGUAGES = ("nl", "en")
TOP_ANSWERS = 5  # per board, besides its priorities
MORE_PRIORITIES = 5  # per board, priorities shown besides the top answers; the annex has all of them
DRAFT_POINTS = 5  # in a draft: this many priorities and most-voted answers stand in for the points


@dataclass
class Tag:
    label: str
    url: str = ""  # the reference page, for the web page


@dataclass
class ReportAnswer:
    """An answer as the report shows it: its text and what it got, never who wrote it."""

    id: int
    text: str
    lang: str  # the language it was written in, for a lang attribute
    votes: int
    priority: bool
    from_children: bool
    board: str
    roles: list[str] = field(default_factory=list)  # role labels, for supporting answers


@dataclass
class ReportPoint:
    number: int
    title: str
    title_lang: str
    explanation: str = ""
    explanation_lang: str = ""
    request: str = ""
    request_lang: str = ""
    is_request: bool = False
    request_number: int | None = None
    crc_articles: list[Tag] = field(default_factory=list)
    sdgs: list[Tag] = field(default_factory=list)
    policy_areas: list[Tag] = field(default_factory=list)
    answers: list[ReportAnswer] = field(default_factory=list)

    @property
    def votes(self) -> int:
        return sum(answer.votes for answer in self.answers)

    @property
    def has_tags(self) -> bool:
        return bool(self.crc_articles or self.sdgs or self.policy_areas)


@dataclass
class BoardSummary:
    """One board (a workshop session, the round-table, the children): its top answers and its priorities."""

    title: str
    kind: str
    answer_count: int
    votes: int
    top: list[ReportAnswer]
    priorities: list[ReportAnswer]  # priorities not already among `top` (at most MORE_PRIORITIES)
    all_answers: list[ReportAnswer]
    more_priorities: int = 0  # priorities left out of `priorities`, to be found in the annex


@dataclass
class RoundGroup:
    title: str
    boards: list[BoardSummary]


@dataclass
class Person:
    name: str
    affiliation: str = ""


@dataclass
class WorkshopFacts:
    number: int
    title: str
    theme: str
    hosts: list[Person]
    sessions: list[str]  # "Ronde 1 (Zaal 2)"


@dataclass
class ProgrammeFacts:
    time: str
    title: str
    speakers: list[Person]


@dataclass
class Conference:
    title: str
    theme: str
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    venue: str
    address: str
    central_question: str
    target_date: dt.date | None
    target_label: str
    organisers: list[str]
    contributors: list[str]
    programme: list[ProgrammeFacts]  # the items with speakers
    workshops: list[WorkshopFacts]


@dataclass
class Participation:
    total: int
    by_role: list[tuple[str, int]]  # (role label, people), roles with nobody left out
    municipalities: list[str]  # names, alphabetical
    without_municipality: int  # people from an organisation, not a municipality
    answers: int
    votes: int
    children_answers: int
    boards: int


@dataclass
class Report:
    event: Event
    language: str
    title: str
    made_on: dt.date
    draft: bool  # no outcome points yet: built from priorities and the most-voted answers
    published: bool
    summary: list[ReportPoint]
    conference: Conference
    participation: Participation
    rounds: list[RoundGroup]
    round_table: BoardSummary | None
    children: BoardSummary | None
    children_voice: list[ReportAnswer]
    points: list[ReportPoint]
    charts: list[charts.Chart]
    annex: list[BoardSummary]

    @property
    def concept(self) -> bool:
        """Marked "Concept" on every page: a draft, or not published yet."""
        return self.draft or not self.published

    @property
    def requests(self) -> list[ReportPoint]:
        return [point for point in self.points if point.is_request]


# --- Pieces --------------------------------------------------------------------------------------------------------


def _text(obj, name: str, language: str) -> tuple[str, str]:
    """A bilingual field's text in `language` (Dutch when not translated) and the language it is in."""
    value = getattr(obj, f"{name}_{language}", "")
    if value:
        return value, language
    return getattr(obj, f"{name}_nl", ""), "nl"


def _role_label(code: str) -> str:
    try:
        return str(Role(code).label)
    except ValueError:
        return code


class _Tags:
    """Tag labels in the report's language, read once per report."""

    def __init__(self, language: str):
        self.language = language
        self.crc = {a.number: a for a in CrcArticle.objects.all()}
        self.sdg = {g.number: g for g in SdgGoal.objects.all()}
        self.areas = {key: (nl if language == "nl" else en) for key, nl, en in POLICY_AREAS}

    def crc_tags(self, numbers) -> list[Tag]:
        tags = []
        for number in sorted(set(numbers)):
            article = self.crc.get(number)
            title = getattr(article, f"title_{self.language}", "") if article else ""
            label = _("Article %(number)d") % {"number": number} + (f" · {title}" if title else "")
            tags.append(Tag(label, reverse("reference:crc_article", args=[number])))
        return tags

    def sdg_tags(self, numbers) -> list[Tag]:
        tags = []
        for number in sorted(set(numbers)):
            goal = self.sdg.get(number)
            name = getattr(goal, f"short_{self.language}", "") if goal else ""
            label = f"SDG {number}" + (f" · {name}" if name else "")
            tags.append(Tag(label, reverse("reference:sdg_goal", args=[number])))
        return tags

    def area_tags(self, keys) -> list[Tag]:
        order = {key: i for i, (key, _nl, _en) in enumerate(POLICY_AREAS)}
        return [Tag(self.areas.get(key, key)) for key in sorted(dict.fromkeys(keys), key=lambda k: order.get(k, 99))]


def _report_answer(answer: OutcomeAnswer, languages: dict[int, str], with_roles: bool = False) -> ReportAnswer:
    return ReportAnswer(
        id=answer.id,
        text=answer.text,
        lang=languages.get(answer.id, "nl"),
        votes=answer.votes,
        priority=answer.priority,
        from_children=answer.from_children,
        board=answer.board_title,
        roles=[_role_label(role) for role in answer.roles] if with_roles else [],
    )


def _board_summary(board, answers: list[OutcomeAnswer], languages: dict[int, str]) -> BoardSummary:
    shown = [_report_answer(a, languages) for a in answers]  # already ranked: most votes first
    top = shown[:TOP_ANSWERS]
    top_ids = {a.id for a in top}
    priorities = [a for a in shown if a.priority and a.id not in top_ids]
    return BoardSummary(
        title=board.display_title,
        kind=board.kind,
        answer_count=len(shown),
        votes=sum(a.votes for a in shown),
        top=top,
        priorities=priorities[:MORE_PRIORITIES],
        all_answers=shown,
        more_priorities=max(0, len(priorities) - MORE_PRIORITIES),
    )


def _conference(event: Event, language: str) -> Conference:
    organisations = list(event.organisations.all())
    programme = []
    items = event.programme.prefetch_related("speaker_links__speaker").order_by("start_time", "order")
    for item in items:
        speakers = [Person(s.name, localized(s, "affiliation")) for s in item.ordered_speakers]
        if speakers:
            programme.append(ProgrammeFacts(f"{item.start_time:%H:%M}", localized(item, "title"), speakers))
    workshops = []
    for workshop in event.workshops.prefetch_related("hosts", "sessions__round").order_by("number"):
        sessions = []
        for session in sorted(workshop.sessions.all(), key=lambda s: s.round.number):
            sessions.append(localized(session.round, "title") + (f" ({session.room})" if session.room else ""))
        workshops.append(
            WorkshopFacts(
                number=workshop.number,
                title=localized(workshop, "title"),
                theme=localized(workshop, "theme"),
                hosts=[Person(h.name, localized(h, "affiliation")) for h in workshop.hosts.all()],
                sessions=sessions,
            )
        )
    town = f"{event.venue_postcode} {event.venue_city}".strip()
    address = ", ".join(part for part in (event.venue_street, town) if part)
    return Conference(
        title=localized(event, "title"),
        theme=localized(event, "theme"),
        date=event.date,
        start_time=event.start_time,
        end_time=event.end_time,
        venue=event.venue_name,
        address=address,
        central_question=localized(event, "central_question"),
        target_date=event.target_date,
        target_label=localized(event, "target_date_label"),
        organisers=[localized(o, "name") for o in organisations if o.role == OrganisationRole.ORGANISER],
        contributors=[localized(o, "name") for o in organisations if o.role != OrganisationRole.ORGANISER],
        programme=programme,
        workshops=workshops,
    )


def _participation(event: Event, answers: list[OutcomeAnswer], votes: int, board_count: int) -> Participation:
    """Confirmed registrations by role (erased ones still counted, anonymously) and the municipalities present."""
    confirmed = Registration.objects.filter(event=event, status=Status.CONFIRMED).order_by()
    counts: Counter = Counter(dict(confirmed.values_list("role").annotate(n=Count("pk"))))
    for role, count in ErasedRegistrations.objects.filter(event=event, status=Status.CONFIRMED).values_list(
        "role", "count"
    ):
        counts[role] += count
    names = set(confirmed.filter(municipality__isnull=False).values_list("municipality__name", flat=True))
    for answer in answers:
        names.update(answer.municipality_names)
    return Participation(
        total=sum(counts.values()),
        by_role=[(str(role.label), counts[role.value]) for role in Role if counts[role.value]],
        municipalities=sorted(names, key=str.casefold),
        without_municipality=confirmed.filter(municipality__isnull=True).count(),
        answers=len(answers),
        votes=votes,
        children_answers=sum(1 for a in answers if a.from_children),
        boards=board_count,
    )


def _curated_points(event: Event, language: str, by_id: dict[int, OutcomeAnswer], languages, tags: _Tags):
    result = []
    request_number = 0
    for point in points.points_of(event):
        title, title_lang = _text(point, "title", language)
        explanation, explanation_lang = _text(point, "explanation", language)
        request, request_lang = _text(point, "request", language)
        supporting, seen = [], set()
        for answer in point.answers.all():
            # An answer merged after it was chosen is shown as the merged item; a hidden one not at all.
            public = by_id.get(answer.merged_into_id or answer.pk)
            if public is not None and public.id not in seen:
                seen.add(public.id)
                supporting.append(_report_answer(public, languages, with_roles=True))
        supporting.sort(key=lambda a: (-a.votes, not a.priority, a.id))
        if point.is_request:
            request_number += 1
        result.append(
            ReportPoint(
                number=point.number,
                title=title,
                title_lang=title_lang,
                explanation=explanation,
                explanation_lang=explanation_lang,
                request=request,
                request_lang=request_lang,
                is_request=point.is_request,
                request_number=request_number if point.is_request else None,
                crc_articles=tags.crc_tags(a.number for a in point.crc_articles.all()),
                sdgs=tags.sdg_tags(g.number for g in point.sdgs.all()),
                policy_areas=tags.area_tags(point.policy_areas or []),
                answers=supporting,
            )
        )
    return result


def draft_answers(answers: list[OutcomeAnswer], limit: int = DRAFT_POINTS) -> list[OutcomeAnswer]:
    """What stands in for the points in a draft: the priorities first, then the most-voted answers."""
    chosen = [a for a in answers if a.priority][:limit]
    chosen += [a for a in answers if not a.priority][: limit - len(chosen)]
    return sorted(chosen, key=lambda a: (not a.priority, -a.votes, a.board_order, a.id))


def _draft_points(answers: list[OutcomeAnswer], languages, tags: _Tags) -> list[ReportPoint]:
    result = []
    for number, answer in enumerate(draft_answers(answers), start=1):
        shown = _report_answer(answer, languages, with_roles=True)
        result.append(
            ReportPoint(
                number=number,
                title=answer.text,
                title_lang=shown.lang,
                is_request=True,
                request_number=number,
                crc_articles=tags.crc_tags(answer.crc_articles),
                sdgs=tags.sdg_tags(answer.sdgs),
                policy_areas=tags.area_tags(answer.policy_areas),
                answers=[shown],
            )
        )
    return result


def _charts(participation: Participation, sections: list[BoardSummary], event: Event, report_points, draft, answers):
    made = [
        charts.Chart(
            key="roles",
            title=_("Participants by role"),
            alt="",
            label_header=_("Role"),
            value_header=_("Participants"),
            rows=participation.by_role,
        ),
        charts.Chart(
            key="boards",
            title=_("Votes per workshop and conversation"),
            alt="",
            label_header=_("Workshop or conversation"),
            value_header=_("Votes"),
            rows=[(section.title, section.votes) for section in sections],
        ),
    ]
    if report_points and not draft:
        made.append(
            charts.Chart(
                key="points",
                title=_("Votes for the answers behind each outcome point"),
                alt="",
                label_header=_("Outcome point"),
                value_header=_("Votes"),
                rows=[(f"{p.number}. {p.title}", p.votes) for p in report_points],
            )
        )
    else:
        votes = {a.id: a.votes for a in answers}
        rows = [
            (theme.title, sum(votes.get(m.answer_id, 0) for m in theme.memberships.all()))
            for theme in themes.themes_of(event)
        ]
        if rows:
            made.append(
                charts.Chart(
                    key="themes",
                    title=_("Votes per theme"),
                    alt="",
                    label_header=_("Theme"),
                    value_header=_("Votes"),
                    rows=sorted(rows, key=lambda row: -row[1]),
                )
            )
    kept = [chart for chart in made if chart.rows]
    for chart in kept:
        largest_label, largest = max(chart.rows, key=lambda row: row[1])
        chart.alt = _(
            "Bar chart: %(title)s. The longest bar: %(label)s, %(value)d. "
            "The table next to the chart gives all numbers."
        ) % {"title": chart.title.lower(), "label": largest_label, "value": largest}
    return kept


# --- The report ----------------------------------------------------------------------------------------------------


def report_title(event: Event, language: str) -> str:
    with translation.override(language):
        return _("Outcome report: %(event)s") % {"event": localized(event, "title")}


def build_report(event: Event, language: str = "nl", image_format: str | None = "svg", today=None) -> Report:
    """The report's content in `language` ("nl" or "en"), its charts drawn as "svg" or "png" (None: not drawn)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    with translation.override(language):
        answers = public_answers(event)
        by_id = {a.id: a for a in answers}
        languages = dict(public_answer_queryset(event).values_list("pk", "language"))
        tags = _Tags(language)
        per_board: dict[int, list[OutcomeAnswer]] = defaultdict(list)
        for answer in answers:
            per_board[answer.board_id].append(answer)
        boards = list(boards_of(event))
        sections = [_board_summary(board, per_board.get(board.pk, []), languages) for board in boards]
        rounds: list[RoundGroup] = []
        round_table = children = None
        for board, section in zip(boards, sections, strict=True):
            if board.kind == BoardKind.WORKSHOP:
                title = localized(board.session.round, "title")
                if not rounds or rounds[-1].title != title:
                    rounds.append(RoundGroup(title, []))
                section.title = localized(board.session.workshop, "title")
                rounds[-1].boards.append(section)
            elif board.kind == BoardKind.ROUND_TABLE:
                round_table = section
            elif board.kind == BoardKind.CHILDREN:
                children = section
        annex = [
            _board_summary(board, per_board.get(board.pk, []), languages) for board in boards
        ]  # full board titles ("Workshop · Ronde 1")
        curated = _curated_points(event, language, by_id, languages, tags)
        draft = not curated
        report_points = curated or _draft_points(answers, languages, tags)
        summary = [p for p in report_points if p.is_request] or report_points
        votes = sum(a.votes for a in answers)
        participation = _participation(event, answers, votes, len(boards))
        made_charts = _charts(participation, annex, event, report_points, draft, answers)
        if image_format:
            for chart in made_charts:
                charts.draw(chart, image_format)
        return Report(
            event=event,
            language=language,
            title=report_title(event, language),
            made_on=today or timezone.localdate(),
            draft=draft,
            published=report.is_published(event),
            summary=summary,
            conference=_conference(event, language),
            participation=participation,
            rounds=rounds,
            round_table=round_table,
            children=children,
            children_voice=[_report_answer(a, languages) for a in answers if a.from_children],
            points=report_points,
            charts=made_charts,
            annex=annex,
        )
