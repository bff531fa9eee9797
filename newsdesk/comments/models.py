from django.db import models
from django.utils import timezone

from newsdesk.articles.models import Article

DEFAULT_NAME = "名無しさん"


class Comment(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    number = models.PositiveIntegerField("番号")
    name = models.CharField("名前", max_length=50, blank=True)
    body = models.TextField("本文")
    created_at = models.DateTimeField("投稿日時", default=timezone.now)
    is_visible = models.BooleanField("表示", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "コメント"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="one_number_per_thread")]

    def __str__(self):
        return f">>{self.number}"

    @property
    def display_name(self) -> str:
        return self.name or DEFAULT_NAME
