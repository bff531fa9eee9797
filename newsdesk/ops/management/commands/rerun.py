import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from newsdesk.articles.models import Article
from newsdesk.pipeline import runner
from newsdesk.pipeline.stages import stage_names


class Command(BaseCommand):
    help = "Run pipeline stages again on chosen articles (after a fix, or for stages added later)."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, metavar="ARTICLE_ID")
        parser.add_argument("--all", action="store_true", dest="every_article", help="every article")
        parser.add_argument(
            "--stage",
            action="append",
            choices=stage_names()[1:],
            dest="stages",
            help="stage to run again (repeatable; default: every stage not done)",
        )

    def handle(self, *args, ids, every_article, stages, **options):
        if bool(ids) == every_article:
            raise CommandError("記事IDを指定するか --all を付けてください（どちらか一方）")
        articles = (
            Article.objects.order_by("pk")
            if every_article
            else Article.objects.filter(pk__in=ids).order_by("pk")
        )
        missing = set(ids) - set(articles.values_list("pk", flat=True))
        if missing:
            raise CommandError(f"記事が見つかりません: {', '.join(map(str, sorted(missing)))}")
        failed = 0
        for article in tqdm(
            articles.iterator(), total=articles.count(), unit="件", file=sys.stderr, disable=None
        ):
            runner.rerun(article, stages)
            states = dict(article.stages.values_list("name", "state"))
            failed += "failed" in states.values()
            self.stdout.write(
                f"{article.pk}\t{article.status}\t"
                + " ".join(f"{n}={states.get(n, '-')}" for n in stage_names())
            )
        if failed:
            raise CommandError(f"{failed} 件の記事で失敗した段階があります（newsdesk status で確認できます）")
