"""The organiser reads the reactions to what became of the ideas and marks them read or sets them aside."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from werkconferentie.events.backoffice import event_for
from werkconferentie.outcomes.errors import valid_id

from . import reactions
from .errors import FollowupError
from .models import Reaction


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, slug: str):
    event = event_for(request, slug)
    if request.method == "POST":
        reaction = Reaction.objects.filter(event=event, pk=valid_id(request.POST.get("reaction"))).first()
        if reaction is None:
            messages.error(request, _("This reaction no longer exists."))
        else:
            try:
                reactions.mark(reaction, request.POST.get("status", ""), request.user)
            except FollowupError as error:
                messages.error(request, str(error))
        return redirect(request.path + (f"?status={request.GET['status']}" if request.GET.get("status") else ""))
    status = request.GET.get("status") if request.GET.get("status") in Reaction.Status.values else None
    context = {
        "event": event,
        "reactions": reactions.reactions_of(event, status),
        "status": status,
        "statuses": Reaction.Status.choices,
        "new_count": reactions.reactions_of(event, Reaction.Status.NEW).count(),
    }
    return render(request, "followup/reactions.html", context)
