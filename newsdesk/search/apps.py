from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "newsdesk.search"
    verbose_name = "検索"

    def ready(self):
        from django.db.models.signals import post_save, pre_delete

        from newsdesk.articles.models import Article
        from newsdesk.search import aliases, checks, stage  # noqa: F401  (checks and aliases register themselves)

        post_save.connect(stage.article_saved, sender=Article, dispatch_uid="search-index-save")
        # pre_delete: the cascade removes the search document before post_delete would run.
        pre_delete.connect(stage.article_deleted, sender=Article, dispatch_uid="search-index-delete")
