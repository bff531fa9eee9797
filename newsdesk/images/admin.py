"""The stored image on the article's change page: the copy readers see, or why there is none.

Read-only: the images stage writes it. Deleting it removes the stored copies; the next run of the
stage (「やり直す」 or ``newsdesk rerun --stage images``) fetches the image again.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html

from newsdesk.core.admin import NoAddOrChangeMixin
from newsdesk.images.models import ArticleImage


class ArticleImageInline(NoAddOrChangeMixin, admin.StackedInline):
    model = ArticleImage
    verbose_name = verbose_name_plural = "保存した画像"
    fields = ("preview", "source_url", "size", "fetched_at", "error")
    readonly_fields = fields
    extra = 0
    max_num = 1

    @admin.display(description="画像")
    def preview(self, obj):
        if obj is None or not obj.stored:
            return format_html(
                '<span class="newsdesk-image-missing">{}</span>',
                "画像はありません（ページにはキャプションだけを表示）",
            )
        note = "" if obj.usable else "（画像URLが変わったため表示していません）"
        return format_html(
            '<a href="{}"><img src="{}" alt="" width="{}" height="{}" class="newsdesk-image-preview"></a>'
            '<br><img src="{}" alt="" width="{}" height="{}">{}',
            obj.page_url,
            obj.page_url,
            obj.width,
            obj.height,
            obj.thumbnail_url,
            obj.thumbnail_width,
            obj.thumbnail_height,
            note,
        )

    @admin.display(description="大きさ")
    def size(self, obj):
        if obj is None or not obj.stored:
            return "—"
        return f"{obj.width}×{obj.height} px（{obj.page_bytes:,} バイト）・一覧用 {obj.thumbnail_width}×{obj.thumbnail_height} px"
