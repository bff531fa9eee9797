"""Template helpers for stories: the related-articles panel of an article and its copies elsewhere."""

from __future__ import annotations

from django import template

from newsdesk.stories import queries

register = template.Library()


@register.simple_tag
def story_panel(article) -> dict:
    """``{% story_panel article as panel %}``: story, other outlets, copies (also_at) and related."""
    return queries.article_panel(article)


@register.simple_tag
def also_at(article) -> list:
    """``{% also_at item as copies %}``: the published copies of this article at other outlets."""
    return queries.also_at(article)
