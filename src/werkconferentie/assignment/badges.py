"""Name badges as a PDF: A6 badges, four to an A4 sheet with cut marks, each with a QR code for check-in.

The QR code holds only the signed badge token of checkin.py. Text is set in DejaVu Sans, which Debian's
fonts-dejavu-core installs and which covers every Latin letter ("Ĳsbrand", "Öztürk", "’t"); the PDF and the QR
codes come from werkconferentie.documents.
"""

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from werkconferentie.documents.pdf import render_pdf
from werkconferentie.documents.qr import qr_svg_data_uri
from werkconferentie.events.models import Event, Round
from werkconferentie.registration.enums import Status
from werkconferentie.registration.models import Registration

from .checkin import badge_token
from .models import Placement
from .runs import published_run

ORDERS = ("name", "municipality")
PER_SHEET = 4


@dataclass
class BadgeLine:
    round: Round
    workshop: str = ""
    room: str = ""


@dataclass
class Badge:
    registration: Registration
    qr_svg: str
    lines: list[BadgeLine] = field(default_factory=list)

    @property
    def name_size(self) -> str:
        """Long names get a smaller type, so that every name fits on two lines at most."""
        length = len(self.registration.name)
        return "long" if length > 30 else "medium" if length > 18 else "short"


def _sort_key(order: str):
    if order == "municipality":
        return lambda r: (r.affiliation.casefold(), r.name.casefold(), r.pk)
    return lambda r: (r.name.casefold(), r.pk)


def badges_for(event: Event, order: str = "name") -> list[Badge]:
    """A badge per confirmed registration, with its programme from the published run (blank lines before)."""
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}")
    rounds = list(event.rounds.order_by("number"))
    run = published_run(event)
    by_person: dict[int, dict[int, Placement]] = {}
    if run is not None:
        for placement in run.placements.select_related("session__workshop"):
            by_person.setdefault(placement.registration_id, {})[placement.round_id] = placement
    people = sorted(
        Registration.objects.filter(event=event, status=Status.CONFIRMED).select_related("municipality"),
        key=_sort_key(order),
    )
    badges = []
    for registration in people:
        placed = by_person.get(registration.pk, {})
        lines = []
        for round_ in rounds:
            placement = placed.get(round_.pk)
            if placement is None:
                lines.append(BadgeLine(round_))
            else:
                session = placement.session
                lines.append(BadgeLine(round_, session.workshop.loc("title"), session.room))
        badges.append(Badge(registration, qr_svg_data_uri(badge_token(registration)), lines))
    return badges


def badges_pdf(event: Event, order: str = "name", language: str = "nl") -> bytes:
    with translation.override(language):
        badges = badges_for(event, order)
        title = _("Badges: %(event)s") % {"event": event.loc("title")}
    sheets = [badges[i : i + PER_SHEET] for i in range(0, len(badges), PER_SHEET)]
    return render_pdf("assignment/badges.html", {"event": event, "sheets": sheets}, language=language, title=title)
