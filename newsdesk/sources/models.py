from django.conf import settings
from django.db import models


def default_reuse_policy() -> str:
    """An outlet nobody has reviewed gets the safe policy the operator chose (summary and excerpt)."""
    return settings.NEWSDESK["DEFAULT_REUSE_POLICY"]


class Outlet(models.Model):
    """A news outlet. ``name`` is the Japanese display name readers see (「ロイター」), never a
    domain when anything better is known; outlets of the registry (``registry.json``) carry its
    key and get their names from it (see :mod:`newsdesk.sources.recognize`)."""

    class ReusePolicy(models.TextChoices):
        FULL = "full", "全文翻訳"
        SUMMARY = "summary", "要約と抜粋"
        LINK = "link", "リンクのみ"

    name = models.CharField("媒体名", max_length=200, help_text="読者に見せる日本語の名前（例：ロイター）")
    name_en = models.CharField(
        "英語名", max_length=200, blank=True, help_text="原語・英語での名前（例：Reuters）"
    )
    domain = models.CharField(
        "ドメイン", max_length=200, blank=True, help_text="媒体ページのアドレスに使う代表のドメイン"
    )
    registry_key = models.CharField(
        "媒体台帳のキー",
        max_length=60,
        blank=True,
        help_text="同梱の媒体台帳（registry.json）のどの媒体か。台帳のドメインと名前でこの媒体と判定します。",
    )
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
            models.UniqueConstraint(
                fields=["registry_key"],
                condition=~models.Q(registry_key=""),
                name="unique_outlet_registry_key",
            ),
        ]

    def __str__(self):
        return self.name or self.name_en or self.domain

    def get_absolute_url(self):
        from django.urls import reverse

        # Outlets known only by name (met in pasted text) have no domain to put in the address.
        if self.domain:
            return reverse("articles:outlet", args=[self.domain])
        return reverse("articles:outlet_by_id", args=[self.pk])

    @property
    def allows_full_translation(self) -> bool:
        return self.reuse_policy == self.ReusePolicy.FULL


class OutletAlias(models.Model):
    """Another domain, name or registry key that means this outlet: kept when two outlets are
    merged (so later articles from either land on the one kept), or added by an editor."""

    class Kind(models.TextChoices):
        DOMAIN = "domain", "ドメイン"
        NAME = "name", "名前"
        REGISTRY = "registry", "媒体台帳のキー"

    outlet = models.ForeignKey(Outlet, verbose_name="媒体", on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField("種類", max_length=10, choices=Kind.choices, default=Kind.DOMAIN)
    value = models.CharField("値", max_length=200, help_text="ドメインは www. なしで（例：bbc.co.uk）")

    class Meta:
        verbose_name = verbose_name_plural = "媒体の別名"
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="unique_outlet_alias")]

    def __str__(self):
        return self.value

    def save(self, *args, **kwargs):
        self.value = self.value.strip()
        if self.kind != self.Kind.NAME:
            self.value = self.value.lower().removeprefix("www.")
        super().save(*args, **kwargs)


class Source(models.Model):
    """A feed or page that editors want polled for new articles."""

    class Result(models.TextChoices):
        NEW = "new", "新着あり"
        NOTHING_NEW = "nothing_new", "新着なし"
        UNCHANGED = "unchanged", "変更なし"
        ERROR = "error", "エラー"

    outlet = models.ForeignKey(Outlet, verbose_name="媒体", on_delete=models.CASCADE, related_name="sources")
    url = models.URLField("URL", max_length=1000, unique=True)
    is_feed = models.BooleanField(
        "フィード形式",
        default=True,
        help_text="RSS・Atomフィード。外すとそのページ自体を記事として取り込みます。",
    )
    active = models.BooleanField("巡回する", default=True, help_text="外すと定期取得を止めます（一時停止）。")
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField("最終取得", null=True, blank=True)
    last_result = models.CharField("前回の結果", max_length=12, choices=Result.choices, blank=True)
    last_found = models.PositiveIntegerField(
        "前回の項目数", default=0, help_text="前回取得したフィードの記事数"
    )
    last_new = models.PositiveIntegerField("前回の新着数", default=0)
    last_error = models.TextField("最後のエラー", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "フィード"

    def __str__(self):
        return self.url

    @property
    def result_label(self) -> str:
        """「新着3件」「新着なし」「変更なし」「エラー」, or "" before the first poll."""
        if self.last_result == self.Result.NEW:
            return f"新着{self.last_new}件"
        return self.get_last_result_display() if self.last_result else ""
