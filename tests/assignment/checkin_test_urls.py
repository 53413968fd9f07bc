"""The project's URLs, plus the check-in and print pages if the project does not mount them yet."""

from django.urls import URLResolver, include, path

from werkconferentie.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(isinstance(p, URLResolver) and p.namespace == "checkin" for p in urlpatterns):
    urlpatterns.insert(0, path("beheer-dag/", include("werkconferentie.assignment.checkin_urls")))
