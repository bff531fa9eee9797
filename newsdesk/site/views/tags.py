"""Tag pages: /tags/ (every tag in use) and /tags/<slug>/ (its published articles)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from newsdesk.images.service import attach_images
from newsdesk.site.pages import PageMeta, paginate
from newsdesk.stories.queries import attach_also_at
from newsdesk.tags import service
from newsdesk.tags.models import Tag


def index(request):
    meta = PageMeta(
        "タグ一覧",
        "半導体、観光、安全保障など、話題ごとに海外メディアの記事をまとめています。",
        reverse("tags:index"),
    )
    return render(request, "tags/index.html", {"tags": service.tags_in_use(), "meta": meta})


def detail(request, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    page = paginate(request, service.articles_with(tag))
    attach_also_at(page.object_list)
    attach_images(page.object_list)
    description = tag.description or f"「{tag.name}」に関する海外メディアの記事を日本語の要約と翻訳で。"
    meta = PageMeta(f"「{tag.name}」の記事", description, tag.get_absolute_url(), page.number)
    context = {"tag": tag, "page": page, "articles": page.object_list, "meta": meta}
    return render(request, "tags/detail.html", context)
