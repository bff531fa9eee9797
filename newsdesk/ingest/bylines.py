"""Who wrote it and for whom: byline lines, outlet names and the author's biography line."""

from __future__ import annotations

import re

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
_JA_NAME_SUFFIX = re.compile(r"\s*(?:氏|記者|特派員|編集委員|論説委員|支局長|さん)$")
_BY_PREFIX = re.compile(
    r"^(?:by|written by|words by|text by|story by)\s+(?P<v>.+)$"
    r"|^(?:文|筆者|執筆|著者|記者|取材・文|寄稿|writer|author|reporter|byline)\s*[:：/／]\s*(?P<w>.+)$",
    re.I,
)
_PARTS = re.compile(r"\s*(?:[|｜,、／]|\s/\s|\s[-–—]\s)\s*")


def is_outlet_name(text: str) -> bool:
    return bool(_OUTLET_WORDS.search(text)) and len(text) <= 60


def is_person_name(text: str) -> bool:
    """A personal name as bylines write them: ``John Smith``, ``山田花子``, ``山田花子記者``."""
    text = _JA_NAME_SUFFIX.sub("", text.strip())
    if not text or is_outlet_name(text) or any(ch.isdigit() for ch in text):
        return False
    return bool(_EN_NAME.match(text) or _JA_NAME.match(text))


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


# --- biography lines ------------------------------------------------------------------------------

_EN_ROLES = (
    r"professor|lecturer|reporter|correspondent|journalist|editor|writer|columnist|fellow|researcher"
    r"|analyst|author|director|scholar|economist|contributor|historian|commentator|diplomat|ambassador"
    r"|consultant|specialist|adviser|advisor|founder|chair|student|candidate|associate|partner|former"
    r"|head of|chief|president of|expert"
)
_JA_ROLES = (
    r"記者|特派員|教授|講師|研究員|研究者|編集者|編集長|編集委員|論説委員|ジャーナリスト|作家|コラムニスト"
    r"|アナリスト|エコノミスト|フェロー|所長|代表|理事|客員|専門家|学者|大使|顧問|博士|院生|主任|部長"
    r"|支局長|評論家|翻訳家|社長|会長|議員"
)
_EN_BIO = re.compile(
    r"^(?P<name>(?:(?:Dr|Prof|Mr|Ms|Mrs)\.?\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3})\s+"
    r"(?:is|was|has been|serves as|works as|teaches|writes|covers|reports)\b(?P<rest>.*)$"
)
_JA_BIO = re.compile(r"^(?P<name>[^\s、。「」はがをにで]{2,24}?)(?:氏|さん|博士)?は、?(?P<rest>[^。]+)。?$")
_JA_BIO_END = re.compile(
    r"(?:である|です|だ|を務め(?:る|ている|た)|として活動(?:する|している)|に(?:在籍|所属)(?:する|している)"
    rf"|(?:{_JA_ROLES}))$"
)
_NOT_NAMES = {"筆者", "著者", "記者", "私", "わたし", "本稿"}
_JOURNALISM = re.compile(r"記者|特派員|編集委員|論説委員|編集者|編集長|支局長|コラムニスト|reporter|"
                         r"correspondent|journalist|editor|columnist|writer")  # fmt: skip
_JA_ORG = re.compile(
    r"^(?P<org>[^\s、。の]{2,30}?)の(?:[^。]{0,12}?)(?:記者|特派員|編集委員|論説委員|編集者|編集長|支局長|コラムニスト)"
)
_EN_ORG = re.compile(
    r"(?:reporter|correspondent|journalist|editor|columnist|writer)\s+(?:for|at|with)\s+(?:the\s+)?"
    r"(?P<org>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*)"
)


def parse_bio(text: str) -> tuple[str, str] | None:
    """(author, outlet) when the line is an author's biography, else None.

    ``山田花子氏はサンプル通信の記者である。`` gives ("山田花子", "サンプル通信");
    ``John Smith is a professor of economics at Sample University.`` gives ("John Smith", "").
    The author is "" where the line names no one (``筆者はサンプル大学教授。``).
    """
    if len(text) > 220:
        return None
    m = _EN_BIO.match(text)
    if m and re.search(rf"\b(?:{_EN_ROLES})", m.group("rest"), re.I) and text.count(". ") <= 1:
        org = _EN_ORG.search(m.group("rest"))
        outlet = org.group("org").rstrip(".") if org and _JOURNALISM.search(m.group("rest")) else ""
        return m.group("name"), outlet
    m = _JA_BIO.match(text)
    if m and re.search(_JA_ROLES, m.group("rest")) and _JA_BIO_END.search(m.group("rest")):
        name = m.group("name")
        org = _JA_ORG.match(m.group("rest"))
        outlet = org.group("org") if org else ""
        return ("" if name in _NOT_NAMES else name), outlet
    return None
