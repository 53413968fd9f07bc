"""The organiser's Opvolging page of an event: contacts per municipality, their update links, the link period.

Mounted under /beheer-dag/ behind the admin's login; anyone who does not organise the event gets 404.
"""

from collections import defaultdict

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkconferentie.documents.downloads import CSV_CONTENT_TYPE, download
from werkconferentie.events.backoffice import event_for
from werkconferentie.live.enums import BoardKind
from werkconferentie.live.models import Board
from werkconferentie.outcomes.errors import valid_id
from werkconferentie.reference.municipalities import find_current_municipality, unknown_municipality_message

from . import contacts, digest, links, spreadsheet
from .enums import CommitmentStatus
from .errors import FollowupError
from .forms import ContactForm, ImportForm, SettingsForm
from .history import Actor
from .models import ChildrenGroupContact, Commitment, FollowupSettings, UpdateContact


def page(request, slug: str):
    return _page(request, event_for(request, slug))


def _page(request, event, **extra):
    by_municipality = defaultdict(list)
    for contact in contacts.contacts_of(event):
        contact.expires_at = links.link_expires_at(contact)
        by_municipality[contact.municipality].append(contact)
    counts = dict(
        Commitment.objects.filter(event=event, parent__isnull=True)
        .values("municipality_id")
        .annotate(n=Count("pk"))
        .values_list("municipality_id", "n")
    )
    context = {
        "event": event,
        "municipalities": sorted(
            ((m, items, counts.get(m.pk, 0)) for m, items in by_municipality.items()), key=lambda row: row[0].name
        ),
        "proposals": contacts.default_contacts(event),
        "contact_form": ContactForm(),
        "settings_form": extra.pop("settings_form", None) or SettingsForm(instance=_settings(event)),
        "statuses": CommitmentStatus.choices,
        "import_form": ImportForm(),
        "children_boards": [
            (board, getattr(board, "followup_group_contact", None))
            for board in Board.objects.filter(event=event, kind=BoardKind.CHILDREN)
            .select_related("followup_group_contact", "session")
            .order_by("pk")
        ],
        "consent_statement": digest.consent_statement(),
        "csv_columns": spreadsheet.COLUMNS,
        "imported_columns": spreadsheet.IMPORTED,
        **extra,
    }
    failed = extra.get("import_errors") or extra.get("settings_errors")
    return render(request, "followup/manage.html", context, status=400 if failed else 200)


def _settings(event) -> FollowupSettings:
    """The event's settings, unsaved with the defaults when it has none yet."""
    return FollowupSettings.objects.filter(event=event).first() or FollowupSettings(event=event)


@require_POST
def save_settings(request, slug: str):
    """How long the links work and the schedule of the mails; a wrong value shows the form again with why."""
    event = event_for(request, slug)
    form = SettingsForm(request.POST, instance=_settings(event))
    if not form.is_valid():
        return _page(request, event, settings_form=form, settings_errors=True)
    form.save()
    messages.success(request, _("Saved."))
    return redirect(reverse("followup:manage", args=[event.slug]) + "#period")


@require_POST
def group_action(request, slug: str):
    """The address of a children's group's teacher or youth worker for the weekly news (digest.py): save, remove."""
    event = event_for(request, slug)
    board = Board.objects.filter(
        event=event, kind=BoardKind.CHILDREN, pk=valid_id(request.POST.get("board")) or 0
    ).first()
    try:
        if board is None:
            raise FollowupError(_("That board no longer exists; the page has been reloaded."))
        if request.POST.get("action") == "remove":
            group = ChildrenGroupContact.objects.filter(board=board).first()
            if group is not None:
                digest.remove_group_contact(group)
            messages.success(request, _("The address was removed."))
        else:
            digest.set_group_contact(
                board,
                request.POST.get("email", ""),
                consented=request.POST.get("consent") == "on",
                user=request.user,
            )
            messages.success(request, _("Saved."))
    except FollowupError as error:
        messages.error(request, str(error))
    return redirect(reverse("followup:manage", args=[event.slug]) + "#groups")


def export_csv(request, slug: str):
    event = event_for(request, slug)
    return download(spreadsheet.export_csv(event), f"{event.slug}-commitments.csv", CSV_CONTENT_TYPE)


@require_POST
def import_csv(request, slug: str):
    """Update commitments in bulk; every wrong row is listed, and then nothing is imported."""
    event = event_for(request, slug)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, event, import_form=form, import_errors=[_("Choose a CSV file.")])
    upload = form.cleaned_data["file"]
    if upload.size > spreadsheet.MAX_BYTES:
        return _page(request, event, import_errors=[_("The file is too large: at most 2 MB.")])
    try:
        changed = spreadsheet.import_csv(event, upload.read(), Actor(user=request.user))
    except spreadsheet.ImportErrors as error:
        return _page(request, event, import_errors=error.lines)
    messages.success(request, _("Imported: %(count)d commitments changed.") % {"count": changed})
    return redirect(reverse("followup:manage", args=[event.slug]))


def _contact(event, value) -> UpdateContact:
    contact = UpdateContact.objects.filter(event=event, pk=valid_id(value) or 0).first()
    if contact is None:
        raise FollowupError(_("That contact no longer exists; the page has been reloaded."))
    return contact


@require_POST
def action(request, slug: str):
    event = event_for(request, slug)
    post = request.POST
    name = post.get("action", "")
    try:
        if name == "add":
            form = ContactForm(post)
            if not form.is_valid():
                raise FollowupError(" ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()))
            municipality = find_current_municipality(form.cleaned_data["municipality"])
            if municipality is None:
                raise FollowupError(unknown_municipality_message(form.cleaned_data["municipality"]))
            contacts.add_contact(
                event,
                municipality,
                form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                function=form.cleaned_data["function"],
                language=form.cleaned_data["language"],
            )
            messages.success(request, _("Contact added for %(name)s.") % {"name": municipality.name})
        elif name == "add-proposed":
            added = contacts.add_default_contacts(event)
            messages.success(request, _("Contacts added: %(count)d.") % {"count": len(added)})
        elif name == "send":
            contacts.send_link(_contact(event, post.get("contact")))
            messages.success(request, _("The link is in the outbox."))
        elif name == "send-all":
            count = len(contacts.send_unsent_links(event))
            messages.success(request, _("Links in the outbox: %(count)d.") % {"count": count})
        elif name == "revoke":
            links.revoke(_contact(event, post.get("contact")))
            messages.success(request, _("The link was revoked; it no longer works."))
        elif name == "renew":
            links.renew(_contact(event, post.get("contact")))
            messages.success(request, _("The contact has a new link; send it to her."))
        else:
            raise FollowupError(_("Unknown action; the page has been reloaded."))
    except FollowupError as error:
        messages.error(request, str(error))
    return redirect(reverse("followup:manage", args=[event.slug]))
