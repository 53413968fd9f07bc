"""The organiser's pages for sending the raadsadres of an event: choose the recipients, see the mail and the list,
confirm; then the list of letters sent, where the organiser notes what each council did with its letter.

Mounted under /beheer-dag/ (sending_urls.py) behind the admin's login; anyone who does not organise the event
gets 404. Nothing is queued before the organiser confirms with a POST; the GET only shows what would happen.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from werkconferentie.events.backoffice import admin_context, event_for

from . import dispatch, report
from .models import CouncilHandling, LetterDispatch


class ChoiceForm(forms.Form):
    choice = forms.ChoiceField(
        label=gettext_lazy("Who gets the letter?"),
        choices=[
            ("default", gettext_lazy("The municipalities with a registration or an answer")),
            ("all", gettext_lazy("Every municipality")),
            ("province", gettext_lazy("Every municipality of one province")),
        ],
        initial="default",
        widget=forms.RadioSelect,
    )
    province = forms.ChoiceField(label=gettext_lazy("Province"), required=False)

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", "—"), *[(p, p) for p in provinces]]


class FollowUpForm(forms.Form):
    listed_on = forms.DateField(
        label=gettext_lazy("On the list of ingekomen stukken on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    handling = forms.ChoiceField(
        label=gettext_lazy("Handling by the council"),
        required=False,
        choices=[("", gettext_lazy("not known yet")), *CouncilHandling.choices],
    )
    handling_other = forms.CharField(
        label=gettext_lazy("Handling in words (for “other”)"), required=False, max_length=300
    )
    answer_received_on = forms.DateField(
        label=gettext_lazy("Answer received on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    answer_summary = forms.CharField(
        label=gettext_lazy("The answer in short"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _plan_or_error(request, event, data):
    provinces = dispatch.provinces(report.letter_date(report.report_of(event)))
    form = ChoiceForm(data or None, provinces=provinces)
    if data and not form.is_valid():
        return form, None, None
    choice = form.cleaned_data["choice"] if data else "default"
    province = form.cleaned_data.get("province", "") if data else ""
    try:
        return form, dispatch.plan(event, choice, province), None
    except dispatch.SendingError as error:
        return form, None, str(error)


@require_http_methods(["GET", "HEAD", "POST"])
def send(request, slug: str):
    """GET: the recipients of a choice and the mail they get. POST: the confirmation; queues the mails."""
    event = event_for(request, slug)
    data = request.POST if request.method == "POST" else (request.GET if "choice" in request.GET else None)
    form, the_plan, error = _plan_or_error(request, event, data)
    if request.method == "POST" and the_plan is not None:
        confirmed = request.POST.getlist("codes")
        possible = {r.municipality.code for r in the_plan.sendable}
        if not confirmed or not set(confirmed) <= possible:
            error = _("The list of recipients has changed since you saw it. Check it again and confirm.")
        else:
            try:
                queued = dispatch.queue_letters(
                    event, confirmed, request.user, resend=request.POST.get("resend") == "1", on=the_plan.facts.on
                )
            except dispatch.SendingError as refused:
                error = str(refused)
            else:
                _report_queued(request, queued)
                return redirect("outcomes_sending:dispatches", slug=event.slug)
    context = admin_context(
        request,
        _("Send raadsadressen: %(event)s") % {"event": event.loc("title")},
        event=event,
        form=form,
        plan=the_plan,
        error=error,
        preview=dispatch.preview(the_plan) if the_plan is not None and the_plan.recipients else None,
    )
    status = 400 if error or (data is not None and the_plan is None) else 200
    return TemplateResponse(request, "outcomes/send_letters.html", context, status=status)


def _report_queued(request, queued: dispatch.Queued) -> None:
    count = len(queued.dispatches)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d letter is queued; the mail goes out within a minute.",
                "%(count)d letters are queued; the mails go out within a few minutes.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.warning(request, _("No letter was queued."))
    if queued.skipped_sent_before:
        names = ", ".join(m.name for m in queued.skipped_sent_before)
        messages.info(request, _("Not sent again (they got the letter before): %(names)s.") % {"names": names})
    if queued.skipped_no_address:
        names = ", ".join(m.name for m in queued.skipped_no_address)
        messages.warning(request, _("Not sent (no e-mail address of the griffie): %(names)s.") % {"names": names})


@require_http_methods(["GET", "HEAD"])
def dispatches(request, slug: str):
    """The letters sent for the event, with what the organiser knows of each council's handling."""
    event = event_for(request, slug)
    rows = dispatch.dispatches_of(event)
    items = [
        {
            "dispatch": d,
            "state": dispatch.state(d),
            "form": FollowUpForm(
                prefix=f"d{d.pk}", initial={name: getattr(d, name) for name in dispatch.FOLLOW_UP_FIELDS}
            ),
        }
        for d in rows
    ]
    return _dispatches_page(request, event, items)


def _dispatches_page(request, event, items, status=200):
    counts = {"all": len(items), "delivered": sum(1 for i in items if i["state"] == "delivered")}
    context = admin_context(
        request,
        _("Raadsadressen sent: %(event)s") % {"event": event.loc("title")},
        event=event,
        items=items,
        counts=counts,
    )
    return TemplateResponse(request, "outcomes/send_dispatches.html", context, status=status)


@require_POST
def follow_up(request, slug: str, pk: int):
    """Save what the organiser entered about one letter; a refused entry shows the page again with the reason."""
    event = event_for(request, slug)
    record = LetterDispatch.objects.filter(event=event, pk=pk).first()
    if record is None:
        raise Http404
    form = FollowUpForm(request.POST, prefix=f"d{record.pk}")
    error = None
    if form.is_valid():
        try:
            dispatch.record_follow_up(record, request.user, **form.cleaned_data)
        except dispatch.SendingError as refused:
            error = str(refused)
        else:
            messages.success(request, _("Saved for %(name)s.") % {"name": record.municipality.name})
            return redirect(f"{_dispatches_url(event)}#dispatch-{record.pk}")
    if error:
        form.add_error(None, error)
    items = []
    for d in dispatch.dispatches_of(event):
        own = d.pk == record.pk
        initial = {name: getattr(d, name) for name in dispatch.FOLLOW_UP_FIELDS}
        items.append(
            {
                "dispatch": d,
                "state": dispatch.state(d),
                "form": form if own else FollowUpForm(prefix=f"d{d.pk}", initial=initial),
            }
        )
    return _dispatches_page(request, event, items, status=400)


def _dispatches_url(event) -> str:
    return reverse("outcomes_sending:dispatches", kwargs={"slug": event.slug})
