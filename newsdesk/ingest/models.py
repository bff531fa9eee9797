from django.db import models
from django.utils import timezone

from newsdesk.articles.models import Article


class RawInput(models.Model):
    """What an ingest received, kept so an editor can see the source and what the cleaner dropped.

    Every line of an input ends up in the article (a field or the body) or in ``dropped_lines``, so
    no text is ever lost: an editor puts a dropped line back from the article page, and a body line
    the editor takes out goes to the article's one ``EDITOR`` row, which records that an editor,
    not the cleaner, dropped it.
    """

    class Kind(models.TextChoices):
        URL = "url", "URL"
        FILE = "file", "ファイル"
        FEED = "feed", "フィード"
        TEXT = "text", "貼り付けたテキスト"
        EDITOR = "editor", "編集者が除いた行"

    article = models.ForeignKey(
        Article, verbose_name="記事", on_delete=models.CASCADE, related_name="raw_inputs"
    )
    kind = models.CharField("種類", max_length=10, choices=Kind.choices)
    location = models.CharField("場所", max_length=1000, help_text="ファイルのパスまたは取得したURL")
    shape = models.CharField("形式", max_length=20)
    encoding = models.CharField("文字コード", max_length=30, blank=True)
    content = models.TextField("内容")
    dropped_lines = models.JSONField("除去した行", default=list, blank=True)
    # drop_reasons[i] is why the cleaner dropped dropped_lines[i] (a key of newsdesk.ingest.drops);
    # shorter for inputs stored before reasons were kept, empty for the editors' row.
    drop_reasons = models.JSONField("除去の理由", default=list, blank=True)
    received_at = models.DateTimeField("受信日時", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "取り込み元データ"
        ordering = ["-received_at"]

    def __str__(self):
        return self.location
