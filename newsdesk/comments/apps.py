from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "newsdesk.comments"
    verbose_name = "コメント"

    def ready(self):
        # Connects the signal handlers that drop cached NG words and thread pages on every write.
        from newsdesk.comments import abuse, checks, posting  # noqa: F401 (checks: registers them)
