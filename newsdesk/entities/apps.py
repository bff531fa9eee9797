from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    name = "newsdesk.entities"
    verbose_name = "人物・組織・数字"

    def ready(self):
        from newsdesk.entities import service

        service.connect()
