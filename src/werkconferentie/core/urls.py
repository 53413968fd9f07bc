from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("over/", views.over, name="over"),
    path("favicon.ico", views.favicon, name="favicon"),
]
