from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """An app only for its templates (documents/base.html); it has no models."""

    name = "werkconferentie.documents"
    verbose_name = "Documents"
