"""The outlet registry: the real outlets the site follows, shipped as data in ``registry.json``.

Each outlet has a key, its Japanese display name (how Japanese media write it: 「ロイター」), its
English name, language, the domains its articles come from (a domain may carry a path prefix,
``bbc.com/japanese``, for an edition that lives under another outlet's domain) and the names and
taglines its pages show: og:site_name, JSON-LD publisher, title suffixes, masthead lines.

Lookups here are pure (no database): by URL or host (the most specific host wins, subdomains
included, then the longest path prefix), by name, by a title's suffix or prefix, and by a line of
pasted text (a masthead, a tagline or a copyright line). Names are compared after NFKC, case
folding and dropping spaces and punctuation; a name listed under an outlet's ``names`` beats
another outlet's display name, so 「ロイター」 on a page is Reuters' Japanese edition.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from newsdesk.core.net import domain_of
from newsdesk.japanese.normalize import nfkc_casefold

PATH = Path(__file__).with_name("registry.json")

_NOT_WORD = re.compile(r"[\W_]+")
# The separators titles put between headline and site name (as in ingest.htmlmeta).
_SEPARATOR = re.compile(r"\s*[|｜：]\s*|\s+[-–—:]\s+|\s+[‐−―]\s+")
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?)?\s*", re.I)
_RIGHTS = re.compile(r"[\s.,。]*(?:all rights reserved|無断転載[^\s]*)[\s.。]*$", re.I)
LONGEST_LINE = 100  # masthead and tagline lines are short


def name_key(text: str) -> str:
    """Comparison key of a name: NFKC, case-folded, without spaces and punctuation."""
    return _NOT_WORD.sub("", nfkc_casefold(text or ""))


@dataclass(frozen=True)
class Entry:
    key: str
    ja: str
    en: str
    language: str
    domains: tuple[str, ...]
    names: tuple[str, ...] = ()
    taglines: tuple[str, ...] = ()

    @property
    def primary_domain(self) -> str:
        """The first domain without a path; "" when every one has a path (an edition inside
        another outlet's site, like BBC News Japan under bbc.com/japanese)."""
        return next((d for d in self.domains if "/" not in d), "")

    @property
    def hosts(self) -> list[str]:
        return [d for d in self.domains if "/" not in d]

    @property
    def all_names(self) -> list[str]:
        return list(dict.fromkeys([self.ja, self.en, *self.names]))


class Match(NamedTuple):
    host: str  # the listed domain matched: the host itself or a parent
    prefix: str  # the path prefix matched, "" for the whole domain
    entry: Entry


@dataclass
class Registry:
    entries: dict[str, Entry] = field(default_factory=dict)
    by_host: dict[str, list[tuple[str, Entry]]] = field(default_factory=dict)  # host -> (path, entry)
    by_name: dict[str, Entry] = field(default_factory=dict)
    by_tagline: dict[str, Entry] = field(default_factory=dict)

    def get(self, key: str) -> Entry | None:
        return self.entries.get(key)

    def for_url(self, url: str) -> Entry | None:
        try:
            path = urlsplit(url).path if url else ""
        except ValueError:
            path = ""
        return self.for_host(domain_of(url), path)

    def for_host(self, host: str, path: str = "") -> Entry | None:
        """The outlet of ``host`` (or the nearest parent domain that is listed) and ``path``."""
        found = self.match(host, path)
        return found.entry if found else None

    def match(self, host: str, path: str = "") -> Match | None:
        """The listed domain ``host`` and ``path`` fall under: the most specific host (``host``
        itself, then its parents), then the longest path prefix."""
        path = "/" + path.strip("/") if path.strip("/") else ""
        for candidate in parent_hosts(host):
            for prefix, entry in self.by_host.get(candidate, ()):
                if not prefix or path == prefix or path.startswith(prefix + "/"):
                    return Match(candidate, prefix, entry)
        return None

    def for_name(self, name: str) -> Entry | None:
        return self.by_name.get(name_key(name)) if name else None

    def for_title(self, title: str) -> Entry | None:
        """The outlet a title names after (or before) its headline: "… - BBC News", "…｜ロイター"."""
        seps = list(_SEPARATOR.finditer(title or ""))
        for tail in seps[::-1][:2]:
            if entry := self.for_name(title[tail.end() :]):
                return entry
        for head in seps[:2]:
            if entry := self.for_name(title[: head.start()]):
                return entry
        return None

    def names_for(self, url: str = "", title: str = "") -> list[str]:
        """Every name of the outlet ``url`` or ``title`` names, for cutting them off titles."""
        entry = self.for_url(url) if url else None
        entry = entry or (self.for_title(title) if title else None)
        return entry.all_names if entry else []

    def for_line(self, line: str) -> Entry | None:
        """The outlet whose masthead, tagline or copyright line ``line`` is (a whole line)."""
        text = " ".join((line or "").split())
        if not text or len(text) > LONGEST_LINE:
            return None
        if entry := self.for_name(text) or self.by_tagline.get(name_key(text)):
            return entry
        holder = _RIGHTS.sub("", _COPYRIGHT.sub("", text)) if _COPYRIGHT.match(text) else ""
        return self.for_name(holder.strip(" .,")) if holder and holder != text else None


def parent_hosts(host: str) -> Iterator[str]:
    """``host`` and its parent domains down to two labels (www3.nhk.or.jp, nhk.or.jp, or.jp);
    an IP address or an empty host gives only itself (or nothing)."""
    host = (host or "").lower().strip(".").removeprefix("www.")
    if not host:
        return
    yield host
    try:
        ipaddress.ip_address(host.strip("[]"))
        return
    except ValueError:
        pass
    labels = host.split(".")
    for start in range(1, len(labels) - 1):
        yield ".".join(labels[start:])


def load(path: Path = PATH) -> Registry:
    """Reads and checks the registry: keys, domains and explicit names are each listed once."""
    data = json.loads(path.read_text(encoding="utf-8"))
    registry = Registry()
    explicit: dict[str, str] = {}
    for row in data["outlets"]:
        entry = Entry(
            key=row["key"],
            ja=row["ja"],
            en=row["en"],
            language=row.get("language", ""),
            domains=tuple(row["domains"]),
            names=tuple(row.get("names", ())),
            taglines=tuple(row.get("taglines", ())),
        )
        if entry.key in registry.entries:
            raise ValueError(f"registry: key {entry.key!r} is listed twice")
        registry.entries[entry.key] = entry
        for domain in entry.domains:
            host, _, prefix = domain.partition("/")
            if host != host.lower() or host.startswith("www."):
                raise ValueError(f"registry: write {domain!r} in lower case, without www.")
            rows = registry.by_host.setdefault(host, [])
            if any(p == ("/" + prefix if prefix else "") for p, _ in rows):
                raise ValueError(f"registry: domain {domain!r} is listed twice")
            rows.append(("/" + prefix.strip("/") if prefix else "", entry))
            rows.sort(key=lambda row: -len(row[0]))
        for name in entry.names:
            key = name_key(name)
            if explicit.get(key, entry.key) != entry.key:
                raise ValueError(f"registry: name {name!r} is listed for {explicit[key]!r} and {entry.key!r}")
            explicit[key] = entry.key
        for tagline in entry.taglines:
            registry.by_tagline[name_key(tagline)] = entry
    # Display names first, then the explicit names over them.
    for entry in registry.entries.values():
        for name in (entry.ja, entry.en):
            registry.by_name.setdefault(name_key(name), entry)
    registry.by_name.update({key: registry.entries[owner] for key, owner in explicit.items()})
    return registry


@cache
def registry() -> Registry:
    """The shipped registry, read once per process."""
    return load()
