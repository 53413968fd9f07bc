"""The counts behind the organiser's dashboard and the export's second sheet: plain functions of an event.

Each function runs a fixed number of queries, however many registrations there are (the tests bound them with
`django_assert_num_queries`). Counts by role, province, municipality and workshop are of active registrations
(confirmed and waitlisted): those are the people who may come.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from werkconferentie.events.models import Event, Workshop

from .enums import Role, Status
from .models import Preference, Registration

ACTIVE = [Status.CONFIRMED, Status.WAITLISTED]


def with_waitlist_position(queryset):
    """Annotate `waitlist_position`: 1 for the first on the event's waiting list, None for everyone else.

    A correlated subquery rather than a window function, so that the position stays right when the admin
    filters or searches the list (a window would number only the rows that are left).
    """
    ahead = (
        Registration.objects.filter(event=OuterRef("event"), status=Status.WAITLISTED)
        .filter(Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk")))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        waitlist_position=Case(
            When(status=Status.WAITLISTED, then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1),
            default=None,
            output_field=IntegerField(),
        )
    )


@dataclass(frozen=True)
class Totals:
    capacity: int
    confirmed: int
    waitlisted: int
    cancelled: int

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.confirmed)

    @property
    def active(self) -> int:
        return self.confirmed + self.waitlisted


@dataclass(frozen=True)
class Row:
    """One bar: a label, its count, and for the role/place tables the split into confirmed and waitlisted."""

    key: str
    label: str
    count: int
    confirmed: int = 0
    waitlisted: int = 0


@dataclass(frozen=True)
class WorkshopDemand:
    workshop: Workshop
    first_choices: int
    all_choices: int
    seats: int  # over all the sessions of the workshop

    @property
    def first_choices_per_seat(self) -> float | None:
        return self.first_choices / self.seats if self.seats else None


@dataclass
class Dashboard:
    event: Event
    totals: Totals
    by_role: list[Row]
    by_province: list[Row]
    by_municipality: list[Row]
    demand: list[WorkshopDemand]
    waiting_list: list[Registration] = field(default_factory=list)


def totals(event: Event) -> Totals:
    counts = Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
    )
    return Totals(capacity=event.capacity, **counts)


def _active(event: Event):
    return Registration.objects.filter(event=event, status__in=ACTIVE).order_by()


def _split():
    return {
        "count": Count("pk"),
        "confirmed": Count("pk", filter=Q(status=Status.CONFIRMED)),
        "waitlisted": Count("pk", filter=Q(status=Status.WAITLISTED)),
    }


def by_role(event: Event) -> list[Row]:
    """Every role in the form's order, with zero for roles nobody registered with."""
    counts = {row["role"]: row for row in _active(event).values("role").annotate(**_split())}
    rows = []
    for role in Role:
        row = counts.get(role.value, {})
        rows.append(
            Row(role.value, str(role.label), row.get("count", 0), row.get("confirmed", 0), row.get("waitlisted", 0))
        )
    return rows


def _sorted(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda row: (-row.count, row.label))


def by_province(event: Event) -> list[Row]:
    """Provinces by count, largest first; people without a municipality in one row at the end."""
    grouped = (
        _active(event)
        .values("municipality__province_code", "municipality__province_name")
        .annotate(**_split())
        .order_by()
    )
    rows, without = [], None
    for row in grouped:
        split = {"count": row["count"], "confirmed": row["confirmed"], "waitlisted": row["waitlisted"]}
        if row["municipality__province_code"] is None:
            without = Row("", str(_("No municipality (organisation)")), **split)
        else:
            rows.append(Row(row["municipality__province_code"], row["municipality__province_name"], **split))
    return _sorted(rows) + ([without] if without else [])


def by_municipality(event: Event, top: int | None = 10) -> list[Row]:
    """The `top` municipalities by count, then one row with all the others (its key is "rest")."""
    grouped = (
        _active(event)
        .filter(municipality__isnull=False)
        .values("municipality__code", "municipality__name")
        .annotate(**_split())
        .order_by()
    )
    rows = _sorted(
        [
            Row(row["municipality__code"], row["municipality__name"], row["count"], row["confirmed"], row["waitlisted"])
            for row in grouped
        ]
    )
    if top is None or len(rows) <= top:
        return rows
    rest = rows[top:]
    label = ngettext("%(count)d other municipality", "%(count)d other municipalities", len(rest)) % {"count": len(rest)}
    return rows[:top] + [
        Row(
            "rest",
            str(label),
            sum(row.count for row in rest),
            sum(row.confirmed for row in rest),
            sum(row.waitlisted for row in rest),
        )
    ]


def workshop_demand(event: Event) -> list[WorkshopDemand]:
    """Per workshop: how many put it first, how many ranked it at all, and the seats of all its sessions."""
    workshops = list(
        Workshop.objects.filter(event=event).annotate(seats=Coalesce(Sum("sessions__capacity"), 0)).order_by("number")
    )
    choices = {
        row["workshop"]: row
        for row in Preference.objects.filter(registration__event=event, registration__status__in=ACTIVE)
        .values("workshop")
        .annotate(first=Count("pk", filter=Q(rank=1)), all=Count("pk"))
        .order_by()
    }
    return [
        WorkshopDemand(
            workshop,
            first_choices=choices.get(workshop.pk, {}).get("first", 0),
            all_choices=choices.get(workshop.pk, {}).get("all", 0),
            seats=workshop.seats,
        )
        for workshop in workshops
    ]


def waiting_list(event: Event) -> list[Registration]:
    """The waiting list in order; each registration carries `waitlist_position`."""
    people = list(
        Registration.objects.filter(event=event, status=Status.WAITLISTED)
        .select_related("municipality")
        .order_by("created_at", "pk")
    )
    for position, registration in enumerate(people, start=1):
        registration.waitlist_position = position
    return people


def dashboard(event: Event, top_municipalities: int = 10) -> Dashboard:
    return Dashboard(
        event=event,
        totals=totals(event),
        by_role=by_role(event),
        by_province=by_province(event),
        by_municipality=by_municipality(event, top=top_municipalities),
        demand=workshop_demand(event),
        waiting_list=waiting_list(event),
    )
