"""`newsdesk translate ARTICLE_ID...` / `--all-pending`: machine-translate articles now."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.text import Truncator
from tqdm import tqdm

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.pipeline import runner
from newsdesk.translation.backends import get_backend
from newsdesk.translation.models import ArticleTranslation, TranslationUsage


def pending_articles():
    """Articles in a foreign language still without a translation, or whose translate stage failed."""
    failed = PipelineStage.objects.filter(name="translate").exclude(state=PipelineStage.State.DONE)
    return (
        Article.objects.exclude(language="ja")
        .exclude(status=Article.Status.REJECTED)
        .filter(Q(translation=[]) | Q(pk__in=failed.values("article_id")))
        .order_by("pk")
    )


class Command(BaseCommand):
    help = "Translate articles with the configured backend (NEWSDESK_TRANSLATOR), one line per article."

    def add_arguments(self, parser):
        parser.add_argument("article_ids", nargs="*", type=int, metavar="ARTICLE_ID")
        parser.add_argument("--all-pending", action="store_true", help="every article still to translate")
        parser.add_argument(
            "--force",
            action="store_true",
            help="translate (and summarize) again articles that have a translation",
        )
        parser.add_argument("--publish", action="store_true", help="publish what needs no review")

    def handle(self, *args, article_ids, all_pending, force, publish, **options):
        if not article_ids and not all_pending:
            raise CommandError("記事IDか --all-pending を指定してください")
        backend = get_backend()
        if backend.manual:
            raise CommandError("NEWSDESK_TRANSLATOR が manual です（編集者が管理画面で翻訳します）")
        articles = list(pending_articles()) if all_pending else []
        if article_ids:
            by_id = Article.objects.in_bulk(article_ids)
            missing = [str(pk) for pk in article_ids if pk not in by_id]
            if missing:
                raise CommandError(f"記事がありません: {', '.join(missing)}")
            articles += [by_id[pk] for pk in article_ids if by_id[pk] not in articles]

        failed: list[str] = []
        bar = tqdm(articles, unit="記事", file=sys.stderr, disable=not sys.stderr.isatty(), leave=False)
        for article in bar:
            line, ok = self.translate_one(article, force, publish)
            with tqdm.external_write_mode(file=sys.stderr):  # the bar steps aside for the line
                (self.stdout if ok else self.stderr).write(line)
            if not ok:
                failed.append(str(article.pk))
        bar.close()
        done = len(articles) - len(failed)
        summary = f"{len(articles)}件中{done}件を翻訳、{len(failed)}件失敗（{backend.id}）"
        if failed:
            raise CommandError(f"{summary}: 失敗した記事 {', '.join(failed)}")
        self.stdout.write(summary)

    def translate_one(self, article: Article, force: bool, publish: bool) -> tuple[str, bool]:
        title = Truncator(article.original_title).chars(40)
        if article.is_japanese:
            return f"- {article.pk} {title}: 日本語の記事です（翻訳不要）", True
        if article.translation and not force:
            return f"- {article.pk} {title}: 翻訳済み（--force で再翻訳）", True
        if force:
            # In memory only: the database keeps both if this run fails.
            article.translation, article.summary = [], []
        try:
            runner.rerun(article, ["translate", "summarize"], publish=publish)
        except Exception as exc:  # a retryable failure still raises from the pipeline
            return f"✗ {article.pk} {title}: {type(exc).__name__}: {exc}", False
        stage = article.stages.filter(name="translate").first()
        if stage is None or stage.state != PipelineStage.State.DONE:
            return f"✗ {article.pk} {title}: {stage.error if stage else '翻訳されませんでした'}", False
        usage = TranslationUsage.objects.filter(article=article).order_by("-pk").first()
        record = ArticleTranslation.objects.filter(article=article).first()
        details = ""
        if usage:
            details = (
                f"{usage.segments}区分、メモリ{usage.from_memory}、{usage.requests}リクエスト、"
                f"{usage.characters}字"
            )
        flags = f"、用語チェック{len(record.flags)}件" if record and record.flags else ""
        return f"✓ {article.pk} {title} → {Truncator(article.title).chars(40)}（{details}{flags}）", True
