from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("over/", views.over, name="over"),
    path("favicon.ico", views.favicon, name="favicon"),
]
