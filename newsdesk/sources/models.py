from django.conf import settings
from django.db import models


def default_reuse_policy() -> str:
    """An outlet nobody has reviewed gets the safe policy the operator chose (summary and excerpt)."""
    return settings.NEWSDESK["DEFAULT_REUSE_POLICY"]


class Outlet(models.Model):
    class ReusePolicy(models.TextChoices):
        FULL = "full", "全文翻訳"
        SUMMARY = "summary", "要約と抜粋"
        LINK = "link", "リンクのみ"

    name = models.CharField("媒体名", max_length=200)
    domain = models.CharField("ドメイン", max_length=200, blank=True)
    language = models.CharField("言語", max_length=8, blank=True)
    reuse_policy = models.CharField(
        "転載方針", max_length=10, choices=ReusePolicy.choices, default=default_reuse_policy
    )
    policy_reviewed = models.BooleanField(
        "転載方針を確認済み",
        default=False,
        help_text="編集者が転載方針を確認・設定した媒体。未確認の媒体の全文翻訳を公開するときは確認を求めます。",
    )
    is_sample = models.BooleanField("サンプル", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "媒体"
        ordering = ["name"]
        constraints = [
            # Outlets met only in pasted text may have a name but no known domain.
            models.UniqueConstraint(
                fields=["domain"], condition=~models.Q(domain=""), name="unique_outlet_domain"
            ),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(domain=""), name="unique_nameonly_outlet"
            ),
        ]

    def __str__(self):
        return self.name or self.domain

    def get_absolute_url(self):
        from django.urls import reverse

        # Outlets known only by name (met in pasted text) have no domain to put in the address.
        if self.domain:
            return reverse("articles:outlet", args=[self.domain])
        return reverse("articles:outlet_by_id", args=[self.pk])

    @property
    def allows_full_translation(self) -> bool:
        return self.reuse_policy == self.ReusePolicy.FULL


class Source(models.Model):
    """A feed or page that editors want polled for new articles."""

    outlet = models.ForeignKey(Outlet, verbose_name="媒体", on_delete=models.CASCADE, related_name="sources")
    url = models.URLField("URL", max_length=1000, unique=True)
    is_feed = models.BooleanField("フィード", default=True)
    active = models.BooleanField("有効", default=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField("最終取得", null=True, blank=True)
    last_error = models.TextField("最後のエラー", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "ソース"

    def __str__(self):
        return self.url
