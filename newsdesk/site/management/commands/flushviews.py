from django.core.management.base import BaseCommand, CommandError

from newsdesk.site import pageviews


class Command(BaseCommand):
    help = (
        "Move the page-view counts from the cache to the database now (the worker does it every "
        "NEWSDESK_VIEW_FLUSH_MINUTES), e.g. before stopping the cache or the worker."
    )

    def handle(self, *args, **options):
        moved = pageviews.flush()
        if moved is None:
            raise CommandError("別の集計が実行中です。しばらくしてからもう一度実行してください")
        self.stdout.write(f"{moved} 件の閲覧をデータベースに書き込みました")
