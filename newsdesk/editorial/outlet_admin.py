"""Outlets and the feeds polled for them, in the editorial admin.

媒体: the Japanese and English names, domains (the outlet's own, its aliases and the registry's),
the reuse policy (changing it marks it reviewed) and merging two outlets into one. フィード: add a
feed (its outlet found from the address by the registry when left empty), pause and resume, poll
now, and each feed's last poll, result, entries found and error.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from newsdesk.articles.signals import content_changed
from newsdesk.editorial.widgets import URL_OVERRIDES
from newsdesk.japanese.dates import JST
from newsdesk.pipeline import polling
from newsdesk.sources import recognize, remembered
from newsdesk.sources.merge import merge
from newsdesk.sources.models import Outlet, OutletAlias, Source
from newsdesk.sources.registry import registry

MERGE_TEMPLATE = "admin/sources/outlet/merge.html"


def jst(value) -> str:
    """「2025年3月12日 09:15」 in Japan time."""
    if not value:
        return "—"
    value = value.astimezone(JST)
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


class AliasInline(admin.TabularInline):
    model = OutletAlias
    extra = 0
    fields = ["kind", "value"]
    verbose_name = verbose_name_plural = "別名（このドメインや名前の記事もこの媒体に入ります）"


class SourceInline(admin.TabularInline):
    formfield_overrides = URL_OVERRIDES
    model = Source
    extra = 0
    fields = ["url", "is_feed", "active", "last_polled_at", "last_result", "last_error"]
    readonly_fields = ["last_polled_at", "last_result", "last_error"]


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    formfield_overrides = URL_OVERRIDES
    list_display = [
        "name",
        "name_en",
        "domains",
        "reuse_policy",
        "policy_reviewed",
        "article_count",
        "is_sample",
    ]
    list_editable = ["reuse_policy"]
    list_filter = ["policy_reviewed", "reuse_policy", "language", "is_sample"]
    search_fields = ["name", "name_en", "domain", "registry_key", "aliases__value"]
    readonly_fields = ["registry_key", "registry_entry"]
    fieldsets = [
        (None, {"fields": ["name", "name_en", "language", "domain", "is_sample"]}),
        ("転載方針", {"fields": ["reuse_policy", "policy_reviewed"]}),
        ("媒体台帳", {"fields": ["registry_key", "registry_entry"]}),
    ]
    inlines = [AliasInline, SourceInline]
    actions = ["merge_outlets", "mark_reviewed"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(_articles=Count("articles", distinct=True))
        return queryset.prefetch_related("aliases")

    @admin.display(description="記事数", ordering="_articles")
    def article_count(self, obj):
        return obj._articles

    @admin.display(description="ドメイン")
    def domains(self, obj):
        entry = registry().get(obj.registry_key)
        aliases = [a.value for a in obj.aliases.all() if a.kind == OutletAlias.Kind.DOMAIN]
        found = dict.fromkeys(d for d in [obj.domain, *aliases, *(entry.domains if entry else ())] if d)
        return "、".join(found) or "—"

    @admin.display(description="台帳の名前とドメイン")
    def registry_entry(self, obj):
        entry = registry().get(obj.registry_key) if obj else None
        if entry is None:
            return "媒体台帳にない媒体です（ドメインと別名で判定します）"
        rows = [
            ("日本語名", entry.ja),
            ("英語名", entry.en),
            ("ドメイン", "、".join(entry.domains)),
            ("ページに出る名前", "、".join(entry.names)),
            ("標語", "、".join(entry.taglines) or "—"),
        ]
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))

    def save_model(self, request, obj, form, change):
        if "reuse_policy" in form.changed_data:
            obj.policy_reviewed = True  # an editor chose the policy: it is reviewed
        super().save_model(request, obj, form, change)

    @admin.action(description="転載方針を確認済みにする", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        count = queryset.update(policy_reviewed=True)
        content_changed.send(sender=Outlet)  # a reviewed policy may show more of its articles
        remembered.changed()  # an update sends no post_save
        self.message_user(request, f"{count}件の媒体の転載方針を確認済みにしました。", messages.SUCCESS)

    @admin.action(description="選んだ媒体を一つにまとめる", permissions=["change", "delete"])
    def merge_outlets(self, request, queryset):
        outlets = sorted(queryset, key=lambda o: (not o.registry_key, -o._articles, o.pk))
        if len(outlets) < 2:
            self.message_user(request, "まとめる媒体を2つ以上選んでください。", messages.WARNING)
            return None
        if request.POST.get("post"):
            keep = next((o for o in outlets if str(o.pk) == request.POST.get("keep")), None)
            if keep is None:
                self.message_user(request, "残す媒体を選んでください。", messages.ERROR)
            else:
                others = [o for o in outlets if o.pk != keep.pk]
                moved = merge(keep, others)
                names = "、".join(f"「{o}」" for o in others)
                self.message_user(
                    request,
                    f"{names}を「{keep}」にまとめました（記事{moved}件を移し、ドメインと名前は別名に残しました）。",
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": "媒体をまとめる",
            "opts": self.model._meta,
            "rows": [(outlet, outlet._articles) for outlet in outlets],
            "changelist_url": reverse("admin:sources_outlet_changelist"),
        }
        return TemplateResponse(request, MERGE_TEMPLATE, context)


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["url", "outlet", "is_feed", "active"]

    url = forms.URLField(label="URL", max_length=1000, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].required = False
        self.fields["outlet"].help_text = "空欄のときは、URLのドメインから媒体台帳で媒体を判定します。"

    def clean(self):
        data = super().clean() or self.cleaned_data
        url = data.get("url")
        if url and not data.get("outlet") and not recognize.known(url):
            self.add_error(
                "outlet",
                "このURLの媒体は媒体台帳にも登録済みの媒体にもありません。媒体を選んでください"
                "（新しい媒体は「媒体」から追加できます）。",
            )
        return data


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    formfield_overrides = URL_OVERRIDES
    # Narrow enough for a 1280-pixel screen with the admin's side menu and the filters open.
    list_display = ["address", "outlet", "active", "polled", "result"]
    list_display_links = ["address"]
    list_filter = ["active", "last_result", "is_feed", "outlet"]
    search_fields = ["url", "outlet__name", "outlet__name_en", "outlet__domain"]
    list_select_related = ["outlet"]
    readonly_fields = ["polled_at", "result", "last_found", "last_error"]
    actions = ["poll_now", "activate", "deactivate"]

    def get_fields(self, request, obj=None):
        fields = ["url", "outlet", "is_feed", "active"]
        return fields + self.readonly_fields if obj else fields

    def save_model(self, request, obj, form, change):
        if obj.outlet_id is None:
            obj.outlet = recognize.outlet_for_url(obj.url)
        super().save_model(request, obj, form, change)

    @admin.display(description="URL", ordering="url")
    def address(self, obj):
        # Shortened in the middle so the list fits a laptop screen; the whole address on hover.
        return _shortened(obj.url.split("://", 1)[-1], 48, obj.url)

    @admin.display(description="最終取得（日本時間）", ordering="last_polled_at")
    def polled_at(self, obj):
        return jst(obj.last_polled_at)

    @admin.display(description="最終取得", ordering="last_polled_at")
    def polled(self, obj):
        if not obj.last_polled_at:
            return "—"
        value = obj.last_polled_at.astimezone(JST)
        return format_html(
            '<span title="{}">{}</span>', jst(value), f"{value.month}/{value.day} {value:%H:%M}"
        )

    @admin.display(description="前回の結果", ordering="last_result")
    def result(self, obj):
        label = obj.result_label or "未取得"
        if obj.last_result == Source.Result.NEW:
            label += f"（{obj.last_found}件中）"
        if not obj.last_error:
            return label
        return format_html("{}<br><small>{}</small>", label, _shortened(obj.last_error, 24, obj.last_error))

    @admin.action(description="今すぐ取得する", permissions=["change"])
    def poll_now(self, request, queryset):
        paused = queryset.filter(active=False).count()
        checks = polling.poll(queryset.filter(active=True).select_related("outlet"))
        new = sum(len(c.urls) for c in checks)
        self.message_user(
            request,
            f"{len(checks)}件のフィードを取得しました。新着{new}件を取り込みに回しました。",
            messages.SUCCESS,
        )
        for failed in (c.source for c in checks if c.failed):
            self.message_user(request, f"{failed.url}：{failed.last_error}", messages.ERROR)
        if paused:
            self.message_user(request, f"一時停止中の{paused}件は取得していません。", messages.WARNING)

    @admin.action(description="巡回を再開する", permissions=["change"])
    def activate(self, request, queryset):
        count = queryset.update(active=True)
        self.message_user(request, f"{count}件のフィードの巡回を再開しました。", messages.SUCCESS)

    @admin.action(description="巡回を一時停止する", permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.update(active=False)
        self.message_user(request, f"{count}件のフィードの巡回を一時停止しました。", messages.SUCCESS)


def _shortened(text: str, length: int, whole: str):
    """``text`` cut to about ``length`` characters (its start and its end), ``whole`` on hover."""
    if len(text) > length:
        text = f"{text[: length * 2 // 3]}…{text[-(length // 3) :]}"
    return format_html('<span title="{}">{}</span>', whole, text)
