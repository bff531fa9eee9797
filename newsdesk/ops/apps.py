from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operator commands: serve, worker, demo, status, export, import."""

    name = "newsdesk.ops"
    verbose_name = "運用"
