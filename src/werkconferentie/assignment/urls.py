from django.urls import path

from . import views

app_name = "assignment"
urlpatterns = [
    path("aanmelding/<str:token>/programma/", views.programme, name="programme"),
    path("aanmelding/<str:token>/programma.ics", views.programme_ics, name="programme_ics"),
]
