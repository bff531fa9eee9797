"""Tag pages: /tags/ (every tag in use) and /tags/<slug>/ (its published articles)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from newsdesk.images.service import attach_images
from newsdesk.site import listings
from newsdesk.site.caching import reader_page
from newsdesk.site.pages import PageMeta, paginate
from newsdesk.stories.queries import attach_also_at
from newsdesk.tags import service
from newsdesk.tags.models import Tag


@reader_page()
def index(request):
    meta = PageMeta(
        "タグ一覧",
        "半導体、観光、安全保障など、話題ごとに海外メディアの記事をまとめています。",
        reverse("tags:index"),
    )
    tags = listings.kept("tag-index", lambda: list(service.tags_in_use()))
    return render(request, "tags/index.html", {"tags": tags, "meta": meta})


@reader_page("page")
def detail(request, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    total = listings.count(f"tag:{tag.pk}", service.articles_with(tag))
    page = paginate(request, service.articles_with(tag, walk=listings.walk_newest(total)), total)
    attach_also_at(page.object_list)
    attach_images(page.object_list)
    description = tag.description or f"「{tag.name}」に関する海外メディアの記事を日本語の要約と翻訳で。"
    meta = PageMeta(f"「{tag.name}」の記事", description, tag.get_absolute_url(), page.number)
    context = {"tag": tag, "page": page, "articles": page.object_list, "meta": meta}
    return render(request, "tags/detail.html", context)
