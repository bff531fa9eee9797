from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "newsdesk.editorial"
    verbose_name = "編集"
