from django.apps import AppConfig


class TranslationConfig(AppConfig):
    name = "newsdesk.translation"
    verbose_name = "翻訳"
