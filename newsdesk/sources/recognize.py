"""Which outlet an article comes from: the registry's outlet when the evidence names one, else the
best name the input gives.

Evidence, in order (``outlet_for``):

1. the canonical or source URL's domain: an alias an editor kept (a merge, or added by hand) for
   that domain or a parent domain; then the registry (subdomains and path prefixes too:
   feeds.bbci.co.uk, bbc.com/japanese); then an outlet already stored with that domain;
2. the names the input gives: og:site_name, JSON-LD publisher, masthead or tagline lines of
   pasted text (the ingest extractors put them in ``ExtractedArticle.outlet``);
3. the title's suffix or prefix ("… - BBC News", "…｜ロイター");
4. otherwise an outlet of that domain named by the site name, or by the domain when the page
   gives no name; 「不明な媒体」 only when there is neither a domain nor a name.

Registry outlets are made lazily: the registry is data shipped in the package, and an Outlet
row appears the first time an article or a feed of it is stored, with the registry's names and
the default reuse policy, not reviewed. An existing row that already stood for the outlet (same
domain, or named by one of its names) is adopted instead: it gets the registry key, and its
name when it was only what ingest found (the domain, the site name). Rows that existed before
the registry was shipped were adopted, and duplicates merged, by migration 0004.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction

from newsdesk.core.net import domain_of
from newsdesk.sources import remembered
from newsdesk.sources.models import Outlet, OutletAlias
from newsdesk.sources.registry import Entry, name_key, parent_hosts, registry

UNKNOWN = "不明な媒体"


def outlet_for(
    urls: Iterable[str] = (), names: Iterable[str] = (), title: str = "", domains: Iterable[str] = ()
) -> Outlet:
    """The outlet of an article with these URLs (canonical first), bare ``domains`` (a domain
    line of pasted text), site ``names`` and raw ``title``; made when none is stored yet."""
    places = [(domain_of(url), _path(url)) for url in urls if url]
    places += [(domain.lower().removeprefix("www."), "") for domain in domains if domain]
    places = [(host, path) for host, path in dict.fromkeys(places) if host]
    names = [" ".join(name.split()) for name in names if name and name.strip()]
    if outlet := _by_domain(places, create=True):
        if names and not outlet.registry_key and outlet.name == outlet.domain != names[0]:
            # A real name beats the domain we used before we knew it (a site that names itself by
            # its domain, "livescience.com", leaves the row alone: saving it moved every process's
            # outlet lookups, on each of its pages).
            outlet.name = names[0]
            outlet.save(update_fields=["name"])
        return outlet
    entry = next((e for e in map(registry().for_name, names) if e), None) or registry().for_title(title)
    if entry:
        return outlet_for_entry(entry)
    return _unknown(places[0][0] if places else "", names[0] if names else "")


def outlet_for_url(url: str, *, create: bool = True) -> Outlet | None:
    """The outlet of a feed or page address, by its domain only: an alias, the registry or a
    stored outlet; None when nothing knows the domain (or, without ``create``, when the registry
    knows it but no row was made yet)."""
    place = [(domain_of(url), _path(url))] if domain_of(url) else []
    return _by_domain(place, create=create)


def known(url: str) -> bool:
    """Whether ``outlet_for_url`` would find (or make) an outlet for ``url``."""
    return outlet_for_url(url, create=False) is not None or registry().for_url(url) is not None


def outlet_for_entry(entry: Entry) -> Outlet:
    """The row of a registry outlet: found by key, by an alias of the key, by one of its domains or
    names; adopted; else created."""
    if outlet := find_for_entry(entry):
        adopt(outlet, entry)
        return outlet
    taken = entry.primary_domain and Outlet.objects.filter(domain=entry.primary_domain).exists()
    try:
        with transaction.atomic():
            return Outlet.objects.create(
                registry_key=entry.key,
                name=entry.ja,
                name_en=entry.en,
                language=entry.language,
                domain="" if taken else entry.primary_domain,
            )
    except IntegrityError:  # another worker made it first
        outlet = find_for_entry(entry)
        if outlet is None:
            raise
        return outlet


def find_for_entry(entry: Entry) -> Outlet | None:
    return remembered.lookup(("entry", entry.key), lambda: _find_for_entry(entry))


def _find_for_entry(entry: Entry) -> Outlet | None:
    found = Outlet.objects.filter(registry_key=entry.key).first()
    found = found or _alias(OutletAlias.Kind.REGISTRY, entry.key)
    if found is None and entry.hosts:
        found = Outlet.objects.filter(domain__in=entry.hosts).order_by("pk").first()
        found = found or _alias(OutletAlias.Kind.DOMAIN, *entry.hosts)
    if found is None:
        named = Outlet.objects.filter(domain="", registry_key="", name__in=entry.all_names).order_by("pk")
        found = named.first()
    return found


def adopt(outlet: Outlet, entry: Entry) -> None:
    """Links a row to its registry outlet and fills what the registry knows and the row lacks; a
    name ingest made up (the domain, the site name) becomes the Japanese display name, an
    editor's own name stays."""
    changed = []
    if not outlet.registry_key and not Outlet.objects.filter(registry_key=entry.key).exists():
        outlet.registry_key = entry.key
        changed.append("registry_key")
    if outlet.registry_key != entry.key:
        return  # found through an alias: the outlet kept in a merge keeps its own names
    made_up = {name_key(n) for n in (outlet.domain, *entry.all_names, *entry.domains)}
    made_up_name = outlet.name != entry.ja and (not outlet.name or name_key(outlet.name) in made_up)
    # An outlet known only by name keeps it when another such outlet already has the display name.
    if made_up_name and (outlet.domain or not Outlet.objects.filter(domain="", name=entry.ja).exists()):
        outlet.name = entry.ja
        changed.append("name")
    for field, value in (("name_en", entry.en), ("language", entry.language)):
        if not getattr(outlet, field) and value:
            setattr(outlet, field, value)
            changed.append(field)
    if changed:
        outlet.save(update_fields=changed)


def _by_domain(places: list[tuple[str, str]], *, create: bool) -> Outlet | None:
    """For each place (canonical address first): an alias or the registry, whichever names the
    more specific domain (a registry edition's path, bbc.com/japanese, beats an alias of bbc.com);
    then an outlet stored with the domain or a parent domain."""
    # The aliases of every place's domains in one query, and the outlets stored with them in one
    # more when it comes to that: the loop reads nothing that changes while it runs (an outlet is
    # made or changed only by the outlet_for_entry it returns), so each place finds what a query
    # of its own would.
    parents_of = {host: list(parent_hosts(host)) for host, _ in places}
    every = list(dict.fromkeys(parent for parents in parents_of.values() for parent in parents))
    aliases = _aliases(OutletAlias.Kind.DOMAIN, every)
    stored: dict[str, Outlet] | None = None
    for host, path in places:
        parents = parents_of[host]
        match = registry().match(host, path)
        alias = next(((value, aliases[value]) for value in parents if value in aliases), None)
        if alias and not (match and (len(match.host), bool(match.prefix)) > (len(alias[0]), False)):
            return alias[1]
        if match and (outlet := outlet_for_entry(match.entry) if create else find_for_entry(match.entry)):
            return outlet
        if stored is None:
            stored = remembered.lookup(
                ("stored", tuple(every)),
                lambda: {o.domain: o for o in Outlet.objects.filter(domain__in=every)},
            )
        if outlet := next((stored[p] for p in parents if p in stored), None):
            return outlet
    return None


def _alias(kind: str, *values: str) -> Outlet | None:
    found = _alias_match(kind, *values)
    return found[1] if found else None


def _alias_match(kind: str, *values: str) -> tuple[str, Outlet] | None:
    """The first of ``values`` that is an alias of this kind, with its outlet."""
    aliases = _aliases(kind, values)
    return next(((v, aliases[v]) for v in values if v in aliases), None)


def _aliases(kind: str, values: Iterable[str]) -> dict[str, Outlet]:
    """The outlet of each of ``values`` that is an alias of this kind (each is, at most once)."""
    values = tuple(values)

    def read() -> dict[str, Outlet]:
        found = OutletAlias.objects.filter(kind=kind, value__in=values).select_related("outlet")
        return {a.value: a.outlet for a in found}

    # "No alias" is kept too: it is the usual answer, and finding none leads to no write here.
    return remembered.lookup(("aliases", kind, values), read, keep=lambda found: True)


def _unknown(domain: str, name: str) -> Outlet:
    """An outlet the registry does not know: by its domain, or by name when there is no domain."""
    if domain:
        # Made straight away: outlet_for has just found no outlet stored with this domain.
        try:
            with transaction.atomic():
                return Outlet.objects.create(domain=domain, name=name or domain)
        except IntegrityError:  # another worker made it since
            return Outlet.objects.get(domain=domain)
    name = name or UNKNOWN
    if aliased := _alias(OutletAlias.Kind.NAME, name):
        return aliased
    named, _ = Outlet.objects.get_or_create(domain="", name=name)
    return named


def _path(url: str) -> str:
    try:
        return urlsplit(url).path
    except ValueError:
        return ""
