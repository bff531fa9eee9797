"""``{% article_tags article as tags %}``: the tags the article page links to."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def article_tags(article) -> list:
    from newsdesk.tags import service

    if article is None or not getattr(article, "pk", None):
        return []
    return service.tags_of(article)
