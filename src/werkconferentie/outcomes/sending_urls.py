"""The organiser's pages for sending the raadsadres, mounted under /beheer-dag/ beside the other pages of an event."""

from django.contrib import admin
from django.urls import path

from . import sending_views

app_name = "outcomes_sending"
urlpatterns = [
    path("<slug:slug>/raadsadressen/versturen/", admin.site.admin_view(sending_views.send), name="send"),
    path("<slug:slug>/raadsadressen/verstuurd/", admin.site.admin_view(sending_views.dispatches), name="dispatches"),
    path(
        "<slug:slug>/raadsadressen/verstuurd/<int:pk>/",
        admin.site.admin_view(sending_views.follow_up),
        name="follow_up",
    ),
]
