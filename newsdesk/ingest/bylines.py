"""Who wrote it and for whom: byline lines and outlet names (the biography is in ``bios``).

:func:`parse_byline` reads a line that stands where bylines stand; :func:`author_line` says whether a
line is nothing but an author line wherever it stands, and how sure that is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .textlines import match_key

_OUTLET_WORDS = re.compile(
    r"\b(?:times|news|post|herald|journal|daily|tribune|press|review|weekly|monthly|magazine|gazette"
    r"|telegraph|guardian|observer|monitor|diplomat|agency|network|media|broadcasting|tv|radio|online"
    r"|wire|reuters|afp|ap|bloomberg|nikkei|xinhua|yonhap|tass|bbc|cnn|nhk|kbs|mbc|sbs|insider"
    r"|economist|chronicle|standard|express|mail|report|today|ledger|bulletin|dispatch|courier)\b"
    r"|通信|新聞|日報|放送|テレビ|タイムズ|ニュース|ポスト|ジャーナル|新報|時報|週刊|月刊|社$|일보|뉴스|신문|방송|通讯社|日报",
    re.I,
)
_EN_NAME = re.compile(
    r"^(?:(?:dr|prof|mr|ms|mrs)\.?\s+)?[A-Z][a-zA-Z'’.-]*(?:\s+(?:[A-Z][a-zA-Z'’.-]*|de|van|von|da|del|bin|al|le)){1,3}"
    r"(?:\s+and\s+[A-Z][a-zA-Z'’.-]*(?:\s+[A-Z][a-zA-Z'’.-]*){1,3})?$"
)
_JA_NAME = re.compile(  # 山田花子, 山田 花子, 山田さくら, ジョン・スミス
    r"^[\u4e00-\u9fff々]{1,4}\s?(?:[\u4e00-\u9fff々]{1,4}|[\u3041-\u3096]{2,5}|[\u30a1-\u30fa\u30fc]{2,6})$"
    r"|^[\u30a1-\u30fa\u30fc]{2,10}(?:[・\s][\u30a1-\u30fa\u30fc]{2,10}){0,2}$"
)
# (?<!\s)\s*+ here and below: white space is tried where its run starts, and once, so a long run of
# spaces inside a line is not tried again from each of its spaces (quadratic in the run).
_JA_NAME_SUFFIX = re.compile(r"(?<!\s)\s*+(?:氏|記者|特派員|編集委員|論説委員|支局長|さん)$")
_BY_PREFIX = re.compile(
    r"^(?:by|written by|words by|text by|story by|words and pictures by|text and photos by)\s+(?P<v>.+)$"
    # longer labels first: 「文・写真：」 is not 「文」 followed by a name
    r"|^(?:取材・構成・文|取材・執筆|取材・文|構成・文|文・写真|写真・文|文と写真|文|筆者|執筆|著者|記者|寄稿"
    r"|writer|author|reporter|byline)\s*[:：/／=＝・]\s*(?P<w>.+)$",
    re.I,
)
# A Japanese word that ends like an organisation is no personal name: 政治部, 外務省, 東京都
_ORG_END = re.compile(r"[部局課班室社省庁党会院所国県都市府町村]$")
# A separator with the white space before it; the white space after it stays with the next part.
_PARTS = re.compile(r"(?<!\s)(?:\s*+[|｜,、／]|\s++[/\-–—](?=\s))")


# What may stand beside the name in a body paragraph that is only the byline: "By", a desk
# (報道部、ソウル支局), a title (記者), punctuation.
_BYLINE_REST = re.compile(
    r"(?:by|and|[\u4e00-\u9fff\u30a0-\u30ff]{0,8}(?:部|局|支局|記者|特派員)|[\s:：/／|｜、,・()（）])*", re.I
)


def is_byline_paragraph(text: str, names: list[str]) -> bool:
    """A short paragraph that says nothing but who wrote the article (``names``, the byline already
    read): 「報道部　野々宮 翔太」, "By Jane Doe". Spacing inside a name counts for nothing."""
    if len(text) > 60 or not names:
        return False
    rest = "".join(text.split())
    for name in sorted(names, key=len, reverse=True):
        rest = rest.replace("".join(name.split()), " ")
    return rest != "".join(text.split()) and _BYLINE_REST.fullmatch(rest) is not None


def is_outlet_name(text: str) -> bool:
    return bool(_OUTLET_WORDS.search(text)) and len(text) <= 60


def is_person_name(text: str) -> bool:
    """A personal name as bylines write them: ``John Smith``, ``山田花子``, ``山田花子記者``."""
    text = _JA_NAME_SUFFIX.sub("", text.strip())
    if not text or is_outlet_name(text) or any(ch.isdigit() for ch in text):
        return False
    return bool(_EN_NAME.match(text) or (_JA_NAME.match(text) and not _ORG_END.search(text)))


def clean_person(text: str) -> str:
    return _JA_NAME_SUFFIX.sub("", text.strip()).strip()


def parse_byline(text: str) -> tuple[str, str, bool]:
    """(author, outlet, sure) read from one byline line; sure when a ``By``/``文：`` prefix says so.

    ``John Smith, Example Times``, ``By Jane Doe | Harbor Ledger``, ``サンプル通信 山田花子記者``,
    ``Example Times`` (outlet only). Parts that are neither a name nor an outlet come back empty.
    """
    author = outlet = ""
    m = _BY_PREFIX.match(text.strip())
    sure = bool(m)
    body = (m.group("v") or m.group("w")) if m else text.strip()
    paren = re.match(r"^(?P<a>[^(（]+)[(（](?P<b>[^)）]+)[)）]$", body)
    parts = [paren.group("a"), paren.group("b")] if paren else _PARTS.split(body)
    if len(parts) == 1 and " " in body and _JA_NAME_SUFFIX.search(body):  # サンプル通信 山田花子記者
        head, _, tail = body.rpartition(" ")
        parts = [head, tail]
    for part in (p.strip() for p in parts if p.strip()):
        if not outlet and is_outlet_name(part):
            outlet = part
        elif not author and (is_person_name(part) or (sure and not author and len(part) <= 40)):
            author = clean_person(part)
    return author, outlet, sure


# --- a line that is nothing but an author line ----------------------------------------------------


@dataclass(frozen=True)
class AuthorLine:
    author: str
    outlet: str = ""
    sure: bool = True  # a label, a staff title or a credit says so; False for a name alone


_LEADING_DASH = re.compile(r"^[—–―‐-]+\s*")
# A contact after the name: 「キム・ミンジ記者 (お問い合わせ japan@example.kr )」, "(jane@example.com)"
_CONTACT = re.compile(
    r"(?<!\s)\s*+[(（][^()（）]*(?:@|問い合わせ|contact|e-?mail|メール)[^()（）]*[)）]$", re.I
)
_STAFF_TITLE = re.compile(r"(?:記者|特派員|編集委員|論説委員|解説委員|支局長)$")
# The credit line of Japanese papers: 【ソウル＝山田花子】, （北京＝佐藤一郎記者）, （山田花子記者）
_CREDIT = re.compile(
    r"^[（(【〔［\[]\s*(?:[^＝=）)】〕］\]]{1,12}[＝=]\s*)?(?P<name>[^＝=）)】〕］\]]{2,24}?)\s*[）)】〕］\]]$"
)
_DESK = re.compile(r"(?:編集部|取材班|編集室)$|\b(?:staff|desk|newsroom)$", re.I)
_SENTENCE_END = re.compile(r"[。！？!?]|[a-z]{2}\.$")


def author_line(text: str) -> AuthorLine | None:
    """The author a line gives when the whole line is an author line, else None; a sentence that
    merely names someone is never one.

    Sure: a label (``By Jane Roe``, ``Written by ...``, ``文：``, ``筆者：``, ``取材・文／``, ``記者：``)
    followed by a name, a name with a staff title (``山田花子記者``, ``サンプル通信 山田花子記者``) or a
    paper's credit (``【ソウル＝山田花子】``). Not sure: a personal name alone, in Latin letters
    (``Hanako Yamada``, ``HANAKO YAMADA``) or in kanji with a space (``山田 花子``): a reader takes it
    only where bylines stand (near the headline, under a pull quote).
    """
    line = _CONTACT.sub("", _LEADING_DASH.sub("", text.strip())).strip()
    if not line or len(line) > 80 or _SENTENCE_END.search(line):
        return None
    label = _BY_PREFIX.match(line)
    if label:
        author, outlet, _ = parse_byline(line)
        # "By" also opens phrases ("By Any Means Necessary"): after it, a name by the strict test
        person = latin_name(author) if label.group("v") else is_person_name(author)
        named = bool(person) or bool(_DESK.search(author))
        return AuthorLine(capitals_to_title(author), outlet) if author and named else None
    credit = _CREDIT.match(line)
    if credit and ("＝" in line or "=" in line or _STAFF_TITLE.search(credit.group("name"))):
        name = clean_person(credit.group("name"))
        return AuthorLine(name) if is_person_name(name) else None
    if _STAFF_TITLE.search(line):
        author, outlet, _ = parse_byline(line)
        return AuthorLine(author, outlet) if author and is_person_name(author) else None
    name = latin_name(line) or spaced_japanese_name(line)
    return AuthorLine(name, sure=False) if name else None


# Words that are no part of a personal name though a headline, a label or a kicker capitalises them
# ("A New Era", "South Korea", "Opinion Analysis"): English function words, desk and region labels.
_NOT_NAME_TEXT = """
a an the of in on at to for from with by and or but nor not no is are was were be been has have
any all every each some one other many much few here there now then just only also very so than
too we you they he she us them me him i
had will would can could may might must should do does did why how what who when where which
this that these those it its our your their his her my new more most first last next after
before over under into out up down about against between amid as via news opinion analysis
commentary editorial editorials column columns feature features world asia pacific business
politics economy markets market tech technology science sports sport culture life lifestyle
style travel video videos live updates update breaking exclusive interview podcast newsletter
subscribe share follow read comments comment contents home menu search author authors
contributor contributors staff editor editors reporter correspondent north south east west
central middle korea japan china taiwan russia mongolia hong kong united states kingdom republic
island islands sea strait peninsula region city province ministry government council institute
university center centre foundation agency press review report today week weekend daily policy
security defense defence trade energy climate war peace deal talks summit election elections
"""
_NOT_NAME_WORDS = frozenset(_NOT_NAME_TEXT.split())
_PARTICLES = frozenset(
    {"de", "da", "del", "della", "di", "du", "van", "von", "der", "den", "ter", "le", "la"}
    | {"bin", "binti", "al", "el"}
)
_LATIN_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]+)*\.?$")


def _latin_person(part: str) -> bool:
    words = part.split()
    named = [w for w in words if w not in _PARTICLES]
    if not 2 <= len(named) <= 4 or words[0] in _PARTICLES or words[-1] in _PARTICLES:
        return False
    for word in named:
        if not _LATIN_WORD.match(word) or not word[0].isupper() or word.casefold() in _NOT_NAME_WORDS:
            return False
        if word.casefold().endswith(("'s", "’s")):
            return False  # a possessive: "Kim's Gamble" is a headline
    return True


def latin_name(text: str) -> str:
    """``Hanako Yamada``, ``HANAKO YAMADA`` (given in title case), ``Jane Roe and John Doe``: one to
    three personal names alone on the line, 2-4 capitalised words each; "" for anything else."""
    line = text.strip()
    latin = all(ord(c) < 0x250 for c in line if c.isalpha())  # no kana, kanji, hangul, cyrillic
    if len(line) > 60 or not latin or is_outlet_name(line):
        return ""
    parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+(?:and|&)\s+", line, flags=re.I) if p.strip()]
    if not 1 <= len(parts) <= 3 or not all(_latin_person(p) for p in parts):
        return ""
    if len(parts) == 1:
        return capitals_to_title(line)
    return ", ".join(capitals_to_title(p) for p in parts[:-1]) + " and " + capitals_to_title(parts[-1])


_SPACED_JA_NAME = re.compile(
    r"^[\u4e00-\u9fff々]{1,3}[ \u3000](?:[\u4e00-\u9fff々]{1,3}|[\u3041-\u3096]{2,4})$"
)


def spaced_japanese_name(text: str) -> str:
    """``山田 花子``: family and given name with a space, as bylines set them; "" otherwise."""
    line = text.strip()
    return line if _SPACED_JA_NAME.match(line) and not _ORG_END.search(line) else ""


def capitals_to_title(name: str) -> str:
    """A name a page's style sets in capitals, as it is written: "MARY O'NEIL" -> "Mary O'Neil"."""
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 4 or not all(c.isupper() for c in letters if c.isascii()):
        return name
    return re.sub(r"[^\W\d_]+", lambda m: m[0].capitalize(), name)


def same_person(a: str, b: str) -> bool:
    """The same name, whatever the case, spaces, punctuation or order of its words (Yamada Hanako)."""
    if not a or not b:
        return False
    if match_key(a) == match_key(b):
        return True
    return sorted(match_key(w) for w in a.split()) == sorted(match_key(w) for w in b.split())


def mentions(paragraph: str, name: str) -> bool:
    """Whether the paragraph names the person: the whole name, or one of its words of three letters
    or more (a surname: "Temuulen said"), or for a Japanese name its first two characters (山田氏)."""
    text = match_key(paragraph)
    if match_key(name) in text:
        return True
    words = [match_key(w) for w in name.split()]
    if len(words) > 1:
        return any(len(w) >= 3 and re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", text) for w in words)
    return len(name) >= 3 and not name.isascii() and match_key(name)[:2] in text
