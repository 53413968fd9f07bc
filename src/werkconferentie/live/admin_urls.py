"""The organiser's overview of the live boards, mounted under /beheer-dag/ beside the check-in pages."""

from .host_views import admin_urls

app_name = "live_admin"
urlpatterns = admin_urls()
