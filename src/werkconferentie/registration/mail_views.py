"""The organiser's mail pages of an event: what was sent (the outbox, rendered, with attachments) and messages to
participants (write, preview, confirm, send).

Mounted by RegistrationAdmin.get_urls, with the dashboard's rules: logged out → the admin's login; staff without
the right to view registrations → 403; an event one does not organise, or a message of another event → 404.
Sending needs the right to change registrations. The rules are in mailings.py; these views only read and call.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkconferentie.events.admin import organised_event_or_404
from werkconferentie.outbox import mailing as outbox
from werkconferentie.outbox.enums import MessageState

from . import mailings
from .mailing_forms import MailingForm
from .models import Mailing, Registration

MESSAGES_PER_PAGE = 50
PREVIEW_NAMES = 50


def _context(request, model_admin, event, title: str, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "event": event,
        "may_send": model_admin.has_change_permission(request),
        **extra,
    }


def _mail_url(event) -> str:
    return reverse("admin:registration_registration_mail", args=[event.slug])


def mail(request, model_admin, slug: str):
    """The history of messages to participants, and every mail the event's registrations caused."""
    event = organised_event_or_404(request, model_admin, slug)
    history = event.mailings.annotate(
        sent=Count("messages", filter=Q(messages__state=MessageState.SENT)),
        failed=Count("messages", filter=Q(messages__state=MessageState.FAILED)),
    )
    page = Paginator(mailings.event_messages(event).order_by("-created_at", "-pk"), MESSAGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = _context(
        request, model_admin, event, _("Mail: %(event)s") % {"event": event.loc("title")}, history=history, page=page
    )
    return TemplateResponse(request, "registration/admin/mail.html", context)


def _message_of(event, message_id: int):
    message = get_object_or_404(mailings.event_messages(event), pk=message_id)
    if message.template:
        # Queued for the worker to render: render it now, as the worker would, so the organiser sees the real mail.
        outbox.render(message)
    return message


def message(request, model_admin, slug: str, message_id: int):
    event = organised_event_or_404(request, model_admin, slug)
    shown = _message_of(event, message_id)
    context = _context(
        request,
        model_admin,
        event,
        _("Mail to %(recipient)s") % {"recipient": shown.recipient},
        message=shown,
        attachments=list(shown.attachments.all()),
        mail_url=_mail_url(event),
    )
    return TemplateResponse(request, "registration/admin/mail_message.html", context)


def attachment(request, model_admin, slug: str, message_id: int, attachment_id: int):
    event = organised_event_or_404(request, model_admin, slug)
    file = get_object_or_404(_message_of(event, message_id).attachments, pk=attachment_id)
    response = HttpResponse(bytes(file.content), content_type=file.mimetype)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def mailing(request, model_admin, slug: str, mailing_id: int):
    event = organised_event_or_404(request, model_admin, slug)
    sent = get_object_or_404(Mailing, pk=mailing_id, event=event)
    context = _context(
        request,
        model_admin,
        event,
        sent.subject_nl,
        mailing=sent,
        sent_messages=sent.messages.order_by("recipient"),
        mail_url=_mail_url(event),
    )
    return TemplateResponse(request, "registration/admin/mailing.html", context)


def _examples(draft, people):
    """One rendered mail per language written: to the first recipient in that language (or the first recipient,
    shown in that language)."""
    languages = ["nl", "en"] if draft.subject_en else ["nl"]
    examples = []
    for language in languages:
        person = next((p for p in people if (p.language == "en") == (language == "en")), None)
        if person is None and people:
            person = Registration.objects.select_related("event").get(pk=people[0].pk)
            person.language = language  # not saved: only to show the text in this language
        if person is None:
            continue
        subject, text = mailings.render(draft, person)
        with translation.override(language):
            label = translation.gettext("Dutch") if language == "nl" else translation.gettext("English")
        examples.append({"language": language, "label": label, "person": person, "subject": subject, "text": text})
    return examples


def compose(request, model_admin, slug: str):
    """Write a message; "Preview" shows who gets it and the mail as they will read it; "Send" queues it."""
    event = organised_event_or_404(request, model_admin, slug)
    if request.method == "POST" and not model_admin.has_change_permission(request):
        raise PermissionDenied
    form = MailingForm(request.POST or None, event=event)
    title = _("Message to participants: %(event)s") % {"event": event.loc("title")}
    if request.method == "POST" and form.is_valid():
        people = list(mailings.recipients(event, form.audience))
        if request.POST.get("confirm") == "1":
            if not people:
                raise Http404
            sent = mailings.send(event, form.draft, form.audience, user=request.user)
            messages.success(
                request,
                ngettext(
                    "The message is queued for %(count)d person; the mail worker sends it.",
                    "The message is queued for %(count)d people; the mail worker sends it.",
                    sent.recipient_count,
                )
                % {"count": sent.recipient_count},
            )
            return redirect(_mail_url(event))
        context = _context(
            request,
            model_admin,
            event,
            title,
            form=form,
            count=len(people),
            in_english=sum(1 for p in people if p.language == "en"),
            shown=people[:PREVIEW_NAMES],
            more=max(0, len(people) - PREVIEW_NAMES),
            examples=_examples(form.draft, people),
            # The form again as hidden values (without ids: the page also holds the visible form to change it).
            hidden=[(name, value) for name in form.fields for value in request.POST.getlist(name)],
            mail_url=_mail_url(event),
        )
        return TemplateResponse(request, "registration/admin/mail_preview.html", context)
    context = _context(request, model_admin, event, title, form=form, mail_url=_mail_url(event))
    return TemplateResponse(
        request, "registration/admin/mail_compose.html", context, status=400 if form.errors else 200
    )
