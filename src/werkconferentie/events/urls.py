from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.home, name="home"),
    path("conferenties/<slug:slug>/", views.event_detail, name="detail"),
    path("conferenties/<slug:slug>/programma/", views.programme, name="programme"),
    path("conferenties/<slug:slug>/workshops/", views.workshop_list, name="workshops"),
    path("conferenties/<slug:slug>/workshops/<slug:workshop>/", views.workshop_detail, name="workshop"),
    path("conferenties/<slug:slug>/agenda.ics", views.event_ics, name="event_ics"),
    path("conferenties/<slug:slug>/programma.ics", views.programme_ics, name="programme_ics"),
]
