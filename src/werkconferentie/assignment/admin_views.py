"""The organiser's assignment page of an event, and its participant list where people are moved and pinned.

Mounted by AssignmentRunAdmin.get_urls inside the admin. Who may see what, as on the registrations dashboard:
logged out → the admin's login; staff without the right to view runs → 403; an event one does not organise →
404. Running, moving, pinning and publishing are POSTs that call runs.py, which holds the rules; these views only
read figures for the page (a fixed number of queries, whatever the number of people).
"""

from collections import Counter, defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkconferentie.events.admin import organised_event_or_404
from werkconferentie.events.models import Event, WorkshopSession
from werkconferentie.reference.models import Municipality
from werkconferentie.registration.enums import Role, Status
from werkconferentie.registration.models import Preference, Registration

from . import runs
from .enums import MoveRefusal, MoveWarning
from .figures import run_figures
from .models import AssignmentRun, Pin, Placement
from .unplaced import unplaced_people

PEOPLE_PER_PAGE = 100
# The names listed on the confirmation before publishing (the count says how many there are in all).
PREVIEW_NAMES = 50


def _run_for(event: Event, number) -> AssignmentRun | None:
    """The run with this number (from ?run= or a form), else the latest."""
    if number:
        try:
            return get_object_or_404(AssignmentRun, event=event, number=int(number))
        except ValueError:
            raise Http404 from None
    return runs.latest_run(event)


def _pk(value) -> int:
    """An id from a form; anything else is not found (rather than an error)."""
    if not str(value or "").isdigit():
        raise Http404
    return int(value)


def _context(request, model_admin, event, title, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "event": event,
        "may_assign": model_admin.may_assign(request),
        **extra,
    }


def _page_url(event: Event, run: AssignmentRun | None, name: str = "event") -> str:
    url = reverse(f"admin:assignment_assignmentrun_{name}", args=[event.slug])
    return f"{url}?run={run.number}" if run else url


def _percent(part: float, whole: float) -> int:
    if not whole or not part:
        return 0
    return max(1, round(100 * part / whole))


# --- Figures of a run, as it stands now (moves included) -------------------------------------------------------


def _histogram(figures) -> list[dict]:
    """The seats per rank of run_figures as bars."""
    rows = [(_("not ranked") if rank == "unranked" else rank, n) for rank, n in figures.rank_histogram.items()]
    widest = max((n for _label, n in rows), default=0)
    return [{"label": label, "count": n, "width": _percent(n, widest)} for label, n in rows]


def _sessions(run: AssignmentRun, figures):
    """Every session with its fill against capacity (from run_figures), the count per role and the largest
    municipality's share."""
    roles: dict[int, Counter] = defaultdict(Counter)
    for session, role, n in run.placements.values_list("session_id", "registration__role").annotate(n=Count("pk")):
        roles[session][role] += n
    towns: dict[int, Counter] = defaultdict(Counter)
    for session, town, n in (
        run.placements.filter(registration__municipality__isnull=False)
        .values_list("session_id", "registration__municipality_id")
        .annotate(n=Count("pk"))
    ):
        towns[session][town] += n
    largest = {pk: counts.most_common(1)[0] for pk, counts in towns.items() if counts}
    names = dict(Municipality.objects.filter(pk__in={t for t, _n in largest.values()}).values_list("pk", "name"))
    labels = dict(Role.choices)
    rows = []
    for fill in figures.sessions:
        session, used = fill.session, fill.used
        town = largest.get(session.pk)
        rows.append(
            {
                "session": session,
                "used": used,
                "width": min(100, _percent(used, session.capacity)),
                "over": fill.over,
                "roles": [(labels.get(role, role), n) for role, n in roles[session.pk].most_common()],
                "town": names.get(town[0]) if town else "",
                "town_share": round(100 * town[1] / used) if town and used else None,
            }
        )
    return rows


def _programmes(run: AssignmentRun) -> dict[int, frozenset]:
    programmes: dict[int, set] = defaultdict(set)
    for registration, session in run.placements.values_list("registration_id", "session_id"):
        programmes[registration].add(session)
    return {pk: frozenset(s) for pk, s in programmes.items()}


def _comparison(run: AssignmentRun):
    previous = run.event.assignment_runs.filter(number__lt=run.number).order_by("-number").first()
    if previous is None:
        return None
    now, before = _programmes(run), _programmes(previous)
    differ = sum(1 for pk in now.keys() | before.keys() if now.get(pk) != before.get(pk))
    return {"previous": previous, "previous_figures": run_figures(previous), "differ": differ}


def _unplaced(event: Event, run: AssignmentRun, figures):
    """The people without a full programme in the run, with the engine's reason, and confirmed people the run
    does not know yet."""
    reasons = {person.registration_id: person for person in unplaced_people(run, figures)}
    ids = list(reasons)
    pinned = set(Pin.objects.filter(registration_id__in=ids).values_list("registration_id", flat=True))
    people = list(Registration.objects.filter(pk__in=ids).select_related("municipality").order_by("name"))
    for person in people:
        person.pinned = person.pk in pinned
        person.unplaced = reasons[person.pk]
    # Confirmed after the run (a late sign-up, someone from the waiting list): the next run takes them in.
    newer = (
        event.registrations.filter(status=Status.CONFIRMED)
        .exclude(placements__run=run)
        .exclude(pk__in=[int(pk) for pk in run.stats.get("unassigned", [])])
        .count()
    )
    return people, newer


def _confirm_publish(request, model_admin, event, run):
    preview = runs.preview_publication(run)
    shown = preview.recipients[:PREVIEW_NAMES]
    context = _context(
        request,
        model_admin,
        event,
        _("Publish run %(number)d?") % {"number": run.number},
        run=run,
        preview=preview,
        count=len(preview.recipients),
        shown=shown,
        more=len(preview.recipients) - len(shown),
        back=_page_url(event, run),
    )
    return TemplateResponse(request, "assignment/admin/confirm_publish.html", context)


def assignment(request, model_admin, slug: str):
    """The assignment page: run the engine, read the result, compare with the run before, publish."""
    event = organised_event_or_404(request, model_admin, slug)
    if request.method == "POST":
        if not model_admin.may_assign(request):
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "run":
            run = runs.run_engine(event, user=request.user)
            messages.success(
                request,
                _("Run %(number)d is ready: check it, move people if needed, then publish.") % {"number": run.number},
            )
            return redirect(_page_url(event, run))
        if action == "publish":
            run = _run_for(event, request.POST.get("run"))
            if run is None:
                raise Http404
            if request.POST.get("confirm") != "1" or run.is_published:
                # Publishing mails people: first show what would be sent, to how many, and ask.
                return _confirm_publish(request, model_admin, event, run)
            changed = runs.publish(run)
            messages.success(
                request,
                ngettext(
                    "Run %(number)d is published. %(count)d participant gets an e-mail with the programme.",
                    "Run %(number)d is published. %(count)d participants get an e-mail with their programme.",
                    len(changed),
                )
                % {"number": run.number, "count": len(changed)},
            )
            return redirect(_page_url(event, run))
        return redirect(_page_url(event, None))
    run = _run_for(event, request.GET.get("run"))
    extra = {"run": run, "runs": list(event.assignment_runs.order_by("-number")[:10])}
    if run is not None:
        figures = run_figures(run)
        unplaced, newer = _unplaced(event, run, figures)
        extra.update(
            figures=figures,
            histogram=_histogram(figures),
            got_first=figures.got_first,
            placed=figures.placed,
            first_share=figures.first_percent,
            sessions=_sessions(run, figures),
            comparison=_comparison(run),
            unplaced=unplaced,
            newer=newer,
            published=runs.published_run(event),
            people_url=_page_url(event, run, "people"),
        )
    context = _context(request, model_admin, event, _("Assignment: %(event)s") % {"event": event.loc("title")}, **extra)
    return TemplateResponse(request, "assignment/admin/assignment.html", context)


# --- The participant list: moves and pins ----------------------------------------------------------------------


def _refusal(code: MoveRefusal, registration: Registration) -> str:
    if code == MoveRefusal.WORKSHOP_TWICE:
        return _(
            "%(name)s already has this workshop in another round: nobody gets the same workshop twice. "
            "Move the other round first."
        ) % {"name": registration.name}
    if code == MoveRefusal.RUN_PUBLISHED:
        return _("This run is published: press Assign for a new run, move people there and publish it.")
    return _("This session or person belongs to another event.")


def _warning(code: MoveWarning, session: WorkshopSession, taken: int) -> str:
    if code == MoveWarning.SESSION_FULL:
        return _("This session is full: %(taken)d of %(capacity)d seats are taken.") % {
            "taken": taken,
            "capacity": session.capacity,
        }
    return str(code)


def _move(request, model_admin, event, run):
    registration = get_object_or_404(Registration, pk=_pk(request.POST.get("registration")), event=event)
    session = get_object_or_404(WorkshopSession, pk=_pk(request.POST.get("session")), workshop__event=event)
    back = _page_url(event, run, "people") + f"&person={registration.pk}"
    pin = request.POST.get("pin") == "1"
    try:
        check = runs.move(run, registration, session, accept_warnings=request.POST.get("confirm") == "1", pin=pin)
    except runs.MoveRefused as refusal:
        messages.error(request, _refusal(refusal.code, registration))
        return redirect(back)
    if check.warnings and request.POST.get("confirm") != "1":
        context = _context(
            request,
            model_admin,
            event,
            _("Move %(name)s anyway?") % {"name": registration.name},
            run=run,
            registration=registration,
            session=session,
            pin=pin,
            warnings=[_warning(w, session, check.taken) for w in check.warnings],
            back=back,
        )
        return TemplateResponse(request, "assignment/admin/confirm_move.html", context)
    messages.success(
        request,
        _("%(name)s is now in %(session)s%(pinned)s.")
        % {
            "name": registration.name,
            "session": f"{session.workshop.number}. {session.workshop.loc('title')} ({session.round.loc('title')})",
            "pinned": _(", pinned for later runs") if pin else "",
        },
    )
    return redirect(back)


def people(request, model_admin, slug: str):
    """The confirmed participants with their session per round, 100 a page, searchable; one person's move forms."""
    event = organised_event_or_404(request, model_admin, slug)
    run = _run_for(event, request.POST.get("run") or request.GET.get("run"))
    if request.method == "POST":
        if not model_admin.may_assign(request):
            raise PermissionDenied
        if run is None:
            raise Http404
        if request.POST.get("action") == "unpin":
            registration = get_object_or_404(Registration, pk=_pk(request.POST.get("registration")), event=event)
            runs.unpin(registration, get_object_or_404(event.rounds, pk=_pk(request.POST.get("round"))).pk)
            messages.success(
                request, _("The pin is removed; the next run may move %(name)s.") % {"name": registration.name}
            )
            return redirect(_page_url(event, run, "people") + f"&person={registration.pk}")
        return _move(request, model_admin, event, run)

    rounds = list(event.rounds.order_by("number"))
    query = request.GET.get("q", "").strip()
    registrations = event.registrations.filter(status=Status.CONFIRMED).select_related("municipality")
    if query:
        registrations = registrations.filter(
            Q(name__icontains=query) | Q(municipality__name__icontains=query) | Q(organisation__icontains=query)
        )
    page = Paginator(registrations.order_by("name", "pk"), PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    on_page = list(page.object_list)
    ids = [r.pk for r in on_page]
    placed: dict[int, dict[int, Placement]] = defaultdict(dict)
    if run is not None:
        for placement in run.placements.filter(registration_id__in=ids).select_related("session__workshop"):
            placed[placement.registration_id][placement.round_id] = placement
    pinned = set(Pin.objects.filter(registration_id__in=ids).values_list("registration_id", "round_id"))
    ranks = {
        (registration, workshop): rank
        for registration, workshop, rank in Preference.objects.filter(registration_id__in=ids).values_list(
            "registration_id", "workshop_id", "rank"
        )
    }
    rows = []
    for registration in on_page:
        cells = []
        for round_ in rounds:
            placement = placed[registration.pk].get(round_.pk)
            cells.append(
                {
                    "placement": placement,
                    "pinned": (registration.pk, round_.pk) in pinned,
                    "rank": ranks.get((registration.pk, placement.workshop_id)) if placement else None,
                }
            )
        rows.append({"registration": registration, "cells": cells})

    person = None
    person_id = request.GET.get("person")
    if run is not None and person_id and person_id.isdigit():
        person = _person(event, run, rounds, get_object_or_404(Registration, pk=person_id, event=event))
    params = {"run": run.number} if run else {}
    if query:
        params["q"] = query
    context = _context(
        request,
        model_admin,
        event,
        _("Participants and their sessions: %(event)s") % {"event": event.loc("title")},
        run=run,
        rounds=rounds,
        rows=rows,
        page=page,
        query=query,
        params=params,
        person=person,
        assignment_url=_page_url(event, run),
    )
    return TemplateResponse(request, "assignment/admin/people.html", context)


def _person(event, run, rounds, registration):
    """One person's sessions per round, each with the sessions of that round to move her to (with their fill)."""
    fill = runs.session_fill(run)
    sessions = defaultdict(list)
    for session in WorkshopSession.objects.filter(workshop__event=event).select_related("workshop", "round"):
        sessions[session.round_id].append({"session": session, "used": fill.get(session.pk, 0)})
    placements = {
        p.round_id: p for p in run.placements.filter(registration=registration).select_related("session__workshop")
    }
    pins = {pin.round_id: pin for pin in Pin.objects.filter(registration=registration)}
    ranking = {p.workshop_id: p.rank for p in registration.preferences.all()}
    return {
        "registration": registration,
        "ranking": list(registration.preferences.select_related("workshop")),
        "rounds": [
            {
                "round": round_,
                "placement": placements.get(round_.pk),
                "pinned": round_.pk in pins,
                "choices": sessions[round_.pk],
                "rank": ranking.get(placements[round_.pk].workshop_id) if round_.pk in placements else None,
            }
            for round_ in rounds
        ],
    }
