"""The organiser's Opbrengst page, mounted under /beheer-dag/ beside the other pages of an event."""

from .letter_views import letter_urls
from .views import admin_urls

app_name = "outcomes_admin"
urlpatterns = admin_urls() + letter_urls()
