from django.urls import path

from . import host_views, stream, views

app_name = "live"
urlpatterns = [
    path("doe-mee/", views.join, name="join"),
    path("doe-mee/<str:code>/", views.board, name="board"),
    path("doe-mee/<str:code>/stem/<int:answer_id>/", views.vote, name="vote"),
    path("doe-mee/<str:code>/scherm/", views.screen, name="screen"),
    path("doe-mee/<str:code>/stream", stream.public_stream, name="stream"),
    path("doe-mee/<str:code>/woorden.json", views.cloud, name="cloud"),
    path("jongeren/<str:code>/", views.children, name="children"),
    path("aanmelding/<str:token>/doe-mee/<str:code>/", views.from_personal_link, name="from_personal_link"),
    path("live/host/<str:token>/", host_views.host_link, name="host_link"),
    path("live/<str:code>/", host_views.console, name="console"),
    path("live/<str:code>/stream", stream.host_stream, name="host_stream"),
    path("live/<str:code>/open-dicht/", host_views.set_open, name="set_open"),
    path("live/<str:code>/poster.pdf", host_views.poster, name="poster"),
    path("live/<str:code>/antwoorden.csv", host_views.export_csv, name="export_csv"),
    path("live/<str:code>/antwoorden.xlsx", host_views.export_xlsx, name="export_xlsx"),
]
