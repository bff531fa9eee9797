from django.apps import AppConfig


class PipelineConfig(AppConfig):
    """The stages after extraction, the one way in for every input, the queue's tasks and feed
    polling. Its models are the admin's ingest batches (``models.py``); an article's stage rows
    belong to the articles app."""

    name = "newsdesk.pipeline"
    verbose_name = "処理の流れ"

    def ready(self) -> None:
        from django.conf import settings
        from huey.contrib.djhuey import on_startup

        from newsdesk.pipeline.stages import warm_up

        if settings.NEWSDESK["WORKER_WARM_UP"]:
            on_startup()(warm_up)  # run by each worker thread of `newsdesk worker` as it starts
