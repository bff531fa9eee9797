"""The glossary as backends see it: terms for one source language, a version, the check.

A term matches as a whole word in Latin script (``Putin`` not inside ``Putinism``), with any
ending in Cyrillic (``Путина`` is ``Путин`` declined), and anywhere in CJK and hangul text. The
version is a hash of the terms that apply to a language, so editing a Korean entry does not make
English paragraphs in the translation memory stale.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

_LATIN = re.compile(r"[A-Za-z0-9\u00c0-\u024f]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
PLACEHOLDER = "ZX{}"
_PLACEHOLDER = re.compile(r"Z\s?X\s?(\d+)")


def _pattern(source: str) -> re.Pattern:
    escaped = re.escape(source)
    if _CYRILLIC.search(source):
        return re.compile(rf"(?<!\w){escaped}\w*")
    if _LATIN.search(source):
        return re.compile(rf"(?<!\w){escaped}(?!\w)")
    return re.compile(escaped)


@dataclass(frozen=True)
class Term:
    source: str
    japanese: str
    pattern: re.Pattern = field(compare=False, repr=False)

    @classmethod
    def of(cls, source: str, japanese: str) -> Term:
        return cls(source, japanese, _pattern(source))


@dataclass(frozen=True)
class Glossary:
    language: str
    terms: tuple[Term, ...] = ()
    version: str = "0"

    @classmethod
    def of(cls, language: str, pairs) -> Glossary:
        """A glossary from (source, japanese) pairs; longest source first so it wins overlaps."""
        unique = sorted({(s.strip(), j.strip()) for s, j in pairs if s.strip() and j.strip()})
        terms = tuple(Term.of(s, j) for s, j in sorted(unique, key=lambda p: (-len(p[0]), p[0])))
        version = "0"
        if unique:
            digest = hashlib.sha256("\n".join(f"{s}\t{j}" for s, j in unique).encode()).hexdigest()
            version = digest[:12]
        return cls(language, terms, version)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def found_in(self, *texts: str) -> list[Term]:
        """Terms present in any of the texts, longest source first."""
        return [term for term in self.terms if any(term.pattern.search(text) for text in texts if text)]

    def as_dict(self) -> dict[str, str]:
        return {term.source: term.japanese for term in self.terms}

    def missing(self, source: str, translation: str) -> list[Term]:
        """Terms in the source whose Japanese form is not in the translation."""
        return [term for term in self.found_in(source) if term.japanese not in translation]

    # Pre/post replacement for backends that take no glossary (CTranslate2): a term becomes a
    # placeholder the model copies through, and the placeholder becomes the Japanese form.
    def protect(self, text: str) -> tuple[str, dict[str, str]]:
        mapping: dict[str, str] = {}
        taken: list[tuple[int, int]] = []
        spans: list[tuple[int, int, Term]] = []
        for term in self.terms:  # longest first: "Sergei Shoigu" before "Shoigu"
            for match in term.pattern.finditer(text):
                start, end = match.span()
                if any(start < e and s < end for s, e in taken):
                    continue
                taken.append((start, end))
                spans.append((start, end, term))
        out, last = [], 0
        for number, (start, end, term) in enumerate(sorted(spans, key=lambda s: s[0]), 1):
            token = PLACEHOLDER.format(number)
            mapping[str(number)] = term.japanese
            out += [text[last:start], token]
            last = end
        out.append(text[last:])
        return "".join(out), mapping

    @staticmethod
    def restore(text: str, mapping: dict[str, str]) -> str:
        return _PLACEHOLDER.sub(lambda m: mapping.get(m.group(1), m.group(0)), text)


def load_glossary(language: str) -> Glossary:
    """Active entries for the language (and those for every language) from the database."""
    from newsdesk.translation.models import GlossaryEntry

    rows = GlossaryEntry.objects.filter(active=True, language__in=[language or "", ""])
    return Glossary.of(language, rows.values_list("source", "japanese"))
