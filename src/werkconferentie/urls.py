from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from werkconferentie.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("beheer/", admin.site.urls),
    path("beheer-dag/", include("werkconferentie.assignment.checkin_urls")),
    path("beheer-dag/", include("werkconferentie.live.admin_urls")),
    path("beheer-dag/", include("werkconferentie.outcomes.admin_urls")),
    path("beheer-dag/", include("werkconferentie.outcomes.sending_urls")),
    path("", include("werkconferentie.followup.urls")),
    path("api/", api.urls),
    path("", include("werkconferentie.core.urls")),
    path("", include("werkconferentie.reference.urls")),
    path("", include("werkconferentie.events.urls")),
    path("", include("werkconferentie.registration.urls")),
    path("", include("werkconferentie.registration.privacy_urls")),
    path("", include("werkconferentie.assignment.urls")),
    path("", include("werkconferentie.live.urls")),
    path("", include("werkconferentie.outcomes.report_urls")),
]
