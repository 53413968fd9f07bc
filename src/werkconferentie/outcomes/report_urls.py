"""The outcome report's public addresses, beside the event's own pages (/conferenties/<slug>/…)."""

from django.urls import path

from . import report_views

app_name = "outcomes_report"
urlpatterns = [
    path("conferenties/<slug:slug>/opbrengst/", report_views.report_page, name="page"),
    path("conferenties/<slug:slug>/opbrengst.pdf", report_views.report_pdf, name="pdf"),
    path("conferenties/<slug:slug>/opbrengst.docx", report_views.report_docx, name="docx"),
]
