"""Griffie addresses: where each council's raadsadres goes. One list for every event (public facts about public
bodies), typed per municipality in the back office or imported from a CSV file.

The CSV has three columns: CBS code, e-mail address, postal address; separated by ";" or ","; UTF-8 with or
without a byte-order mark; a header row is allowed. An import is all or nothing: every bad row is listed with its
line number and what is wrong, and then nothing is saved, so a half-imported list can never be sent to.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from werkconferentie.reference.models import Municipality
from werkconferentie.reference.municipalities import current_successor, normalise_code

from .models import GriffieAddress

MAX_BYTES = 1_000_000  # about 3,000 times the 345 rows a full list has
MAX_ADDRESS_LENGTH = 500
HEADER_WORDS = ("cbs", "code", "gemeente", "municipality")


@dataclass
class Row:
    line: int
    code: str
    email: str
    postal_address: str


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        if not self.line:  # about the file as a whole
            return self.message
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRefused(Exception):
    """The file as a whole cannot be read (not UTF-8, too large, empty)."""


def _text(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportRefused(_("The file is larger than 1 MB; a list of every griffie is far smaller."))
    try:
        text = data.decode("utf-8-sig")  # the byte-order mark Excel writes is dropped
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            _("Line %(line)d is not UTF-8 text. Save the file as “CSV UTF-8” and try again.") % {"line": line}
        ) from None
    if not text.strip():
        raise ImportRefused(_("The file is empty."))
    return text


def _delimiter(text: str) -> str:
    """ ";" when the first line has one (what Dutch Excel writes), else ","."""
    first = text.lstrip().split("\n", 1)[0]
    return ";" if ";" in first else ","


def _is_header(cells: list[str]) -> bool:
    first = cells[0].strip().casefold() if cells else ""
    return any(word in first for word in HEADER_WORDS) and "@" not in "".join(cells)


def read_csv(data: bytes) -> tuple[list[Row], list[RowError]]:
    """The rows of the file and every row's problem; raises ImportRefused when the file cannot be read at all."""
    text = _text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    rows: list[Row] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    current = {m.code: m for m in Municipality.objects.current()}
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            errors.append(RowError(line, _("the row cannot be read as CSV (%(error)s).") % {"error": error}))
            break
        start, line = line, reader.line_num + 1  # a quoted postal address may span several lines
        if not any(cell.strip() for cell in cells):
            continue
        if start == 1 and _is_header(cells):
            continue
        problem = _problem(cells, current, seen, start)
        if problem:
            errors.append(RowError(start, problem))
            continue
        code = normalise_code(cells[0])
        seen[code] = start
        rows.append(Row(start, code, cells[1].strip(), _address(cells[2] if len(cells) > 2 else "")))
    if not rows and not errors:
        raise ImportRefused(_("The file has no rows with a griffie address."))
    return rows, errors


def _address(value: str) -> str:
    """Lines of the postal address, trimmed; a cell may hold them on one line, separated by commas, as written."""
    return "\n".join(line.strip() for line in value.strip().splitlines() if line.strip())


def _problem(cells: list[str], current: dict, seen: dict[str, int], line: int) -> str:
    if len(cells) < 2 or len(cells) > 3:
        return _("expected 3 columns (CBS code, e-mail address, postal address), found %(count)d.") % {
            "count": len(cells)
        }
    if any(not cell.replace("\n", "").replace("\r", "").isprintable() for cell in cells):
        return _("the row holds control characters.")
    raw = cells[0].strip()
    code = normalise_code(raw)
    if not raw:
        return _("the CBS code is missing.")
    if code not in current:
        successor = current_successor(code)
        if successor is not None and successor.code != code:
            return _("%(code)s is no longer a municipality; it became part of %(name)s (%(new)s).") % {
                "code": raw[:20],
                "name": successor.name,
                "new": successor.code,
            }
        return _("%(code)s is not the CBS code of a current municipality (such as GM1699).") % {"code": raw[:20]}
    if code in seen:
        return _("%(name)s (%(code)s) is on line %(line)d already.") % {
            "name": current[code].name,
            "code": code,
            "line": seen[code],
        }
    email = cells[1].strip()
    address = _address(cells[2] if len(cells) > 2 else "")
    if not email and not address:
        return _("give an e-mail address or a postal address (or both).")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            return _("“%(email)s” is not an e-mail address.") % {"email": email[:80]}
    if len(address) > MAX_ADDRESS_LENGTH:
        return _("the postal address is longer than %(limit)d characters.") % {"limit": MAX_ADDRESS_LENGTH}
    return ""


def import_csv(data: bytes) -> ImportResult:
    """Read the file and, only when every row is good, save all its addresses at once; else save nothing."""
    try:
        rows, errors = read_csv(data)
    except ImportRefused as refused:
        return ImportResult(errors=[RowError(0, str(refused))])
    if errors:
        return ImportResult(errors=errors)
    result = ImportResult()
    with transaction.atomic():
        existing = {a.municipality_id: a for a in GriffieAddress.objects.select_for_update()}
        for row in rows:
            address = existing.get(row.code)
            if address is None:
                GriffieAddress.objects.create(
                    municipality_id=row.code, email=row.email, postal_address=row.postal_address
                )
                result.created += 1
            elif (address.email, address.postal_address) != (row.email, row.postal_address):
                address.email, address.postal_address = row.email, row.postal_address
                address.save()
                result.updated += 1
            else:
                result.unchanged += 1
    return result


def sendable(codes) -> dict[str, GriffieAddress]:
    """The griffie addresses with an e-mail address, by CBS code, for these municipalities."""
    return {
        a.municipality_id: a for a in GriffieAddress.objects.filter(municipality_id__in=list(codes)).exclude(email="")
    }


def addresses(codes) -> dict[str, GriffieAddress]:
    return {a.municipality_id: a for a in GriffieAddress.objects.filter(municipality_id__in=list(codes))}
