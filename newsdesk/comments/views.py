"""Posting a comment: validate, number it inside the thread, redirect back to it (Post/Redirect/Get)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from newsdesk.articles.models import Article
from newsdesk.articles.views import article_context
from newsdesk.comments.forms import CommentForm
from newsdesk.comments.models import Comment

NUMBERING_ATTEMPTS = 5


def add_comment(article: Article, name: str, body: str) -> Comment:
    """Save a comment with the thread's next number; two posters racing for one number retry."""
    for attempt in range(NUMBERING_ATTEMPTS):
        try:
            with transaction.atomic():
                # Locks the article row where the database can (PostgreSQL), so posts queue up.
                Article.objects.select_for_update().filter(pk=article.pk).exists()
                last = Comment.objects.filter(article=article).aggregate(last=Max("number"))["last"] or 0
                return Comment.objects.create(article=article, number=last + 1, name=name, body=body)
        except IntegrityError:
            if attempt == NUMBERING_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


@require_POST
def post(request, pk: int):
    article = get_object_or_404(Article.objects.published().select_related("outlet"), pk=pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render(
            request, "articles/detail.html", article_context(article, comment_form=form), status=400
        )
    comment = add_comment(article, form.cleaned_data["name"], form.cleaned_data["body"])
    return redirect(f"{article.get_absolute_url()}#c{comment.number}")
