from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "newsdesk.tags"
    verbose_name = "タグ"
