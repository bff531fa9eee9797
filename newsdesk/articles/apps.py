from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "newsdesk.articles"
    verbose_name = "記事"
