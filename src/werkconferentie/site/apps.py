from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top layer: commands that put the whole site together (demo, serve). It may import every app; no app
    imports it (docs/development.md, "Layers")."""

    name = "werkconferentie.site"
    label = "werkconferentie_site"
