"""trafilatura's prunes, skipped on pages where no element can match them.

trafilatura prunes a page with a dozen long XPath expressions (comment sections, infinite-scroll
containers, share buttons ...), most of them regular expressions on an element's class or id
(EXSLT's re:test, a Python call for each element tested): about a millisecond each on a news page,
most often to remove nothing. Which of them can match is known from the page's class and id values
alone, read once (``Marks``): an expression of the shape

    .//*[self::div or self::section ...][re:test(@id, 'R') or contains(@class, 'S') or ...][...]

selects only elements with a class or id that the regular expressions (Python's ``re``, as EXSLT
in lxml) or substrings of its attribute condition find; the tag test and any later conditions only
narrow that down. trafilatura prunes copies of the page and never adds a class or an id, so no value
it tests is missing from the page's own. An expression of another shape is always run.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml.etree import XPath
from lxml.html import HtmlElement

# One test of the second condition: re:test(@id, '...'), contains(@class, '...'), and the same on
# "@id|@class" (the first of the two: either may be it).
_TEST = re.compile(r"(re:test|contains)\((@id|@class|@id\|@class|@class\|@id), '([^']*)'\)")
_TAG_TEST = re.compile(r"self::[a-z]+(?:\s+or\s+self::[a-z]+)*")
_ONLY_OR = re.compile(r"(?:\s*or\s*)*")


@dataclass(frozen=True, slots=True)
class Marks:
    """The distinct class and id values of a page."""

    classes: frozenset[str]
    ids: frozenset[str]

    @classmethod
    def of(cls, tree: HtmlElement) -> Marks:
        classes, ids = set(), set()
        for element in tree.iter():
            if (class_ := element.get("class")) is not None:
                classes.add(class_)
            if (id_ := element.get("id")) is not None:
                ids.add(id_)
        return cls(frozenset(classes), frozenset(ids))


Test = Callable[[Marks], bool]


def _predicates(path: str) -> list[str]:
    """The conditions in the top-level brackets of ``path`` (quoted text read as text)."""
    found, depth, quote, start = [], 0, "", 0
    for position, char in enumerate(path):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "[":
            depth += 1
            start = position + 1 if depth == 1 else start
        elif char == "]":
            depth -= 1
            if depth == 0:
                found.append(path[start:position])
    return found


def _term(function: str, attributes: str, argument: str) -> Test:
    if function == "re:test":
        pattern = re.compile(argument)
        matches: Callable[[str], bool] = lambda value: pattern.search(value) is not None  # noqa: E731
    else:
        matches = lambda value: argument in value  # noqa: E731
    read_class, read_id = "@class" in attributes, "@id" in attributes
    return lambda marks: (
        (read_class and any(map(matches, marks.classes))) or (read_id and any(map(matches, marks.ids)))
    )


@functools.cache
def condition(path: str) -> Test | None:
    """What an element must have for ``path`` to select it, as a test of a page's marks; None when
    ``path`` has another shape."""
    predicates = _predicates(path)
    if not path.strip().startswith(".//*[") or not predicates:
        return None
    # The tag test first, when there is one: the attribute test then comes second.
    if _TAG_TEST.fullmatch(predicates[0].strip()):
        predicates = predicates[1:]
    terms = [_term(*match.groups()) for match in _TEST.finditer(predicates[0])] if predicates else []
    if not terms or not _ONLY_OR.fullmatch(_TEST.sub("", predicates[0])):
        return None
    return lambda marks: any(term(marks) for term in terms)


def may_match(marks: Marks, expressions: list[XPath]) -> bool:
    """Whether any of ``expressions`` may select an element of the page these are the marks of."""
    for expression in expressions:
        test = condition(expression.path)
        if test is None or test(marks):
            return True
    return False
