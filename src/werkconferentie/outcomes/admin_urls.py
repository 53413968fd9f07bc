"""The organiser's Opbrengst page, mounted under /beheer-dag/ beside the other pages of an event."""

from .views import admin_urls

app_name = "outcomes_admin"
urlpatterns = admin_urls()
