from django.urls import path

from . import privacy_views

app_name = "privacy"
urlpatterns = [
    path("privacy/", privacy_views.privacy_statement, name="statement"),
    path("privacy/v<int:version>/", privacy_views.privacy_statement, name="version"),
    path("conferenties/<slug:slug>/privacy/", privacy_views.event_privacy_statement, name="event"),
]
