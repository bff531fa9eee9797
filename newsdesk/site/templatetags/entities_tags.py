"""``{% article_entities article as panel %}``: what the article page's section 8 shows."""

from __future__ import annotations

from django import template

register = template.Library()

# The panel shows the most telling sentences with figures only; the full list stays in the admin.
PANEL_FIGURES = 6
# Each kind of entity in its own group, in this order.
GROUPS = (("person", "人物"), ("organisation", "組織"), ("country", "国・地域"), ("place", "地名"))


@register.simple_tag
def article_entities(article) -> dict:
    from newsdesk.entities import service

    if article is None or not getattr(article, "pk", None):
        return {"figures": [], "entities": [], "groups": []}
    entities = service.entities_of(article)
    groups = [
        {"kind": kind, "title": title, "entities": [(e, n) for e, n in entities if e.kind == kind]}
        for kind, title in GROUPS
    ]
    return {
        "figures": service.key_figures(article, PANEL_FIGURES),
        "entities": entities,
        "groups": [group for group in groups if group["entities"]],
    }
