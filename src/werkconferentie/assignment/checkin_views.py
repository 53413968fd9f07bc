"""The check-in page of an event: scan a badge's QR code with the phone's camera, type its code, or search a name.

Only organisers of the event (and superusers) may use it; others get 404 as for every event they do not
organise. A check-in is a POST (with CSRF) of a badge token or a registration id; the answer is JSON for the
page's script and a redirect with a message without script. A forged, changed or expired code gets a clear
message, never an error page.
"""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from werkconferentie.events.backoffice import admin_context, event_for
from werkconferentie.registration.enums import Status
from werkconferentie.registration.models import Registration
from werkconferentie.registration.signup import SignupData, seats_left

from . import checkin
from .checkin_forms import WalkInForm

SEARCH_LIMIT = 20


def _time(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


@require_GET
def page(request, slug: str):
    return _page(request, event_for(request, slug), WalkInForm())


def _page(request, event, walk_in_form: WalkInForm, status: int = 200):
    query = request.GET.get("q", "").strip()[:100]
    results = checkin.search(event, query, limit=SEARCH_LIMIT) if query else None
    context = admin_context(
        request,
        _("Check-in: %(event)s") % {"event": event.loc("title")},
        event=event,
        query=query,
        results=results,
        # Found, but not confirmed: the page says "on the waiting list" or "cancelled" rather than "0 people".
        not_confirmed=checkin.search_not_confirmed(event, query, limit=SEARCH_LIMIT) if query and not results else [],
        search_limit=SEARCH_LIMIT,
        count=checkin.present_count(event),
        seats_free=seats_left(event),
        walk_in_form=walk_in_form,
    )
    return TemplateResponse(request, "assignment/checkin.html", context, status=status)


@require_POST
def walk_in(request, slug: str):
    """Register someone at the door and check her in, if a seat is free."""
    event = event_for(request, slug)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        return _page(request, event, form, status=400)
    data = form.cleaned_data
    signup_data = SignupData(
        name=data["name"],
        email=data["email"],
        role=data["role"],
        municipality=data["municipality"],
        organisation=data["organisation"],
        preferences=[],
        language=get_language() or "nl",
    )
    try:
        result = checkin.register_walk_in(event, signup_data, request.user)
    except checkin.EventFull:
        form.add_error(
            None,
            _("Every seat is taken (%(capacity)s of %(capacity)s): raise the capacity of the event first.")
            % {"capacity": event.capacity},
        )
        return _page(request, event, form, status=409)
    except checkin.AlreadyRegistered as already:
        form.add_error(
            "email",
            _("%(name)s is registered with this address already (%(status)s): search for the name.")
            % {"name": already.registration.name, "status": already.registration.get_status_display()},
        )
        return _page(request, event, form, status=409)
    messages.success(
        request,
        _("%(name)s is registered and checked in at %(time)s.")
        % {"name": result.registration.name, "time": _time(result.check_in.checked_in_at)},
    )
    return redirect("checkin:page", slug=event.slug)


@require_GET
def count(request, slug: str):
    event = event_for(request, slug)
    response = JsonResponse(checkin.present_count(event))
    response["Cache-Control"] = "no-store"
    return response


def _outcome(request, event) -> tuple[int, dict]:
    """Check in the person the POST names; (HTTP status, JSON answer with a message for people)."""
    token = request.POST.get("token", "").strip()
    registration_id = request.POST.get("registration", "").strip()
    if token:
        try:
            registration = checkin.registration_from_badge(token)
        except checkin.ExpiredBadge:
            return 400, {"status": "expired", "message": _("This badge has expired. Search for the name instead.")}
        except checkin.InvalidBadge:
            return 400, {
                "status": "invalid",
                "message": _("This code is not a valid badge of this system. Search for the name instead."),
            }
        if registration.event_id != event.pk:
            return 400, {"status": "other_event", "message": _("This badge belongs to another event.")}
    elif registration_id.isdigit():
        registration = Registration.objects.filter(event=event, pk=int(registration_id)).first()
        if registration is None:
            return 404, {"status": "not_found", "message": _("There is no such registration for this event.")}
    else:
        return 400, {"status": "empty", "message": _("Scan a badge, type its code or search for a name.")}

    person = {"name": registration.name, "registration": registration.pk}
    if registration.status != Status.CONFIRMED:
        message = _("%(name)s is not confirmed for this event (%(status)s).") % {
            "name": registration.name,
            "status": registration.get_status_display(),
        }
        return 409, {"status": "not_confirmed", "message": message, **person}
    result = checkin.check_in(registration, request.user)
    at = _time(result.check_in.checked_in_at)
    if result.already:
        message = _("%(name)s was already checked in at %(time)s.") % {"name": registration.name, "time": at}
        return 200, {"status": "already", "message": message, "checked_in_at": at, **person}
    message = _("%(name)s is checked in.") % {"name": registration.name}
    return 200, {"status": "checked_in", "message": message, "checked_in_at": at, **person}


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
def check_in(request, slug: str):
    event = event_for(request, slug)
    status, answer = _outcome(request, event)
    if _wants_json(request):
        return JsonResponse({**answer, **checkin.present_count(event)}, status=status)
    level = messages.SUCCESS if answer["status"] == "checked_in" else messages.WARNING
    if status >= 400:
        level = messages.ERROR
    messages.add_message(request, level, answer["message"])
    url = reverse("checkin:page", kwargs={"slug": event.slug})
    query = request.POST.get("q", "").strip()
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)
