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

The prunes that run are run without their regular expressions (``bound``): each ``re:test(@class,
'R')`` becomes ``@class = $v``, ``$v`` the page's class values that R finds, found once per page
with Python's ``re`` over its distinct values instead of once per element of every copy pruned.
For the same reason as above (no value is added to the copies) an element's value is one of them,
and the two tests agree on every element, the ones without the attribute too (R must not match the
empty string, or the test is left as it is).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml.etree import Element, XPath, _Element
from lxml.html import HtmlElement
from trafilatura.xpaths import REGEXP_NS

# One test of the second condition: re:test(@id, '...'), contains(@class, '...'), and the same on
# "@id|@class" (the first of the two: either may be it).
_TEST = re.compile(r"(re:test|contains)\((@id|@class|@id\|@class|@class\|@id), '([^']*)'\)")
_TAG_TEST = re.compile(r"self::[a-z]+(?:\s+or\s+self::[a-z]+)*")
_ONLY_OR = re.compile(r"(?:\s*or\s*)*")
# A path that starts at the document's root: "/" or "//" where a path begins.
_ABSOLUTE = re.compile(r"(?:^|[\s(|\[,])/")
# A regular expression test on the attributes whose values a page's marks hold (lxml reads a
# union's first attribute in document order).
_RE_TEST = re.compile(r"re:test\((@(?:class|id|style)(?:\|@(?:class|id|style))*), '([^']*)'\)")


Names = tuple[str, ...]  # of attributes: ("class",), ("id", "class") ...


@dataclass(frozen=True, slots=True)
class Marks:
    """The distinct class, id and style values of a page."""

    classes: frozenset[str]
    ids: frozenset[str]
    styles: frozenset[str] = frozenset()
    # (attributes, pattern): the values of the attributes it finds, as text and as nodes an XPath
    # variable can hold (None: one cannot, a control character lxml keeps in an attribute only)
    _found: dict[tuple[Names, str], list[str]] = field(default_factory=dict, compare=False, repr=False)
    _nodes: dict[tuple[Names, str], list[_Element] | None] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def of(cls, tree: HtmlElement) -> Marks:
        classes, ids, styles = set(), set(), set()
        for element in tree.iter():
            if (class_ := element.get("class")) is not None:
                classes.add(class_)
            if (id_ := element.get("id")) is not None:
                ids.add(id_)
            if (style := element.get("style")) is not None:
                styles.add(style)
        return cls(frozenset(classes), frozenset(ids), frozenset(styles))

    def found(self, attributes: Names, pattern: str) -> list[str]:
        """The values of these attributes that ``pattern`` finds, searched once per page."""
        key = (attributes, pattern)
        if (found := self._found.get(key)) is None:
            search = _compiled(pattern)
            of = {"class": self.classes, "id": self.ids, "style": self.styles}
            values = (
                of[attributes[0]] if len(attributes) == 1 else set().union(*(of[name] for name in attributes))
            )
            found = self._found[key] = [value for value in values if search(value)]
        return found

    def nodes(self, attributes: Names, pattern: str) -> list[_Element] | None:
        key = (attributes, pattern)
        if key not in self._nodes:
            try:
                self._nodes[key] = [_node(value) for value in self.found(attributes, pattern)]
            except ValueError:
                self._nodes[key] = None
        return self._nodes[key]


def _node(value: str) -> _Element:
    node = Element("v")
    node.text = value
    return node


@functools.cache
def _compiled(pattern: str) -> Callable[[str], re.Match[str] | None]:
    return re.compile(pattern).search


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
    names = tuple(name.removeprefix("@") for name in attributes.split("|"))
    if function == "re:test":  # the values it finds are asked for again when the expression runs
        return lambda marks: bool(marks.found(names, argument))
    return lambda marks: (
        ("class" in names and any(argument in value for value in marks.classes))
        or ("id" in names and any(argument in value for value in marks.ids))
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


def may_match(marks: Marks, expression: XPath) -> bool:
    """Whether ``expression`` may select an element of the page these are the marks of."""
    test = condition(expression.path)
    return test is None or test(marks)


@dataclass(frozen=True)
class Rewritten:
    """An expression with its regular expression tests made comparisons with variables ``v0`` ...,
    each the values of ``terms[n]`` = (attributes, pattern) that the pattern finds."""

    xpath: XPath
    terms: tuple[tuple[Names, str], ...]


@functools.cache
def rewritten(path: str) -> Rewritten | None:
    """None for an expression that reads outside the tree it is called on (``//x``: the whole
    document, whose values the tree's marks may not hold) or has no test to rewrite."""
    if _ABSOLUTE.search(path):
        return None
    terms: list[tuple[Names, str]] = []

    def comparison(test: re.Match[str]) -> str:
        attributes, pattern = test.groups()
        if re.search(pattern, "") is not None:  # true without the attribute: no comparison is
            return test.group()
        terms.append((tuple(name.removeprefix("@") for name in attributes.split("|")), pattern))
        return f"{attributes if '|' not in attributes else f'({attributes})[1]'} = $v{len(terms) - 1}"

    path = _RE_TEST.sub(comparison, path)
    return Rewritten(XPath(path, namespaces={"re": REGEXP_NS}), tuple(terms)) if terms else None


def bound(marks: Marks, expression: XPath) -> Callable[[_Element], Any]:
    """``expression`` as it selects on the page these are the marks of: its regular expressions
    answered from the page's values where it has them."""
    shape = rewritten(expression.path)
    if shape is None:
        return expression
    variables: dict[str, Any] = {}
    for number, (attributes, pattern) in enumerate(shape.terms):
        nodes = marks.nodes(attributes, pattern)
        if nodes is None:
            return expression
        variables[f"v{number}"] = nodes
    return functools.partial(shape.xpath, **variables)
