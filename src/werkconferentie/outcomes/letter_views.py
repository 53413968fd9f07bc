"""The organiser's page for the report's publication and the raadsadres: who sends and signs, the letter's texts,
and the letters to download (one, or all in a ZIP).

Mounted under /beheer-dag/ beside the Opbrengst page; anyone who does not organise the event gets 404.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkconferentie.documents.downloads import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE, ZIP_CONTENT_TYPE, download
from werkconferentie.events.backoffice import admin_context, event_for
from werkconferentie.reference.municipalities import municipality_on

from . import letters, raadsadres, report
from .models import OutcomeReport

KINDS = {"pdf": PDF_CONTENT_TYPE, "docx": DOCX_CONTENT_TYPE}
# A ZIP made in a web request renders in this process: beyond this many letters, the command is the way.
MAX_LETTERS_IN_A_REQUEST = 60


TEXT_FIELDS = [name for name in report.EDITABLE_FIELDS if name[:-3] in report.LETTER_BLOCKS]


class LetterSettingsForm(forms.ModelForm):
    class Meta:
        model = OutcomeReport
        fields = report.EDITABLE_FIELDS
        widgets = {
            "letter_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "sender_address": forms.Textarea(attrs={"rows": 3}),
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in report.EDITABLE_FIELDS
                if name[:-3] in report.LETTER_BLOCKS
            },
        }


def _defaults(outcome: OutcomeReport) -> dict[str, str]:
    """The default texts, shown under each text field: what the letter says while the field is empty."""
    shown = {}
    for language in ("nl", "en"):
        blank = OutcomeReport(event=outcome.event)
        texts = report.letter_texts(blank, language)
        for block in report.LETTER_BLOCKS:
            shown[f"{block}_{language}"] = texts[block]
    return shown


def page(request, slug: str):
    event = event_for(request, slug)
    outcome = report.report_of(event)
    form = LetterSettingsForm(request.POST or None, instance=outcome)
    if request.method == "POST":
        if form.is_valid():
            try:
                report.update_report(event, request.user, **{name: form.cleaned_data[name] for name in form.fields})
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The letter settings are saved."))
                return redirect(reverse("outcomes_admin:letters", kwargs={"slug": event.slug}))
        else:
            messages.error(request, _("Some fields are not filled in right; see the messages at the fields."))
    facts = raadsadres.event_facts(event)
    recipients = raadsadres.recipients(facts)
    defaults = _defaults(outcome)
    for name in form.fields:
        if name in defaults:
            form.fields[name].help_text = _("Empty: the default text, %(text)s") % {"text": f"“{defaults[name]}”"}
    context = admin_context(
        request,
        _("Report and letters: %(event)s") % {"event": event.loc("title")},
        event=event,
        outcome_report=outcome,
        form=form,
        recipients=recipients,
        draft=facts.draft,
        zip_limit=MAX_LETTERS_IN_A_REQUEST,
    )
    return TemplateResponse(request, "outcomes/letters.html", context, status=400 if form.errors else 200)


@require_POST
def publication(request, slug: str):
    event = event_for(request, slug)
    if request.POST.get("action") == "publish":
        report.publish(event, request.user)
        messages.success(request, _("The report is published: everyone can read it now."))
    elif request.POST.get("action") == "unpublish":
        report.unpublish(event, request.user)
        messages.success(request, _("The report is no longer public."))
    else:
        raise Http404
    return redirect(reverse("outcomes_admin:letters", kwargs={"slug": event.slug}))


def letter(request, slug: str, code: str, kind: str):
    """One letter: `code` is "algemeen" or a CBS code; `kind` is pdf or docx."""
    event = event_for(request, slug)
    if kind not in KINDS:
        raise Http404
    facts = raadsadres.event_facts(event)
    municipality = None
    if code != "algemeen":
        municipality = municipality_on(code, facts.on)
        if municipality is None or municipality.code != code:
            raise Http404
    language = request.GET.get("language") or get_language() or "nl"
    content = raadsadres.render(raadsadres.letter(facts, municipality, language), kind)
    return download(content, raadsadres.filename(municipality, kind), KINDS[kind], inline=kind == "pdf")


def letters_zip(request, slug: str):
    event = event_for(request, slug)
    facts = raadsadres.event_facts(event)
    recipients = raadsadres.recipients(facts)
    if len(recipients) > MAX_LETTERS_IN_A_REQUEST:
        messages.error(
            request,
            _(
                "%(count)d letters are too many to make here; use the command: werkconferentie letters %(slug)s -o brieven.zip"  # noqa: E501
            )
            % {"count": len(recipients), "slug": event.slug},
        )
        return redirect(reverse("outcomes_admin:letters", kwargs={"slug": event.slug}))
    content = letters.letters_zip(event, recipients, facts=facts, language=get_language() or "nl", workers=1)
    return download(content, f"raadsadressen-{event.slug}.zip", ZIP_CONTENT_TYPE)


def letter_urls():
    from django.contrib import admin
    from django.urls import path

    view = admin.site.admin_view
    return [
        path("<slug:slug>/raadsadres/", view(page), name="letters"),
        path("<slug:slug>/raadsadres/publicatie/", view(publication), name="publication"),
        path("<slug:slug>/raadsadres/brieven.zip", view(letters_zip), name="letters_zip"),
        path("<slug:slug>/raadsadres/<str:code>.<str:kind>", view(letter), name="letter"),
    ]
