from django.urls import path

from . import views

app_name = "reference"
urlpatterns = [
    path("kinderrechten/", views.index, name="index"),
]
