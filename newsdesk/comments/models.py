"""Anonymous comment threads. No raw address is stored anywhere: posters are known by keyed
hashes (``source_hash`` for bans, limits and duplicates; the daily ``id_tag`` shown to readers)."""

from django.db import models
from django.utils import timezone

from newsdesk.articles.models import Article

DEFAULT_NAME = "名無しさん"


class Thread(models.Model):
    """Per-article thread state; ``last_number`` hands out post numbers without gaps or races."""

    article = models.OneToOneField(
        Article, verbose_name="記事", on_delete=models.CASCADE, primary_key=True, related_name="thread"
    )
    last_number = models.PositiveIntegerField("最後の番号", default=0)
    locked = models.BooleanField("書き込み停止", default=False)
    hold_all = models.BooleanField("全投稿を承認制にする", default=False)
    # Bumped in the same transaction as any change to the thread's comments: cached pages are
    # keyed by it, so every process (whatever its cache) sees a change at once.
    version = models.PositiveBigIntegerField("版", default=0, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "スレッド"

    def __str__(self):
        return str(self.article)


class Comment(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", "表示"
        HELD = "held", "承認待ち"
        HIDDEN = "hidden", "非表示"
        DELETED = "deleted", "削除"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    number = models.PositiveIntegerField("番号")
    name = models.CharField("名前", max_length=50, blank=True)
    trip = models.CharField("トリップ", max_length=16, blank=True)
    id_tag = models.CharField("ID", max_length=12, blank=True, db_index=True)
    body = models.TextField("本文")
    body_html = models.TextField("本文（HTML）", blank=True, help_text="投稿時に作った表示用HTML")
    replies_to = models.JSONField("返信先", default=list, blank=True)
    created_at = models.DateTimeField("投稿日時", default=timezone.now)
    status = models.CharField("状態", max_length=10, choices=Status.choices, default=Status.VISIBLE)
    hold_reason = models.CharField("保留理由", max_length=200, blank=True)
    spam_score = models.FloatField("スパムスコア", default=0.0)
    source_hash = models.CharField("投稿元（鍵付きハッシュ）", max_length=64, blank=True)
    delete_token_hash = models.CharField(max_length=64, blank=True)
    report_count = models.PositiveIntegerField("通報数", default=0)
    empathy = models.PositiveIntegerField("共感した", default=0)
    insight = models.PositiveIntegerField("なるほど", default=0)
    doubt = models.PositiveIntegerField("うーん", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "コメント"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="one_number_per_thread")]
        indexes = [
            models.Index(fields=["article", "status", "number"]),
            models.Index(fields=["status", "-created_at"]),
            # A poster's recent posts: the duplicate check on every post, the admin's list by source.
            models.Index(fields=["source_hash", "created_at"]),
        ]

    def __str__(self):
        return f">>{self.number}"

    @property
    def display_name(self) -> str:
        return self.name or DEFAULT_NAME

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.VISIBLE


class Reaction(models.Model):
    class Kind(models.TextChoices):
        EMPATHY = "empathy", "共感した"
        INSIGHT = "insight", "なるほど"
        DOUBT = "doubt", "うーん"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    voter_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "リアクション"
        constraints = [
            models.UniqueConstraint(fields=["comment", "kind", "voter_hash"], name="one_reaction_each")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} >>{self.comment.number}"


class Report(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter_hash = models.CharField(max_length=64)
    reason = models.CharField("理由", max_length=200, blank=True)
    created_at = models.DateTimeField("通報日時", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "通報"
        constraints = [models.UniqueConstraint(fields=["comment", "reporter_hash"], name="one_report_each")]

    def __str__(self):
        return f"通報 >>{self.comment.number}"


class Ban(models.Model):
    source_hash = models.CharField("投稿元（鍵付きハッシュ）", max_length=64, unique=True)
    until = models.DateTimeField("期限")
    reason = models.CharField("理由", max_length=200, blank=True)
    created_at = models.DateTimeField("作成日時", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "投稿禁止"

    def __str__(self):
        return f"{self.source_hash[:10]}… 〜{self.until:%Y-%m-%d %H:%M}"


class NGWord(models.Model):
    class Action(models.TextChoices):
        HOLD = "hold", "承認待ちにする"
        REJECT = "reject", "投稿を拒否する"

    word = models.CharField("NGワード", max_length=100, unique=True)
    action = models.CharField("対応", max_length=10, choices=Action.choices, default=Action.HOLD)
    created_at = models.DateTimeField("登録日時", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "NGワード"

    def __str__(self):
        return self.word
