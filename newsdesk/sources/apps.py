from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "newsdesk.sources"
    verbose_name = "媒体とフィード"
