"""``{% article_entities article as panel %}``: what the article page's section 8 shows."""

from __future__ import annotations

from django import template

register = template.Library()

# The panel shows the first figures only; the full list stays in the admin.
PANEL_FIGURES = 8


@register.simple_tag
def article_entities(article) -> dict:
    from newsdesk.entities import service

    if article is None or not getattr(article, "pk", None):
        return {"figures": [], "entities": []}
    return {"figures": service.figures_of(article)[:PANEL_FIGURES], "entities": service.entities_of(article)}
