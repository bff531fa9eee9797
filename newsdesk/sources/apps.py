from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "newsdesk.sources"
    verbose_name = "媒体とフィード"

    def ready(self):
        from newsdesk.sources import remembered

        remembered.connect()
