from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "newsdesk.images"
    label = "images"
    verbose_name = "画像"

    def ready(self):
        from newsdesk.images import signals  # noqa: F401  (stored files go with their row)
