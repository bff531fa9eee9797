"""The reader site: the latest list, the article page, short URLs and outlet pages."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import Truncator

from newsdesk.articles.models import Article
from newsdesk.comments.forms import CommentForm
from newsdesk.comments.models import Comment
from newsdesk.sources.models import Outlet

EXCERPT_CHARS = 200


def published_articles():
    return Article.objects.published().select_related("outlet")


def paginate(request, queryset):
    """The requested page of ``queryset``; a page that is not a number or out of range is a 404."""
    paginator = Paginator(queryset, settings.NEWSDESK["PAGE_SIZE"])
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404("ページが見つかりません") from exc


def latest(request):
    page = paginate(request, published_articles())
    return render(request, "articles/latest.html", {"page": page, "articles": page.object_list})


def outlet(request, domain: str):
    outlet = get_object_or_404(Outlet, domain=domain)
    page = paginate(request, published_articles().filter(outlet=outlet))
    return render(
        request, "articles/outlet.html", {"outlet": outlet, "page": page, "articles": page.object_list}
    )


def short(request, pk: int):
    article = get_object_or_404(Article.objects.published(), pk=pk)
    return HttpResponsePermanentRedirect(article.get_absolute_url())


def detail(request, pk: int):
    article = get_object_or_404(published_articles(), pk=pk)
    return render(request, "articles/detail.html", article_context(article))


def share_links(url: str, title: str) -> list[dict]:
    return [
        {
            "name": "X",
            "css": "x",
            "url": "https://twitter.com/intent/tweet?" + urlencode({"text": title, "url": url}),
        },
        {
            "name": "Facebook",
            "css": "facebook",
            "url": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        },
        {
            "name": "LINE",
            "css": "line",
            "url": "https://social-plugins.line.me/lineit/share?" + urlencode({"url": url}),
        },
        {
            "name": "はてなブックマーク",
            "css": "hatena",
            "url": "https://b.hatena.ne.jp/entry/panel/?"
            + urlencode({"url": url, "title": title}, quote_via=quote),
        },
    ]


def article_context(article: Article, comment_form=None) -> dict:
    """Everything the article page shows; the comment view reuses it to re-render with errors."""
    site_url = settings.NEWSDESK["SITE_URL"]
    canonical_url = site_url + article.get_absolute_url()
    short_url = site_url + reverse("articles:short", args=[article.pk])
    summary = [bullet for bullet in article.summary if isinstance(bullet, str) and bullet.strip()]
    body = [paragraph for paragraph in article.japanese_paragraphs if paragraph and paragraph.strip()]
    outlet = article.outlet
    policy = outlet.reuse_policy
    excerpt = ""
    if policy == Outlet.ReusePolicy.SUMMARY and body:
        excerpt = Truncator(body[0]).chars(EXCERPT_CHARS, truncate="…")
    return {
        "article": article,
        "outlet": outlet,
        "summary": summary,
        "body": body if outlet.allows_full_translation else [],
        "excerpt": excerpt,
        "policy": policy,
        "show_original_title": bool(article.original_title) and article.original_title != article.headline,
        "original_url": article.url or article.source_url,
        "canonical_url": canonical_url,
        "short_url": short_url,
        "share_links": share_links(canonical_url, article.headline),
        "description": summary[0] if summary else (article.lead_ja or ""),
        "comments": article.comments.filter(status=Comment.Status.VISIBLE).order_by("number"),
        "comment_form": comment_form or CommentForm(),
    }
