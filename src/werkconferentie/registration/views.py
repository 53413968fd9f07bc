"""Public pages of registration: the sign-up form and the personal page behind the signed link."""

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from werkconferentie.core.ratelimit import limit_signups
from werkconferentie.events.views import published_event

from . import signup
from .enums import Status
from .forms import PreferencesForm, RegistrationForm
from .links import ExpiredLink, InvalidLink, link_expires_at, registration_from_token
from .privacy import THANKS_SESSION_KEY


@require_http_methods(["GET", "HEAD", "POST"])
@limit_signups
def register(request, slug):
    event = published_event(slug)
    if not event.registration_is_open():
        return render(request, "registration/closed.html", {"event": event}, status=409 if request.POST else 200)
    form = RegistrationForm(request.POST or None, event=event)
    if request.method == "POST":
        if form.is_bot:
            return _thanks_redirect(request, event, form.data.get("email", ""))
        if form.is_valid():
            data = form.cleaned_data
            try:
                signup.register(event, data["signup"])
            except signup.RegistrationClosed:
                return render(request, "registration/closed.html", {"event": event}, status=409)
            # New or already registered: the browser is told the same, the mail tells the person which.
            return _thanks_redirect(request, event, data["email"])
    status = 400 if form.is_bound else 200
    context = {"event": event, "form": form, "municipality_names": RegistrationForm.municipality_names()}
    return render(request, "registration/register.html", context, status=status)


def _thanks_redirect(request, event, email: str):
    request.session[THANKS_SESSION_KEY] = email.strip()[:254]
    return redirect("registration:thanks", slug=event.slug)


def thanks(request, slug):
    event = published_event(slug)
    email = request.session.get(THANKS_SESSION_KEY, "")
    return render(request, "registration/thanks.html", {"event": event, "email": email})


def registration_or_error_page(request, token):
    """The registration the link belongs to, or an error page saying plainly what is wrong."""
    try:
        return registration_from_token(token), None
    except ExpiredLink:
        return None, render(request, "registration/link_error.html", {"expired": True}, status=410)
    except InvalidLink:
        return None, render(request, "registration/link_error.html", {"expired": False}, status=404)


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    registration, error = registration_or_error_page(request, token)
    if error:
        return error
    event = registration.event
    current = registration.ranked_workshops()
    form = PreferencesForm(request.POST or None, event=event, current=current)
    saved = False
    if request.method == "POST" and registration.status != Status.CANCELLED and form.is_valid():
        signup.change_preferences(registration, form.cleaned_data["preferences"])
        return redirect(reverse("registration:manage", args=[token]) + "?opgeslagen=1")
    saved = request.GET.get("opgeslagen") == "1"
    context = {
        "event": event,
        "registration": registration,
        "token": token,
        "form": form,
        "saved": saved,
        "position": signup.waitlist_position(registration),
        "expires_at": link_expires_at(registration),
        "preferences": current,
    }
    return render(request, "registration/manage.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request, token):
    registration, error = registration_or_error_page(request, token)
    if error:
        return error
    if request.method == "POST" and registration.status != Status.CANCELLED:
        signup.cancel(registration)
        return redirect("registration:manage", token=token)
    return render(
        request, "registration/cancel.html", {"event": registration.event, "registration": registration, "token": token}
    )


def data_download(request, token):
    registration, error = registration_or_error_page(request, token)
    if error:
        return error
    from .privacy import export_person

    response = JsonResponse(export_person(registration), json_dumps_params={"ensure_ascii": False, "indent": 2})
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="mijn-gegevens-{registration.event.slug}-{stamp}.json"'
    return response
