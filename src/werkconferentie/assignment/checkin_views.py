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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from werkconferentie.registration.enums import Status
from werkconferentie.registration.models import Registration

from . import checkin
from .print_views import admin_context, event_for

SEARCH_LIMIT = 20


def _time(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


@require_GET
def page(request, slug: str):
    event = event_for(request, slug)
    query = request.GET.get("q", "").strip()[:100]
    context = admin_context(
        request,
        _("Check-in: %(event)s") % {"event": event.loc("title")},
        event=event,
        query=query,
        results=checkin.search(event, query, limit=SEARCH_LIMIT) if query else None,
        search_limit=SEARCH_LIMIT,
        count=checkin.present_count(event),
    )
    return TemplateResponse(request, "assignment/checkin.html", context)


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
