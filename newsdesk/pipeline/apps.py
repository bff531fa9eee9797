from django.apps import AppConfig


class PipelineConfig(AppConfig):
    """The stages after extraction, the one way in for every input, the queue's tasks and feed
    polling. Its models are the admin's ingest batches (``models.py``); an article's stage rows
    belong to the articles app."""

    name = "newsdesk.pipeline"
    verbose_name = "処理の流れ"
