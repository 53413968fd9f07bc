"""A board's answers as CSV and Excel for the host and organisers: every answer, merged or not, with its tags.

The formats are documents.spreadsheets', as for the registrations: CSV that Dutch Excel opens directly, text that
never runs as a formula, and no stored text that can make the export fail.
"""

from django.utils.translation import gettext as _
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
        _("Number"),
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
            answer["created_at"][:19].replace("T", " "),
        ]
        for answer in answers
    ]


def board_csv(board: Board) -> bytes:
    return excel_csv(header(), ([csv_value(value) for value in row] for row in rows(board)))


def board_xlsx(board: Board) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Answers")[:31]
    header_row(sheet, header())
    for row in rows(board):
        append_text_safe(sheet, row)
    sheet.auto_filter.ref = sheet.dimensions
    fit_columns(sheet)
    return workbook_bytes(workbook)


def filename(board: Board, extension: str) -> str:
    return f"antwoorden-{board.event.slug}-{board.code}.{extension}"
