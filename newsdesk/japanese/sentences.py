"""Sentence splitting for Japanese (and English) news text.

Rules, in order of precedence:

* Line breaks always end a sentence (paragraphs never share a sentence).
* 。 ｡ ！ ？ (and ASCII ``!`` ``?`` in Japanese context) end a sentence, but never inside a matched
  pair of brackets or quotes (「」『』（）()［］【】“” ...), nested or not.
* An ASCII or full-width full stop (``.`` ``．``) ends a sentence only when whitespace follows and the
  next word starts like a sentence (capital letter, digit, quote or Japanese character), and the word
  before it is not an abbreviation (``U.S.``, ``J.D.``, ``No.``, ``Mr.``, initials ...). Decimal
  numbers such as ``3.5％`` never contain whitespace, so they are never split.
* Runs of terminators (``！！``, ``？！``, ``!?``) and closing brackets/quotes that follow a terminator
  stay with the sentence they end.
* A quotation that ends a sentence (``「……。」``) is followed by a break when the next character
  starts a new sentence (not a particle such as と or の).

Whitespace around sentences is stripped and empty sentences are dropped. Brackets that are not
closed within their paragraph do not protect anything, except quotes 「」『』 that run across
paragraph boundaries (their continuation line is protected up to the closing quote).
"""

from __future__ import annotations

import re

__all__ = ["split_sentences", "split_paragraphs", "is_terminated", "TERMINATORS", "CLOSERS"]

# Strong terminators: always end a sentence outside brackets.
_STRONG = frozenset("。｡！？‼⁇⁈⁉")
# ASCII ! and ? end a sentence when followed by whitespace/end or used in Japanese context.
_WEAK = frozenset("!?")
_PERIODS = frozenset(".．")
TERMINATORS = _STRONG | _WEAK | _PERIODS

_PAIRS = {
    "「": "」",
    "『": "』",
    "（": "）",
    "(": ")",
    "［": "］",
    "[": "]",
    "【": "】",
    "〔": "〕",
    "〈": "〉",
    "《": "》",
    "｛": "｝",
    "{": "}",
    "“": "”",
    "‘": "’",
    "｢": "｣",
}
_CLOSE_TO_OPEN = {v: k for k, v in _PAIRS.items()}
CLOSERS = frozenset(_CLOSE_TO_OPEN) | frozenset("\"'")
# Quote marks that commonly run over a paragraph break in news copy.
_SPANNING_OPEN = frozenset("「『“｢")
_SPANNING_CLOSE = frozenset(_PAIRS[o] for o in _SPANNING_OPEN)

_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft no nos vol vols fig figs ed eds rev gen col lt sgt capt cmdr adm
    gov sen rep pres supt insp det co corp inc ltd llc bros dept univ assn est approx vs etc al ca cf
    ie eg jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun p pp op
    """.split()  # noqa: SIM905
)
_NEW_SENTENCE_START = re.compile(r"[A-Z0-9\"'“‘「『(（\[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")
_HIRAGANA = re.compile(r"[\u3040-\u309f]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")
_BRACKETS = re.compile("[" + re.escape("".join((*_PAIRS, *_CLOSE_TO_OPEN))) + "]")
_SIGNIFICANT = re.compile(
    "[" + re.escape("".join(sorted(_STRONG | _WEAK | _PERIODS | _SPANNING_CLOSE))) + "]"
)


def _protected_spans(line: str, carry: list[str]) -> tuple[list[bool], list[str]]:
    """Mark characters of ``line`` that sit inside matched brackets.

    ``carry`` holds spanning quotes left open by previous paragraphs; returns the mask and the quotes
    still open at the end of this line.
    """
    inside = [False] * len(line)
    stack: list[tuple[str, int]] = []  # (opening char, position)
    carried = list(carry)
    for match in _BRACKETS.finditer(line):  # the brackets only: other characters change nothing
        i, ch = match.start(), match.group()
        if ch in _PAIRS:
            stack.append((ch, i))
        else:
            opener = _CLOSE_TO_OPEN[ch]
            depth = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == opener), None)
            if depth is not None:
                start = stack[depth][1]
                del stack[depth:]
                inside[start + 1 : i] = [True] * (i - start - 1)
            elif ch in _SPANNING_CLOSE and carried and carried[-1] == opener:
                # Continuation of a quote opened in an earlier paragraph.
                carried.pop()
                stack.clear()
                inside[:i] = [True] * i
    open_quotes = carried + [ch for ch, _ in stack if ch in _SPANNING_OPEN]
    return inside, open_quotes[-3:]


def _word_before(line: str, i: int) -> str:
    j = i
    while j > 0 and not line[j - 1].isspace() and line[j - 1] not in "(（「『\"'“":
        j -= 1
    return line[j:i]


def _is_abbreviation(word: str) -> bool:
    if not word:
        return True
    if "." in word or "．" in word:  # U.S. / J.D. / e.g. -- inner periods mean an abbreviation
        return True
    if len(word) == 1 and word.isalpha():  # initials: "J. Smith"
        return True
    return word.lower() in _ABBREVIATIONS


def _split_line(line: str, inside: list[bool]) -> list[str]:
    out: list[str] = []
    n = len(line)
    start = 0
    i = 0
    while i < n:
        # Only terminators and closing quotes can end a sentence: skip to the next one.
        significant = _SIGNIFICANT.search(line, i)
        if significant is None:
            break
        i = significant.start()
        ch = line[i]
        cut = False
        if not inside[i]:
            if ch in _STRONG:
                cut = True
            elif ch in _WEAK:
                nxt = line[i + 1] if i + 1 < n else ""
                prev = line[i - 1] if i > 0 else ""
                cut = (
                    not nxt
                    or nxt.isspace()
                    or nxt in TERMINATORS
                    or nxt in CLOSERS
                    or (bool(prev) and ord(prev) > 0x2000 and ord(nxt) > 0x2000)
                )
            elif ch in _PERIODS:
                j = i + 1
                while j < n and (line[j] in CLOSERS):
                    j += 1
                if j >= n:
                    cut = not (i > 0 and line[i - 1].isdigit() and ch == "．")
                elif line[j].isspace():
                    k = j
                    while k < n and line[k].isspace():
                        k += 1
                    cut = (
                        k < n
                        and _NEW_SENTENCE_START.match(line[k]) is not None
                        and not _is_abbreviation(_word_before(line, i))
                    )
            elif ch in _SPANNING_CLOSE and i > 0 and line[i - 1] in _STRONG and inside[i - 1]:
                # 「……。」 closing a quoted sentence: break if a new sentence starts after it.
                j = i + 1
                while j < n and line[j] in CLOSERS:
                    j += 1
                k = j
                while k < n and line[k].isspace():
                    k += 1
                if k < n and line[k] not in "、，,。．" and not _HIRAGANA.match(line[k]):
                    out.append(line[start:j])
                    start = i = j
                    continue
        if cut:
            j = i + 1
            # absorb further terminators and closing brackets/quotes
            while (
                j < n
                and (line[j] in TERMINATORS or line[j] in CLOSERS)
                and not (line[j] in _PERIODS and j + 1 < n and line[j + 1].isdigit())
            ):
                j += 1
            out.append(line[start:j])
            start = i = j
            continue
        i += 1
    if start < n:
        out.append(line[start:])
    return out


def split_paragraphs(text: str) -> list[str]:
    """Split on line breaks; strip whitespace, drop empty paragraphs."""
    return [p.strip() for p in _LINE_BREAKS.split(text or "") if p.strip()]


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences (see the module docstring for the rules)."""
    sentences: list[str] = []
    carry: list[str] = []
    for line in _LINE_BREAKS.split(text or ""):
        if not line.strip():
            continue
        inside, carry = _protected_spans(line, carry)
        for sentence in _split_line(line, inside):
            sentence = sentence.strip()
            if sentence and any(c.isalnum() for c in sentence):
                sentences.append(sentence)
    return sentences


_END = re.compile(r"[。｡！？!?.．‼⁇⁈⁉][\s" + re.escape("".join(sorted(CLOSERS))) + r"]*$")


def is_terminated(sentence: str) -> bool:
    """True when ``sentence`` ends with a sentence terminator (optionally followed by closers)."""
    return bool(_END.search(sentence.strip()))
