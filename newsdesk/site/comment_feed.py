"""An Atom feed of one article's visible comments, newest first."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks

from newsdesk.articles.models import Article
from newsdesk.comments.models import Comment
from newsdesk.site.pages import site_url

FEED_ITEMS = 50


def poster(comment: Comment) -> str:
    """``名無しさん◆trip ID:abcd1234``, as the thread shows it."""
    trip = f"◆{comment.trip.lstrip('◆')}" if comment.trip else ""
    tag = f" ID:{comment.id_tag}" if comment.id_tag else ""
    return f"{comment.display_name}{trip}{tag}"


class ArticleCommentsFeed(Feed):
    feed_type = Atom1Feed
    item_guid_is_permalink = False

    def get_object(self, request, pk: int):
        return get_object_or_404(Article.objects.published().select_related("outlet"), pk=pk)

    def title(self, article: Article) -> str:
        return f"「{article.headline}」へのコメント"

    def subtitle(self, article: Article) -> str:
        return f"{settings.NEWSDESK['SITE_NAME']}の記事「{article.headline}」への匿名コメント"

    def link(self, article: Article) -> str:
        return f"{article.get_absolute_url()}#comments"

    def feed_url(self, article: Article) -> str:
        return reverse("comments:feed", args=[article.pk])

    def items(self, article: Article) -> list[Comment]:
        visible = Comment.objects.filter(article=article, status=Comment.Status.VISIBLE)
        # Oldest-first positions give the page of the thread each entry is on.
        position = {
            number: i for i, number in enumerate(visible.order_by("number").values_list("number", flat=True))
        }
        page_size = settings.NEWSDESK["COMMENT_PAGE_SIZE"]
        comments = list(visible.order_by("-number")[:FEED_ITEMS])
        for comment in comments:
            comment.article = article
            comment.thread_page = position.get(comment.number, 0) // page_size + 1
        return comments

    def item_title(self, comment: Comment) -> str:
        return f"{comment.number} {poster(comment)}"

    def item_description(self, comment: Comment) -> str:
        # body_html was escaped and linked when it was written; Atom's type="html" content escapes
        # it once more, so feed readers show exactly what the page shows.
        return comment.body_html or linebreaks(escape(comment.body))

    def item_link(self, comment: Comment) -> str:
        query = f"?page={comment.thread_page}" if comment.thread_page > 1 else ""
        return f"{comment.article.get_absolute_url()}{query}#c{comment.number}"

    def item_guid(self, comment: Comment) -> str:
        return site_url(f"{comment.article.get_absolute_url()}#c{comment.number}")

    def item_author_name(self, comment: Comment) -> str:
        return poster(comment)

    def item_pubdate(self, comment: Comment):
        return comment.created_at

    def item_updateddate(self, comment: Comment):
        return comment.created_at
