"""The pages for the day itself, for organisers of the event: print badges and lists, and check people in.

Mounted by the project under /beheer-dag/ (beside the admin at /beheer/, whose catch-all would swallow paths
below it); every view is behind the admin's login and answers 404 to anyone who does not organise the event.
"""

from django.contrib import admin
from django.urls import path

from . import checkin_views
from .print_views import print_urls

app_name = "checkin"

urlpatterns = [
    *print_urls(),
    path("<slug:slug>/inchecken/", admin.site.admin_view(checkin_views.page), name="page"),
    path("<slug:slug>/inchecken/aanwezig.json", admin.site.admin_view(checkin_views.count), name="count"),
    path("<slug:slug>/inchecken/check-in", admin.site.admin_view(checkin_views.check_in), name="check_in"),
    path("<slug:slug>/inchecken/aan-de-deur", admin.site.admin_view(checkin_views.walk_in), name="walk_in"),
]
