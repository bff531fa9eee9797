"""Merging outlets: two rows that turned out to be one outlet (bbc.co.uk and bbc.com, a name met in
pasted text and the outlet's domain) become the one an editor keeps."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from newsdesk.sources.models import Outlet, OutletAlias


@transaction.atomic
def merge(keep: Outlet, others: Iterable[Outlet]) -> int:
    """Moves the articles, feeds and aliases of ``others`` to ``keep``, keeps their domains, names
    and registry keys as aliases of ``keep`` (so later articles from either land on it) and
    deletes them; returns how many articles moved.

    Articles are saved one by one, so whatever follows an article's saves (the search index's
    outlet filter) sees the new outlet.
    """
    moved = 0
    for other in others:
        if other.pk == keep.pk:
            continue
        for article in other.articles.all():
            article.outlet = keep
            article.save(update_fields=["outlet"])
            moved += 1
        other.sources.update(outlet=keep)
        other.aliases.update(outlet=keep)
        kept = [(OutletAlias.Kind.NAME, name) for name in (other.name, other.name_en) if name]
        kept += [(OutletAlias.Kind.DOMAIN, other.domain), (OutletAlias.Kind.REGISTRY, other.registry_key)]
        domain, key, name_en = other.domain, other.registry_key, other.name_en
        other.delete()
        if not keep.domain and domain:
            keep.domain = domain  # the address of its page: an outlet known only by name gets one
        if not keep.registry_key and key:
            keep.registry_key = key
        keep.name_en = keep.name_en or name_en
        keep.save()
        taken = {keep.domain, keep.registry_key, keep.name, keep.name_en}
        for kind, value in kept:
            if value and value not in taken:
                OutletAlias.objects.update_or_create(kind=kind, value=value, defaults={"outlet": keep})
    return moved
