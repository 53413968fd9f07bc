"""A board's answers as CSV and Excel for the host and organisers: every answer, merged or not, with its tags;
and all boards of an event in one file for the organiser.

The formats are documents.spreadsheets', as for the registrations: CSV that Dutch Excel opens directly, text that
never runs as a formula, and no stored text that can make the export fail. Times are the event's local time, as
the back office shows them.
"""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from werkconferentie.documents.spreadsheets import (
    append_text_safe,
    csv_value,
    excel_csv,
    fit_columns,
    header_row,
    workbook_bytes,
)
from werkconferentie.registration.enums import Role

from . import present
from .enums import AnswerStatus
from .models import Board
from .tagging import POLICY_AREAS


def header() -> list[str]:
    return [
        pgettext("an answer's own number in the export", "Number"),
        _("Answer"),
        _("Votes"),
        _("Priority"),
        _("Status"),
        _("Merged into"),
        _("Role"),
        _("Municipality"),
        _("From children"),
        _("Policy areas"),
        _("CRC articles"),
        _("SDGs"),
        _("SDG indicators"),
        _("Sent at"),
    ]


def local_time(iso: str, board: Board) -> str:
    """An answer's time (ISO, UTC) as the event's wall-clock time, to the second."""
    return dt.datetime.fromisoformat(iso).astimezone(board.event.tzinfo).strftime("%Y-%m-%d %H:%M:%S")


def rows(board: Board) -> list[list]:
    answers, _removed = present.host_answers(board)
    roles = dict(Role.choices)
    statuses = dict(AnswerStatus.choices)
    areas = {key: name_nl for key, name_nl, _name_en in POLICY_AREAS}
    yes, no = _("yes"), _("no")
    return [
        [
            answer["id"],
            answer["text"],
            answer["votes"],
            yes if answer["priority"] else no,
            str(statuses.get(answer["status"], answer["status"])),
            answer["merged_into"] or "",
            str(roles.get(answer["role"], "")),
            answer["municipality"],
            yes if answer["children"] else no,
            ", ".join(areas.get(area, area) for area in answer["policy_areas"]),
            ", ".join(str(number) for number in answer["crc_articles"]),
            ", ".join(str(number) for number in answer["sdgs"]),
            ", ".join(answer["indicators"]),
            local_time(answer["created_at"], board),
        ]
        for answer in answers
    ]


def board_csv(board: Board) -> bytes:
    return excel_csv(header(), ([csv_value(value) for value in row] for row in rows(board)))


def _answers_workbook(titles: list[str], data_rows) -> bytes:
    """One sheet "Answers" with a header row, a filter and fitted columns (one board's or all boards')."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Answers")[:31]
    header_row(sheet, titles)
    for row in data_rows:
        append_text_safe(sheet, row)
    sheet.auto_filter.ref = sheet.dimensions
    fit_columns(sheet)
    return workbook_bytes(workbook)


def board_xlsx(board: Board) -> bytes:
    return _answers_workbook(header(), rows(board))


def filename(board: Board, extension: str) -> str:
    return f"antwoorden-{board.event.slug}-{board.code}.{extension}"


# --- All boards of an event, for the organiser ------------------------------------------------------------------


def event_header() -> list[str]:
    return [_("Board"), _("Code"), *header()]


def event_rows(event_boards: list[Board]) -> list[list]:
    return [[board.display_title, board.code, *row] for board in event_boards for row in rows(board)]


def event_csv(event_boards: list[Board]) -> bytes:
    return excel_csv(event_header(), ([csv_value(value) for value in row] for row in event_rows(event_boards)))


def event_xlsx(event_boards: list[Board]) -> bytes:
    return _answers_workbook(event_header(), event_rows(event_boards))


def event_filename(slug: str, extension: str) -> str:
    return f"antwoorden-{slug}-alle-borden.{extension}"
