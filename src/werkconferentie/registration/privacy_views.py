"""The public privacy statement: the current version, or an earlier one by its number."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .models import PrivacyStatement


def privacy_statement(request, version: int | None = None):
    """The statement in the visitor's language (Dutch when it has no translation), with its version, the date
    it took effect, and links to the other versions."""
    current = PrivacyStatement.current()
    if current is None:
        raise Http404("no privacy statement")
    statement = current if version is None else get_object_or_404(PrivacyStatement, version=version)
    others = PrivacyStatement.objects.exclude(pk=statement.pk).order_by("-version")
    return render(
        request,
        "registration/privacy.html",
        {"statement": statement, "current": current, "is_current": statement.pk == current.pk, "others": others},
    )
