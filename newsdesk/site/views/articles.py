"""The reader site: the latest, popular and recommended lists, the article page, short URLs and
outlet pages."""

from __future__ import annotations

import dataclasses
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.paginator import InvalidPage
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from newsdesk.articles.models import Article
from newsdesk.comments.forms import CommentForm
from newsdesk.comments.models import Comment
from newsdesk.comments.posting import thread_page
from newsdesk.editorial import corrections
from newsdesk.images.service import attach_images, shown_image
from newsdesk.site import listings, pageviews, rankings
from newsdesk.site.caching import reader_page
from newsdesk.site.csrf import same_origin
from newsdesk.site.pages import PageMeta, paginate, published_articles, site_url
from newsdesk.sources.models import Outlet
from newsdesk.stories.queries import attach_also_at, collapse_copies

EXCERPT_CHARS = 200
# Articles of each ranking shown beside the latest list.
TOP_COUNT = 5


@reader_page("page")
def latest(request):
    listed = collapse_copies(published_articles())
    page = paginate(request, listed, listings.count("latest", listed))
    attach_also_at(page.object_list)
    attach_images(page.object_list)
    meta = PageMeta(
        settings.NEWSDESK["SITE_NAME"],
        "海外メディアが伝える東アジアのニュースを日本語の要約と翻訳で。",
        reverse("articles:latest"),
        page.number,
    )
    context = {"page": page, "articles": page.object_list, "meta": meta}
    if page.number == 1:
        # The heads of the two rankings beside the list: cached id lists, one query each.
        context["popular_top"] = rankings.popular_articles(TOP_COUNT)
        context["picks_top"] = rankings.articles_in_order(rankings.editor_pick_ids()[:TOP_COUNT])
    return render(request, "articles/latest.html", context)


@reader_page("page", comments="counts")
def popular(request):
    meta = PageMeta(
        "特に人気", "いま特に読まれている記事とコメントの多い記事のランキング。", reverse("articles:popular")
    )
    return ranked_page(request, rankings.popular_ids(), "articles/popular.html", meta)


@reader_page("page", comments="counts")
def recommended(request):
    meta = PageMeta(
        "オススメ",
        "編集部のオススメ記事と、いま読まれている記事、さまざまな媒体の記事。",
        reverse("articles:recommended"),
    )
    return ranked_page(request, rankings.recommended_ids(), "articles/recommended.html", meta)


def ranked_page(request, ids: list[int], template: str, meta: PageMeta):
    """A page of a ranking: rank numbers and visible comment counts on each article."""
    page = paginate(request, ids)
    articles = rankings.articles_in_order(page.object_list)
    ranks = {pk: rank for rank, pk in enumerate(page.object_list, page.start_index())}
    comments = dict(
        Comment.objects.filter(article__in=articles, status=Comment.Status.VISIBLE)
        .values("article")
        .annotate(total=Count("pk"))
        .values_list("article", "total")
    )
    for article in articles:
        article.rank = ranks[article.pk]
        article.comment_count = comments.get(article.pk, 0)
    attach_also_at(articles)
    attach_images(articles)
    meta = dataclasses.replace(meta, page_number=page.number)
    return render(request, template, {"page": page, "articles": articles, "ranked": True, "meta": meta})


@reader_page("page")
def outlet(request, domain: str):
    return outlet_page(request, get_object_or_404(Outlet, domain=domain))


@reader_page("page")
def outlet_by_id(request, pk: int):
    return outlet_page(request, get_object_or_404(Outlet, pk=pk, domain=""))


def outlet_page(request, outlet: Outlet):
    listed = collapse_copies(published_articles().filter(outlet=outlet))
    page = paginate(request, listed, listings.count(f"outlet:{outlet.pk}", listed))
    attach_also_at(page.object_list)
    attach_images(page.object_list)
    meta = PageMeta(
        f"{outlet}の記事",
        f"{outlet}が伝えた東アジアのニュースを日本語の要約と翻訳で。",
        outlet.get_absolute_url(),
        page.number,
    )
    context = {"outlet": outlet, "page": page, "articles": page.object_list, "meta": meta}
    return render(request, "articles/outlet.html", context)


def short(request, pk: int):
    article = get_object_or_404(Article.objects.published(), pk=pk)
    return HttpResponsePermanentRedirect(article.get_absolute_url())


@reader_page("sort", "page", "original", comments="thread")
def detail(request, pk: int):
    article = get_object_or_404(published_articles(), pk=pk)
    sort, page = comment_view_params(request)
    show_original = request.GET.get("original") == "1"
    context = article_context(article, sort=sort, page=page, show_original=show_original)
    return render(request, "articles/detail.html", context)


@require_POST
@same_origin
def count_view(request, pk: int):
    """The article page's script reports a reading here (see newsdesk/site/pageviews.py)."""
    pageviews.count_view(request, get_object_or_404(Article.objects.published(), pk=pk))
    response = HttpResponse(status=204)
    add_never_cache_headers(response)
    return response


# How a reader may order the comment thread; the first is the default.
COMMENT_SORTS = {"old": "古い順", "new": "新しい順", "popular": "人気順"}


def comment_view_params(request) -> tuple[str, int]:
    """``?sort=`` and ``?page=`` of the comment thread; an unknown sort is the default, a bad page a 404."""
    sort = request.GET.get("sort") or "old"
    if sort not in COMMENT_SORTS:
        sort = "old"
    try:
        page = int(request.GET.get("page") or 1)
    except ValueError as exc:
        raise Http404("ページが見つかりません") from exc
    if page < 1:
        raise Http404("ページが見つかりません")
    return sort, page


def comment_thread_url(article: Article, sort: str = "old", page: int = 1) -> str:
    query = {}
    if sort != "old":
        query["sort"] = sort
    if page > 1:
        query["page"] = page
    return article.get_absolute_url() + (f"?{urlencode(query)}" if query else "") + "#comments"


def comment_thread(article: Article, sort: str, page: int) -> dict:
    """The page of the thread to show, with its sort and page links; a page past the end is a 404."""
    try:
        comments = thread_page(article, sort=sort, page=page)
    except InvalidPage as exc:
        raise Http404("ページが見つかりません") from exc
    paginator = comments.paginator
    pages = []
    if comments.has_other_pages():
        for number in paginator.get_elided_page_range(comments.number, on_each_side=2, on_ends=1):
            if number == paginator.ELLIPSIS:
                pages.append({"ellipsis": True})
            else:
                url = comment_thread_url(article, sort, number)
                pages.append({"number": number, "url": url, "current": number == comments.number})
    return {
        "comments": comments.object_list,
        "comment_page": comments,
        "comment_count": paginator.count,
        "comment_sort": sort,
        "comment_sorts": [
            {"key": key, "label": label, "current": key == sort, "url": comment_thread_url(article, key)}
            for key, label in COMMENT_SORTS.items()
        ],
        "comment_pages": pages,
        "comment_prev_url": comment_thread_url(article, sort, comments.number - 1)
        if comments.has_previous()
        else "",
        "comment_next_url": comment_thread_url(article, sort, comments.number + 1)
        if comments.has_next()
        else "",
    }


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


def body_paragraphs(article: Article) -> list[dict]:
    """The numbered Japanese paragraphs, each with the original paragraph it translates (same index)."""
    originals = [] if article.is_japanese else article.paragraphs
    return [
        {"text": text, "original": originals[index] if index < len(originals) else ""}
        for index, text in enumerate(article.japanese_paragraphs)
        if text and text.strip()
    ]


def article_context(
    article: Article, comment_form=None, *, sort="old", page=1, notice="", show_original=False
) -> dict:
    """Everything the article page shows; the comment view reuses it to re-render with errors."""
    summary = [bullet for bullet in article.summary if isinstance(bullet, str) and bullet.strip()]
    lead_image = shown_image(article)  # the stored copy, never the source's image
    meta = PageMeta(
        article.headline,
        summary[0] if summary else article.standfirst,
        article.get_absolute_url(),
        image=site_url(lead_image.page_url) if lead_image else "",
        type="article",
    )
    body = body_paragraphs(article)
    outlet = article.outlet
    policy = outlet.reuse_policy
    excerpt = ""
    if policy == Outlet.ReusePolicy.SUMMARY and body:
        excerpt = Truncator(body[0]["text"]).chars(EXCERPT_CHARS, truncate="…")
    return {
        "article": article,
        "outlet": outlet,
        "summary": summary,
        "body": body if outlet.allows_full_translation else [],
        "has_original": outlet.allows_full_translation and any(p["original"] for p in body),
        "show_original": show_original,
        "excerpt": excerpt,
        "policy": policy,
        "show_original_title": bool(article.original_title) and article.original_title != article.headline,
        "original_url": article.url or article.source_url,
        "corrections": corrections.of(article),
        "lead_image": lead_image,
        "short_url": site_url(reverse("articles:short", args=[article.pk])),
        "share_links": share_links(meta.url, article.headline),
        "meta": meta,
        "comment_form": comment_form or CommentForm(),
        "comment_notice": notice,
        "comment_feed_url": reverse("comments:feed", args=[article.pk]),
        **comment_thread(article, sort, page),
    }
