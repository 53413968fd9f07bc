"""The event file: one YAML document that holds an event and its programme (format: docs/event-file.md).

`parse_event_file` reads and validates a file and returns either an `EventFile` or every problem found, each
with its place in the file (field path and line), so an organiser can fix them all in one go. Nothing here
touches the database; `loading.py` writes a valid file.
"""

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import yaml
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from werkconferentie.core.validation import explain_validation_error

from .enums import ItemKind, OrganisationRole

FORMAT_VERSION = 1
KEY_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# First path segments of the site itself; an event slug may not take one.
RESERVED_SLUGS = {"api", "beheer", "admin", "static", "media", "i18n", "jsi18n", "over", "kinderrechten"}


class EventFileLoader(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay text for the schema to check, so an impossible date such as
    2022-13-01 becomes a problem with its place instead of an exception from the YAML parser."""


EventFileLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

Key = Annotated[str, Field(pattern=KEY_PATTERN, max_length=50)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Text(Strict):
    """A text in Dutch and, optionally, English. In the file a plain string means Dutch only."""

    nl: str = Field(min_length=1)
    en: str = ""

    @model_validator(mode="before")
    @classmethod
    def _plain_string_is_dutch(cls, value: Any) -> Any:
        return {"nl": value} if isinstance(value, str) else value


class OptionalText(Text):
    nl: str = ""


def _time(value: Any) -> Any:
    """Accept "13:30" (YAML gives a string) and also 13:30 read by YAML 1.1 as sexagesimal minutes."""
    if isinstance(value, int) and not isinstance(value, bool):
        hours, minutes = divmod(value, 60)
        return dt.time(hours, minutes) if 0 <= hours < 24 else value
    if isinstance(value, str) and re.fullmatch(r"\d{1,2}[:.]\d{2}", value.strip()):
        hours, minutes = re.split(r"[:.]", value.strip())
        return dt.time(int(hours), int(minutes)) if int(hours) < 24 and int(minutes) < 60 else value
    return value


class TimeField(Strict):
    @field_validator("start", "end", mode="before", check_fields=False)
    @classmethod
    def _times(cls, value: Any) -> Any:
        return _time(value)


class Venue(Strict):
    name: str = Field(min_length=1, max_length=200)
    street: str = Field(default="", max_length=200)
    postcode: str = Field(default="", max_length=10)
    city: str = Field(min_length=1, max_length=100)


class Registration(Strict):
    opens: dt.datetime | None = None
    closes: dt.datetime | None = None
    capacity: int = Field(gt=0, le=100_000)


class TargetDate(Strict):
    date: dt.date
    label: OptionalText = OptionalText()


class Organisation(Strict):
    key: Key
    name: Text
    url: str = Field(default="", max_length=200, pattern=r"^(https?://\S+)?$")
    role: Literal["organiser", "contributor", "other"] = OrganisationRole.OTHER.value


class Speaker(Strict):
    key: Key
    name: str = Field(min_length=1, max_length=200)
    affiliation: OptionalText = OptionalText()
    organisations: list[Key] = []


class Round(TimeField):
    key: Key
    title: Text
    start: dt.time
    end: dt.time


class Session(Strict):
    round: Key
    room: str = Field(default="", max_length=200)
    capacity: int = Field(gt=0, le=100_000)


class Workshop(Strict):
    key: Key
    title: Text
    theme: OptionalText = OptionalText()
    description: OptionalText = OptionalText()
    hosts: list[Key] = []
    organisations: list[Key] = []
    sessions: list[Session] = []


class ProgrammeItem(TimeField):
    start: dt.time
    end: dt.time | None = None
    kind: Literal[tuple(ItemKind.values)]  # type: ignore[valid-type]
    title: Text
    description: OptionalText = OptionalText()
    speakers: list[Key] = []
    round: Key | None = None


class Privacy(Strict):
    """Who is responsible for the personal data and for how long it is kept (the privacy statement shows them)."""

    controller: str = Field(default="", max_length=200)
    contact: str = ""
    retention_days: int | None = Field(default=None, ge=1, le=3650)

    @field_validator("contact")
    @classmethod
    def _email(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError(_("must be a valid e-mail address")) from None
        return value


class EventFile(TimeField):
    """The whole file. Field names are the file's keys."""

    version: Literal[1] = FORMAT_VERSION
    slug: Key
    title: Text
    theme: OptionalText = OptionalText()
    description: OptionalText = OptionalText()
    date: dt.date
    start: dt.time
    end: dt.time
    time_zone: str = "Europe/Amsterdam"
    venue: Venue
    organiser: Key
    contact_email: str
    privacy: Privacy = Privacy()
    registration: Registration
    central_question: OptionalText = OptionalText()
    target_date: TargetDate | None = None
    more_info_url: str = Field(default="", max_length=200, pattern=r"^(https?://\S+)?$")
    organisations: list[Organisation] = []
    speakers: list[Speaker] = []
    rounds: list[Round] = []
    workshops: list[Workshop] = []
    programme: list[ProgrammeItem] = Field(min_length=1)

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str) -> str:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError(_("must be a valid e-mail address")) from None
        return value

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        if value not in zoneinfo.available_timezones():
            raise ValueError(_("unknown time zone"))
        return value


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an event file: where (path of keys and list positions, line) and what."""

    path: tuple[str | int, ...]
    message: str
    line: int | None = None

    def place(self) -> str:
        dotted = "".join(f"[{part + 1}]" if isinstance(part, int) else f".{part}" for part in self.path).lstrip(".")
        where = dotted or _("file")
        return _("line %(line)s, %(field)s") % {"line": self.line, "field": where} if self.line else where

    def __str__(self) -> str:
        return f"{self.place()}: {self.message}"


class EventFileError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def parse_event_file(text: str) -> EventFile:
    """Validate an event file's text; raise EventFileError listing every problem with its line."""
    try:
        root = yaml.compose(text, Loader=EventFileLoader)
        data = yaml.load(text, Loader=EventFileLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        message = _("this is not valid YAML (%(problem)s)") % {"problem": getattr(error, "problem", error)}
        raise EventFileError([Problem((), message, mark.line + 1 if mark else None)]) from None
    if not isinstance(data, dict):
        raise EventFileError([Problem((), _("the file must be a mapping of fields (key: value)"), 1)])
    try:
        event = EventFile.model_validate(data)
    except ValidationError as error:
        problems = [_problem_from_pydantic(detail, root) for detail in error.errors()]
        raise EventFileError(problems) from None
    problems = [Problem(path, message, _line_of(root, path)) for path, message in check_references(event)]
    if problems:
        raise EventFileError(problems)
    return event


def _problem_from_pydantic(detail: dict, root: yaml.Node | None) -> Problem:
    # Pydantic adds a "[key]" step when a Text was given as a mapping; that is not a place in the file.
    path = tuple(part for part in detail["loc"] if not (isinstance(part, str) and part.startswith("function-")))
    return Problem(path, _explain(detail), _line_of(root, path))


def _explain(detail: dict) -> str:
    if (
        detail["loc"]
        and detail["loc"][-1] in {"key", "slug", "organiser", "round"}
        and detail["type"] == "string_pattern_mismatch"
    ):
        return _("must be a short name of lower-case letters, digits and hyphens, such as 'ronde-1'")
    if detail["type"] == "extra_forbidden":
        return _("unknown field (check the spelling; see docs/event-file.md)")
    return explain_validation_error(detail)


def _line_of(root: yaml.Node | None, path: tuple) -> int | None:
    """The line (1-based) where the node at `path` starts, or its nearest existing parent."""
    node, line = root, (root.start_mark.line + 1 if root else None)
    for part in path:
        child = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            child = next((value for key, value in node.value if key.value == part), None)
            if child is None:
                child = next((key for key, _value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def check_references(event: EventFile) -> list[tuple[tuple, str]]:
    """Checks that span fields: keys unique, references to known keys, times in order."""
    problems: list[tuple[tuple, str]] = []

    def unique(items, attribute, section):
        seen = set()
        for index, item in enumerate(items):
            value = getattr(item, attribute)
            if value in seen:
                problems.append(((section, index, attribute), _("'%(value)s' is used twice") % {"value": value}))
            seen.add(value)
        return seen

    organisations = unique(event.organisations, "key", "organisations")
    speakers = unique(event.speakers, "key", "speakers")
    rounds = unique(event.rounds, "key", "rounds")
    unique(event.workshops, "key", "workshops")

    def known(value, keys, path, what):
        if value not in keys:
            problems.append((path, _("unknown %(what)s '%(value)s'") % {"what": what, "value": value}))

    if event.slug in RESERVED_SLUGS:
        problems.append((("slug",), _("'%(value)s' is reserved by the site; choose another") % {"value": event.slug}))
    known(event.organiser, organisations, ("organiser",), _("organisation"))
    if event.end <= event.start:
        problems.append((("end",), _("must be later than start")))
    registration = event.registration
    if registration.opens and registration.closes and registration.closes <= registration.opens:
        problems.append((("registration", "closes"), _("must be later than opens")))
    for index, speaker in enumerate(event.speakers):
        for position, key in enumerate(speaker.organisations):
            known(key, organisations, ("speakers", index, "organisations", position), _("organisation"))
    for index, round_ in enumerate(event.rounds):
        if round_.end <= round_.start:
            problems.append((("rounds", index, "end"), _("must be later than start")))
        if not event.start <= round_.start < event.end or round_.end > event.end:
            problems.append((("rounds", index, "start"), _("falls outside the event's hours")))
    for index, workshop in enumerate(event.workshops):
        for position, key in enumerate(workshop.hosts):
            known(key, speakers, ("workshops", index, "hosts", position), _("speaker"))
        for position, key in enumerate(workshop.organisations):
            known(key, organisations, ("workshops", index, "organisations", position), _("organisation"))
        session_rounds = set()
        for position, session in enumerate(workshop.sessions):
            known(session.round, rounds, ("workshops", index, "sessions", position, "round"), _("round"))
            if session.round in session_rounds:
                message = _("this workshop already has a session in round '%(round)s'") % {"round": session.round}
                problems.append((("workshops", index, "sessions", position, "round"), message))
            session_rounds.add(session.round)
    for index, item in enumerate(event.programme):
        for position, key in enumerate(item.speakers):
            known(key, speakers, ("programme", index, "speakers", position), _("speaker"))
        if item.round is not None:
            known(item.round, rounds, ("programme", index, "round"), _("round"))
        if item.kind == ItemKind.WORKSHOP_ROUND and item.round is None:
            problems.append((("programme", index, "round"), _("a workshop round needs the key of its round")))
        if item.end is not None and item.end <= item.start:
            problems.append((("programme", index, "end"), _("must be later than start")))
        if not event.start <= item.start <= event.end:
            problems.append((("programme", index, "start"), _("falls outside the event's hours")))
    return problems
