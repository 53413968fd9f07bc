"""Public pages of registration: the sign-up form and the personal page behind the signed link."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from werkconferentie.core.ratelimit import limit_signups
from werkconferentie.documents.downloads import JSON_CONTENT_TYPE, download
from werkconferentie.events.views import published_event

from . import programme, signup
from .details_form import DetailsForm
from .enums import Status
from .forms import PreferencesForm, RegistrationForm
from .links import ExpiredLink, InvalidLink, link_expires_at, registration_from_token
from .privacy import THANKS_SESSION_KEY

# ?opgeslagen= after saving choices: what the change did to a published programme (registration.programme).
SAVED_AS = {programme.NOT_PUBLISHED: "1", programme.CHANGED: "nieuw-programma", programme.UNCHANGED: "zelfde-programma"}


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
                result = signup.register(event, data["signup"])
            except signup.RegistrationClosed:
                return render(request, "registration/closed.html", {"event": event}, status=409)
            return _thanks_redirect(request, event, data["email"], result)
    status = 400 if form.is_bound else 200
    context = {"event": event, "form": form, "municipality_names": RegistrationForm.municipality_names()}
    return render(request, "registration/register.html", context, status=status)


def _thanks_redirect(request, event, email: str, result: signup.SignupResult | None = None):
    """The thank-you page says what the sign-up gave: a seat, a place on the waiting list, or that the address
    was registered already (as the API's 409 does; its status is then only in the mail to that address)."""
    outcome = ""
    if result is not None:
        if not result.created:
            outcome = "already"
        else:
            outcome = "seat" if result.registration.status == Status.CONFIRMED else "waitlist"
    request.session[THANKS_SESSION_KEY] = {
        "email": email.strip()[:254],
        "outcome": outcome,
        "position": result.position if result is not None else None,
    }
    return redirect("registration:thanks", slug=event.slug)


def thanks(request, slug):
    event = published_event(slug)
    about = request.session.get(THANKS_SESSION_KEY) or {}
    if isinstance(about, str):  # a session from before the outcome was kept
        about = {"email": about}
    context = {
        "event": event,
        "email": about.get("email", ""),
        "outcome": about.get("outcome", ""),
        "position": about.get("position"),
    }
    return render(request, "registration/thanks.html", context)


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
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    details = DetailsForm(posted if which == "details" else None, registration=registration)
    if which == "details" and registration.status != Status.CANCELLED and details.is_valid():
        signup.change_details(registration, **details.cleaned_data)
        response = redirect(reverse("registration:manage", args=[token]) + "?gegevens=1")
        if "language" in details.changed_data:
            # Her pages follow her language from now on, as her mails do.
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, registration.language, samesite="Lax")
        return response
    form = PreferencesForm(posted if which != "details" else None, event=event, current=current)
    saved = False
    if posted and which != "details" and registration.status != Status.CANCELLED and form.is_valid():
        outcome = signup.change_preferences(registration, form.cleaned_data["preferences"])
        return redirect(reverse("registration:manage", args=[token]) + f"?opgeslagen={SAVED_AS[outcome]}")
    saved = {code: outcome for outcome, code in SAVED_AS.items()}.get(request.GET.get("opgeslagen", ""))
    context = {
        "event": event,
        "registration": registration,
        "token": token,
        "form": form,
        "saved": saved,
        "just_cancelled": request.GET.get("afgemeld") == "1" and registration.status == Status.CANCELLED,
        "position": signup.waitlist_position(registration),
        "expires_at": link_expires_at(registration),
        "preferences": current,
        "programme": programme.programme_of(registration),
        "details": details,
        "details_saved": request.GET.get("gegevens") == "1",
    }
    return render(request, "registration/manage.html", context, status=400 if form.errors or details.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request, token):
    registration, error = registration_or_error_page(request, token)
    if error:
        return error
    if request.method == "POST" and registration.status != Status.CANCELLED:
        signup.cancel(registration)
        return redirect(reverse("registration:manage", args=[token]) + "?afgemeld=1")
    return render(
        request, "registration/cancel.html", {"event": registration.event, "registration": registration, "token": token}
    )


def data_download(request, token):
    registration, error = registration_or_error_page(request, token)
    if error:
        return error
    from .privacy import export_person

    content = json.dumps(export_person(registration), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    stamp = timezone.localtime().strftime("%Y%m%d")
    filename = f"mijn-gegevens-{registration.event.slug}-{stamp}.json"
    return download(content.encode(), filename, JSON_CONTENT_TYPE)
