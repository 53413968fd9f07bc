from django.contrib import admin
from django.urls import path

from . import manage_views, public_views, reaction_views, trail_views, update_views
from .feeds import ProgressFeed

app_name = "followup"
urlpatterns = [
    # Through a contact's update link (no account).
    path("bijwerken/<str:token>/", update_views.update, name="update"),
    path("bijwerken/<str:token>/afspraak/<int:pk>/", update_views.update_commitment, name="commitment"),
    path("bijwerken/<str:token>/bijlage/<int:pk>/", update_views.update_attachment, name="attachment"),
    # The organiser's pages.
    path("beheer-dag/<slug:slug>/opvolging/", admin.site.admin_view(manage_views.page), name="manage"),
    path("beheer-dag/<slug:slug>/opvolging/actie/", admin.site.admin_view(manage_views.action), name="manage_action"),
    path(
        "beheer-dag/<slug:slug>/opvolging/instellingen/",
        admin.site.admin_view(manage_views.save_settings),
        name="manage_settings",
    ),
    path(
        "beheer-dag/<slug:slug>/opvolging/kindergroepen/",
        admin.site.admin_view(manage_views.group_action),
        name="manage_groups",
    ),
    path(
        "beheer-dag/<slug:slug>/opvolging/afspraken.csv",
        admin.site.admin_view(manage_views.export_csv),
        name="manage_export",
    ),
    path(
        "beheer-dag/<slug:slug>/opvolging/importeren/",
        admin.site.admin_view(manage_views.import_csv),
        name="manage_import",
    ),
    path(
        "beheer-dag/<slug:slug>/opvolging/reacties/",
        admin.site.admin_view(reaction_views.manage),
        name="manage_reactions",
    ),
    path(
        "beheer-dag/<slug:slug>/opvolging/<str:code>/",
        admin.site.admin_view(update_views.manage_municipality),
        name="manage_update",
    ),
    path(
        "beheer-dag/<slug:slug>/opvolging/<str:code>/afspraak/<int:pk>/",
        admin.site.admin_view(update_views.manage_commitment),
        name="manage_commitment",
    ),
    path(
        "beheer-dag/<slug:slug>/opvolging/<str:code>/bijlage/<int:pk>/",
        admin.site.admin_view(update_views.manage_attachment),
        name="manage_attachment",
    ),
    # In public.
    path("conferenties/<slug:slug>/voortgang/", public_views.overview, name="progress"),
    path("conferenties/<slug:slug>/voortgang/feed.atom", ProgressFeed(), name="feed"),
    path("conferenties/<slug:slug>/voortgang/stand-van-zaken/", public_views.report, name="report"),
    path("conferenties/<slug:slug>/voortgang/stand-van-zaken.pdf", public_views.report_pdf, name="report_pdf"),
    path("conferenties/<slug:slug>/voortgang/stand-van-zaken.docx", public_views.report_docx, name="report_docx"),
    path("conferenties/<slug:slug>/voortgang/bijlage/<int:pk>/", public_views.attachment, name="public_attachment"),
    path("conferenties/<slug:slug>/voortgang/<str:code>/", public_views.municipality, name="municipality"),
    # What happened to each idea.
    path("aanmelding/<str:token>/mijn-ideeen/", trail_views.participant, name="my_ideas"),
    path("doe-mee/<str:code>/wat-gebeurde/", trail_views.board, name="board"),
    path("jongeren/<str:code>/wat-gebeurde/", trail_views.children, name="children"),
]
