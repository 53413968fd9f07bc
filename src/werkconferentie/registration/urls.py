from django.urls import path

from . import views

app_name = "registration"
urlpatterns = [
    path("conferenties/<slug:slug>/aanmelden/", views.register, name="register"),
    path("conferenties/<slug:slug>/aanmelden/bedankt/", views.thanks, name="thanks"),
    path("aanmelding/<str:token>/", views.manage, name="manage"),
    path("aanmelding/<str:token>/afmelden/", views.cancel, name="cancel"),
    path("aanmelding/<str:token>/gegevens.json", views.data_download, name="data"),
]
