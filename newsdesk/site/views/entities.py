"""Entity pages: one per person, country, place or organisation, with the stories and articles naming it."""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render

from newsdesk.entities import service
from newsdesk.entities.models import Entity
from newsdesk.images.service import attach_images
from newsdesk.site import listings
from newsdesk.site.caching import reader_page
from newsdesk.site.pages import PageMeta, paginate
from newsdesk.stories import queries

STORIES_SHOWN = 10


@reader_page("page")
def detail(request, key: str):
    """``/entities/<slug>/``, or ``/entities/<id>/`` for entities without a slug (which redirects to
    the slug when there is one)."""
    if key.isascii() and key.isdecimal():
        entity = get_object_or_404(Entity, pk=int(key))
        if entity.slug:
            return HttpResponsePermanentRedirect(entity.get_absolute_url())
    else:
        entity = get_object_or_404(Entity, slug=key)
    total = listings.count(f"entity:{entity.pk}", service.articles_of(entity))
    walk = listings.walk_newest(total)
    page = paginate(request, service.articles_of(entity, walk=walk), total)
    queries.attach_also_at(page.object_list)
    attach_images(page.object_list)
    aliases = [alias.name for alias in entity.aliases.all()]
    stories = queries.stories_naming(entity, walk=walk)
    context = {
        "meta": PageMeta(
            f"{entity.name}に関する記事",
            f"{entity.name}が登場する海外メディアの記事を日本語の要約と翻訳で。",
            entity.get_absolute_url(),
            page.number,
        ),
        "entity": entity,
        "aliases": aliases,
        "page": page,
        "articles": page.object_list,
        "stories": stories[:STORIES_SHOWN],
    }
    return render(request, "entities/detail.html", context)
