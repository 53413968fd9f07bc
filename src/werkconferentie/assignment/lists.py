"""Attendance lists per workshop session of the published run: a PDF to sign on paper, and an Excel workbook."""

import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from werkconferentie.documents.pdf import render_pdf
from werkconferentie.documents.spreadsheets import append_text_safe, cell_value, workbook_bytes
from werkconferentie.events.models import Event, WorkshopSession
from werkconferentie.registration.enums import Status
from werkconferentie.registration.models import Registration

from .runs import published_run


class NotPublished(Exception):
    """The event has no published assignment, so there is nobody on any list yet."""


@dataclass
class SessionList:
    session: WorkshopSession
    people: list[Registration]


def session_lists(event: Event) -> list[SessionList]:
    run = published_run(event)
    if run is None:
        raise NotPublished
    sessions = WorkshopSession.objects.filter(workshop__event=event).select_related("workshop", "round")
    people: dict[int, list[Registration]] = {session.pk: [] for session in sessions}
    placements = run.placements.filter(registration__status=Status.CONFIRMED).select_related(
        "registration__municipality"
    )
    for placement in placements:
        people.setdefault(placement.session_id, []).append(placement.registration)
    return [
        SessionList(session, sorted(people[session.pk], key=lambda r: (r.name.casefold(), r.pk)))
        for session in sorted(sessions, key=lambda s: (s.round.number, s.workshop.number))
    ]


def lists_pdf(event: Event, language: str = "nl") -> bytes:
    with translation.override(language):
        lists = session_lists(event)
        title = _("Attendance lists: %(event)s") % {"event": event.loc("title")}
    return render_pdf("assignment/lists.html", {"event": event, "lists": lists}, language=language, title=title)


def _sheet_title(session: WorkshopSession, taken: set[str]) -> str:
    # Excel allows 31 characters and none of []:*?/\ in a sheet's name, and each name once per workbook.
    label = cell_value(f"R{session.round.number} W{session.workshop.number} {session.workshop.loc('title')}")
    base = re.sub(r"[\[\]:*?/\\]", " ", label)
    title, n = base[:31].strip(), 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)].strip() + suffix, n + 1
    taken.add(title.casefold())
    return title


def lists_xlsx(event: Event, language: str = "nl") -> bytes:
    """One sheet per session: what it is at the top, then one row per person with an empty column to tick."""
    with translation.override(language):
        workbook = Workbook()
        workbook.remove(workbook.active)
        taken: set[str] = set()
        for item in session_lists(event):
            session = item.session
            sheet = workbook.create_sheet(_sheet_title(session, taken))
            append_text_safe(sheet, [session.workshop.loc("title")])
            sheet.cell(1, 1).font = Font(bold=True, size=13)
            time = f"{session.round.start_time:%H:%M}–{session.round.end_time:%H:%M}"
            append_text_safe(sheet, [_("Round"), session.round.loc("title"), time])
            append_text_safe(sheet, [_("Room"), session.room])
            sheet.append([_("Capacity"), session.capacity, _("Assigned"), len(item.people)])
            sheet.append([])
            sheet.append([_("Name"), _("Role"), _("Municipality or organisation"), _("Present")])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
            sheet.freeze_panes = sheet.cell(sheet.max_row + 1, 1)
            for registration in item.people:
                # Text stays text (a name typed as "=..." never runs), without characters XML refuses.
                append_text_safe(sheet, [registration.name, registration.role_label, registration.affiliation, ""])
            for column, width in zip("ABCD", (40, 28, 36, 12), strict=True):
                sheet.column_dimensions[column].width = width
        if not workbook.sheetnames:
            workbook.create_sheet(_("Sessions"))
        return workbook_bytes(workbook)
