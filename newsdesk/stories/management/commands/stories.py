from django.core.management.base import BaseCommand

from newsdesk.stories import signatures
from newsdesk.stories.models import Story, StoryMembership


class Command(BaseCommand):
    help = "Lists stories with their articles, newest first (--rebuild-index recomputes the LSH index)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=50, help="Most stories to list (0: all).")
        parser.add_argument(
            "--min-articles", type=int, default=1, help="Only stories with this many articles."
        )
        parser.add_argument(
            "--rebuild-index",
            action="store_true",
            help="Recompute the near-duplicate band keys and document frequencies from stored signatures.",
        )

    def handle(self, *args, limit, min_articles, rebuild_index, **options):
        if rebuild_index:
            count = signatures.rebuild_index()
            self.stdout.write(f"索引を作り直しました（記事 {count} 本）")
        stories = Story.objects.filter(article_count__gte=min_articles).order_by("-last_seen", "-pk")
        total = stories.count()
        if limit:
            stories = stories[:limit]
        self.stdout.write(f"ストーリー {total} 件")
        for story in stories:
            self.stdout.write(
                f"\n[{story.pk}] {story.title}（{story.article_count}本, "
                f"{story.first_seen:%Y-%m-%d} 〜 {story.last_seen:%Y-%m-%d}）"
            )
            memberships = (
                StoryMembership.objects.filter(story=story)
                .select_related("article__outlet")
                .order_by("article__published_at", "article_id")
            )
            for membership in memberships:
                article = membership.article
                when = f"{article.published_at:%Y-%m-%d}" if article.published_at else "----------"
                copy = f" 〔{membership.duplicate_of_id} と同じ記事〕" if membership.duplicate_of_id else ""
                self.stdout.write(
                    f"  {when} {article.pk:>6} {article.outlet}: {article.headline}"
                    f" ({membership.similarity:.2f}){copy}"
                )
