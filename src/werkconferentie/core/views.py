from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control


def over(request):
    """About this site: what it is, the sources of the bundled reference data and their licences."""
    return render(request, "core/over.html")


def csrf_failure(request, reason=""):
    """A plain-language page when a form's security token is missing or old, instead of Django's debug text."""
    return render(request, "403_csrf.html", status=403)


@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers and feed readers ask /favicon.ico whatever the page links: the site's icon, not a 404."""
    return redirect(static("werkconferentie/favicon.svg"), permanent=True)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login while its account or address is locked out: 429, a page saying how long."""
    from django.conf import settings
    from django.utils.translation import ngettext

    from .ratelimit import rate_limited_response

    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    message = ngettext(
        "Too many failed logins for this account or from this address. Please try again in %(minutes)d minute.",
        "Too many failed logins for this account or from this address. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    return rate_limited_response(request, minutes * 60, message)
