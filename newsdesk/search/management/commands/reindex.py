import sys

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from newsdesk.articles.models import Article
from newsdesk.search import aliases, tokens
from newsdesk.search.backends import get_backend
from newsdesk.search.backends.base import build_document

BATCH = 500


class Command(BaseCommand):
    help = "Rebuilds the search index from the published articles."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH, help="Articles written per transaction.")

    def handle(self, *args, batch, **options):
        backend = get_backend()
        articles = Article.objects.filter(status=Article.Status.PUBLISHED, site_published_at__isnull=False)
        total = articles.count()
        bar = tqdm(total=total, unit="記事", file=sys.stderr, disable=not sys.stderr.isatty(), leave=False)
        aliases.reload()  # the entity tokens are computed with the names as they are now
        with transaction.atomic():
            backend.clear()
            ids = list(articles.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(ids), batch):
                chunk = Article.objects.filter(pk__in=ids[start : start + batch]).order_by("pk")
                backend.add(build_document(article) for article in chunk)
                bar.update(len(ids[start : start + batch]))
            if backend.entity_tokens:
                tokens.record_all()
        bar.close()
        self.stdout.write(f"検索索引を作り直しました：{total} 件")
