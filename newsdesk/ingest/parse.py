"""Parsing a page into the tree trafilatura and the metadata readers share.

The same steps and parser settings as ``trafilatura.utils.load_html`` for text already decoded,
with one difference: lxml.html's parser decides each element's Python class in a Python callback
(``HtmlElementClassLookup``: a form is a FormElement, an input an InputElement ...), run every time
lxml hands an element to Python, some four thousand times a page between trafilatura and our
readers. Neither uses those classes, so every element here is a plain ``HtmlElement`` chosen in C:
the same tree and the same extraction, about a millisecond a page sooner.
"""

from __future__ import annotations

from lxml.etree import ElementDefaultClassLookup
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HTMLParser, HtmlProcessingInstruction, fromstring
from trafilatura.utils import is_dubious_html, repair_faulty_html

# trafilatura.utils.HTML_PARSER's settings (lxml's stubs do not know default_doctype).
_PARSER = HTMLParser(  # type: ignore[call-arg]
    collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
)
_PARSER.set_element_class_lookup(
    ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
    )
)


def _from_bytes(html: str) -> HtmlElement | None:
    try:
        return fromstring(html.encode("utf8", "surrogatepass"), parser=_PARSER)
    except Exception:  # what lxml raises on input it cannot read at all varies
        return None


def parse_html(html: str) -> HtmlElement | None:
    """The page's tree, or None when it is no HTML (as trafilatura's loader decides)."""
    beginning = html[:50].lower()
    html = repair_faulty_html(html, beginning)
    try:
        tree = fromstring(html, parser=_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        return _checked(_from_bytes(html), beginning)
    except Exception:
        tree = None
    if tree is None or len(tree) < 1:
        tree = _from_bytes(html)
    return _checked(tree, beginning)


def _checked(tree: HtmlElement | None, beginning: str) -> HtmlElement | None:
    # Text that does not look like HTML must at least parse into a head and a body.
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree
