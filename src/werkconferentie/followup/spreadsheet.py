"""Commitments as CSV: the export (one row per commitment, milestones included) and the bulk update by import.

The columns are documented in docs/followup.md. The export is written as Dutch Excel opens it
(documents.spreadsheets.excel_csv: UTF-8 with BOM, ";"). The import reads the same file back, so export → edit
→ import works: a row is found by `municipality_code` and `number`; of the other columns only `status`,
`status_note` and `progress` are read (an empty `progress` keeps the default of the status); the rest are there
to read. Every row is checked; when any row is wrong, every wrong row is listed with its line and nothing is
imported (one transaction, rolled back).
"""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from werkconferentie.documents.spreadsheets import FORMULA_STARTS, csv_value, excel_csv
from werkconferentie.events.models import Event

from .commitments import municipality_for, update_commitment
from .enums import CommitmentStatus
from .errors import FollowupError
from .history import Actor
from .models import Commitment

COLUMNS = (
    "municipality_code",
    "municipality",
    "number",
    "milestone_of",
    "kind",
    "title",
    "status",
    "status_note",
    "progress",
    "target_date",
    "committed_by",
    "committed_on",
    "public",
    "last_update",
)
IMPORTED = ("status", "status_note", "progress")
REQUIRED = ("municipality_code", "number", *IMPORTED)
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000


class ImportErrors(FollowupError):
    """The file was refused; `lines` holds one message per wrong row (or one for the whole file)."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def export_rows(event: Event) -> list[list]:
    commitments = (
        Commitment.objects.filter(event=event)
        .select_related("municipality", "parent")
        # Commitments before milestones on every database (PostgreSQL sorts NULL last, SQLite first).
        .order_by(
            "municipality__name",
            F("parent__number").asc(nulls_first=True),
            F("parent_id").asc(nulls_first=True),
            "number",
        )
    )
    rows = []
    for c in commitments:
        rows.append(
            [
                c.municipality_id,
                c.municipality.name,
                c.number,
                c.parent.number if c.parent else "",
                c.kind,
                c.title,
                c.status,
                c.status_note,
                c.progress,
                c.target_date.isoformat(),
                c.committed_by,
                c.committed_on.isoformat() if c.committed_on else "",
                "yes" if c.is_public else "no",
                c.updated_at.astimezone(event.tzinfo).replace(tzinfo=None, microsecond=0),
            ]
        )
    return rows


def export_csv(event: Event) -> bytes:
    return excel_csv(list(COLUMNS), ([csv_value(value) for value in row] for row in export_rows(event)))


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportErrors([_("The file is too large: at most 2 MB.")])
    if b"\0" in data[:4096]:
        raise ImportErrors([_("This is not a CSV file. Save the spreadsheet as CSV and try again.")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV (separated by semicolons)" on Windows writes the ANSI code page.
        return data.decode("cp1252", errors="replace")


def _unescape(value: str) -> str:
    """Undo the apostrophe the export puts before a value a spreadsheet would take as a formula."""
    value = (value or "").strip()
    return value[1:] if value[:1] == "'" and value[1:2] and value[1] in FORMULA_STARTS else value


def _status(value: str) -> str:
    """A status by its code ("in-uitvoering") or its label in either language ("In uitvoering", "In progress")."""
    words = {}
    for code, label in CommitmentStatus.choices:
        words[code.lower()] = code
        for language in ("nl", "en"):
            with translation.override(language):
                words[str(label).lower()] = code
    found = words.get(value.strip().lower())
    if found is None:
        raise FollowupError(
            _("“%(value)s” is not a status; use one of: %(choices)s.")
            % {"value": value[:40], "choices": ", ".join(CommitmentStatus.values)}
        )
    return found


def _rows(text: str):
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    for row in reader:
        yield line, row
        line = reader.line_num + 1


def import_csv(event: Event, data: bytes, actor: Actor) -> int:
    """Update commitments from a CSV; returns how many changed. Raises ImportErrors (nothing imported)."""
    rows = _rows(_decode(data))
    try:
        _line, header = next(rows)
    except (StopIteration, csv.Error):
        raise ImportErrors([_("The file is empty.")]) from None
    header = [name.strip().lower() for name in header]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportErrors([_("Line 1: the columns %(columns)s are missing.") % {"columns": ", ".join(missing)}])
    index = {name: header.index(name) for name in REQUIRED}
    commitments = {
        (c.municipality_id, c.number): c
        for c in Commitment.objects.filter(event=event).select_related("event", "municipality")
    }
    errors: list[str] = []
    seen: dict[tuple, int] = {}
    changed = 0
    with transaction.atomic():
        try:
            for line, row in rows:
                if not any(cell.strip() for cell in row):
                    continue
                if line > MAX_ROWS:
                    errors.append(_("Line %(line)d: at most %(max)d rows.") % {"line": line, "max": MAX_ROWS})
                    break
                try:
                    changed += _import_row(row, index, commitments, seen, line, actor)
                except FollowupError as error:
                    errors.append(_("Line %(line)d: %(error)s") % {"line": line, "error": error})
        except csv.Error as error:
            errors.append(_("The file cannot be read as CSV: %(error)s") % {"error": error})
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportErrors(errors)
    return changed


def _import_row(row, index, commitments, seen, line, actor) -> int:
    def cell(name):
        position = index[name]
        return _unescape(row[position]) if position < len(row) else ""

    code = cell("municipality_code")
    municipality = municipality_for(code)
    try:
        number = int(cell("number"))
    except ValueError:
        raise FollowupError(_("“%(value)s” is not a number.") % {"value": cell("number")[:20]}) from None
    key = (municipality.pk, number)
    commitment = commitments.get(key)
    if commitment is None:
        raise FollowupError(
            _("%(municipality)s has no commitment %(number)d.") % {"municipality": municipality.name, "number": number}
        )
    if key in seen:
        raise FollowupError(
            _("commitment %(number)d of %(municipality)s is also on line %(other)d.")
            % {"number": number, "municipality": municipality.name, "other": seen[key]}
        )
    seen[key] = line
    values = {"status": _status(cell("status")), "status_note": cell("status_note")}
    if cell("progress"):
        values["progress"] = cell("progress")
    return 1 if update_commitment(commitment, actor, **values) else 0
