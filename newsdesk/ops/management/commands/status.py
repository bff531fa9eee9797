from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Count

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.pipeline.stages import stage_names


class Command(BaseCommand):
    help = "Counts of articles per status and per pipeline stage state."

    def handle(self, *args, **options):
        statuses = dict(
            Article.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )
        self.stdout.write(f"記事 {sum(statuses.values())} 件")
        for status, label in Article.Status.choices:
            self.stdout.write(f"  {label:<6} ({status}): {statuses.get(status, 0)}")
        rows = PipelineStage.objects.values_list("name", "state").annotate(n=Count("id"))
        counts = {(name, state): n for name, state, n in rows}
        self.stdout.write("処理段階:")
        states = PipelineStage.State.values
        self.stdout.write("  " + f"{'':<10}" + "".join(f"{state:>9}" for state in states))
        for name in stage_names():
            self.stdout.write(
                "  " + f"{name:<10}" + "".join(f"{counts.get((name, s), 0):>9}" for s in states)
            )
        for stage in PipelineStage.objects.filter(state=PipelineStage.State.FAILED).select_related("article")[
            :20
        ]:
            self.stdout.write(f"  失敗: 記事 {stage.article_id} {stage.name}: {stage.error}")
        # Which site this was: every command acts on this user's, from any folder (newsdesk.conf).
        self.stdout.write(f"データフォルダ: {settings.DATA_DIR}")
