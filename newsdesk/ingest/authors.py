"""Author names out of the strings a page gives for them: a byline line, a JSON-LD or meta author.

A byline carries more than names: a label ("By", "Analysis by", 「文：」), job titles ("AP Science
Writer", 「記者」), credentials ("MS, RD"), the outlet or agency ("…, Associated Press", "… |
Example Media for example.com") and the date that follows it in the markup ("… Monday, June
24, 2024"). :func:`names_in` keeps the names; every rule is general:

* The label before the names goes, in the languages the site reads (By, Por, Par, Von, Text:,
  Текст:, 文：, 筆者：, 記者：, 글:) and with a kind in front ("Analysis by").
* A date, a time, "Published"/"Updated" or a handle (@name, an e-mail) ends the names.
* Names are split at commas, semicolons, pipes, "and" (and its translations) and 、.
* After a person, a part that names an outlet or an agency, a job title, a credential or a
  single word (the outlet's short name: "Jane Doe, Samplewire") is an affiliation and goes; a
  person's name written in capitals is given in title case.
* The page's own outlet is never an author; an agency or another outlet alone is ("Reuters" on a
  newspaper's page), and so is a newsroom ("Example Post Staff").
* From metadata only (JSON-LD, meta tags), a CMS login is no byline: "admin", a lower-case
  handle ("jdoe", "j_doe"), initials ("AS").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .headline import KNOWN_OUTLETS, domain_labels, is_site, norm_key, squash

# News agencies: after a person they are an affiliation; alone, a byline ("Reuters").
AGENCIES = (
    "Associated Press", "The Associated Press", "AP", "Reuters", "AFP", "Agence France-Presse",
    "Bloomberg", "Kyodo", "Kyodo News", "Jiji Press", "Yonhap", "Yonhap News Agency", "Xinhua",
    "dpa", "EFE", "ANSA", "TASS", "RIA Novosti", "Interfax", "UPI", "PA Media", "Press Association",
    "共同", "共同通信", "時事", "時事通信", "聯合ニュース", "新華社", "ロイター", "AP通信", "AFP時事", "연합뉴스",
)  # fmt: skip
_AGENCY_KEYS = frozenset(norm_key(a) for a in (*AGENCIES, *KNOWN_OUTLETS))

_LABEL = re.compile(
    r"^(?:(?:analysis|opinion|commentary|review|story|text|words|reporting|written|interview|report"
    r"|compiled|edited|photos? and text|text and photos?)\s+by|by|por|par|von|door|av)\b\s*[:：]?\s*"
    r"|^(?:text|texto|testo|texte|текст|автор|author|authors|writer|reporter|byline|words|credit)\s*[:：]\s*"
    r"|^(?:текст)\s+"
    r"|^(?:取材・文|取材・執筆|文・写真|写真・文|文|筆者|執筆|著者|記者|寄稿|構成|글|글쓴이|기자)\s*[:：=＝/／・|｜]\s*",
    re.I,
)
_KINDS = r"analysis|opinion|commentary|review|story|text|words|reporting|written|posted|published|interview"
_SURE = re.compile(
    rf"^(?:(?:(?:{_KINDS})\s+)?by|por|par|von|text|texto|testo|текст|автор|author|writer|reporter"
    r"|文|筆者|執筆|著者|記者|取材・文|寄稿|글)\b",
    re.I,
)
_WEEKDAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# Where the names end: a weekday, a month before a day, a number, a publication label.
_TAIL = re.compile(
    rf"\s*(?:\bon\s+)?(?:\b(?:{_WEEKDAYS})\b|\b(?:{_MONTHS})\.?\s+\d|(?<![\w@.])\d"
    r"|\b(?:published|updated|posted|last updated|modified|first published)\b"
    r"|公開|配信|更新|掲載|投稿|입력|수정).*$",
    re.I,
)
# (?<!\S): an address starts where its word starts, not again at each of its letters (quadratic
# in the length of a long word, which is what a paragraph of Japanese is).
_HANDLE = re.compile(r"(?<!\S)\S+@\S+\.\w+|(?<!\w)@\w+")
_SPLIT = re.compile(
    r"\s*(?:[,;|｜、，／]|\s/\s|\s[-–—]\s|(?<=[a-z]{2})\.\s+(?=[A-Z])|(?<=[\u4e00-\u9fff])・(?=[\u4e00-\u9fff])"
    r"|\s(?:and|&|und|et|e|y|и|og|en)\s)\s*",
    re.I,
)
_SUFFIX = re.compile(
    r"\s*(?:記者|特派員|編集委員|論説委員|解説委員|支局長|編集長|氏|さん|撮影|기자|특파원|칼럼니스트|논설위원|객원기자|선임기자)$"
)
_CREDENTIAL = re.compile(r"^(?:[A-Z]{2,5}|Ph\.?\s?D\.?|M\.?D\.?|M\.?S\.?|R\.?D\.?N?\.?|Dr\.?)$")
_OUTLET_WORD = re.compile(
    r"\b(?:news|times|post|journal|daily|online|magazine|press|tribune|herald|gazette|media|network"
    r"|agency|wire|tv|radio|\.com|\.org|\.net)\b|新聞|通信|放送|テレビ|ニュース|일보|뉴스|신문|방송",
    re.I,
)
_GENERIC = re.compile(
    r"admin|webmaster|^(?:editor|editors|staff|guest|user|root|author|anonymous|unknown|гость|匿名|ゲスト|編集部)$",
    re.I,
)
_PARTICLES = frozenset((
    "de", "da", "das", "do", "dos", "del", "della", "di", "du", "van", "von", "der", "den", "ter",
    "ten", "le", "la", "bin", "al", "el", "y", "e", "st.",
))  # fmt: skip
_CJK_NAME = re.compile(r"^[\u3040-\u30ff\u3400-\u9fff々ー・\s]{2,16}$|^[\uac00-\ud7af]{2,5}$")
_LATIN_NAME_WORD = re.compile(r"^[^\W\d_][\w'’.\-]*$")


def _title_case(name: str) -> str:
    """A name written in capitals, in title case: "MARY CLARE O'NEIL" -> "Mary Clare O'Neil"."""
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 4 or not all(c.isupper() for c in letters):
        return name
    return re.sub(r"[^\W\d_]+", lambda m: m[0].capitalize(), name)


def is_name(part: str) -> bool:
    """Written like a personal name (or a newsroom's): capitalised words, or 2-16 CJK characters."""
    part = part.strip()
    if not part or any(c.isdigit() for c in part) or len(part) > 60:
        return False
    if _CJK_NAME.match(part):
        return True
    words = part.split()
    if not 1 <= len(words) <= 6:
        return False
    for word in words:
        if word.lower() in _PARTICLES:
            continue
        if not _LATIN_NAME_WORD.match(word) or not word[0].isupper():
            return False
    return True


_PAREN = re.compile(r"\s*[（(][^）)]{0,40}[）)]")


def _clean_part(part: str) -> str:
    """One name: without a parenthesis (「山田花子（サンプル大学教授）」), quotes, a role suffix."""
    part = _PAREN.sub("", squash(part)).strip(" .,:;|-–—()（）[]【】「」\"'“”")
    return _SUFFIX.sub("", part).strip()


class _Outlets:
    def __init__(self, site_names: Sequence[str], domain: str) -> None:
        self.names = [n for n in site_names if n]
        self.domain = domain
        self.label = (domain_labels(domain) or [""])[0]

    def own(self, part: str) -> bool:
        """The page's own outlet, named outright (its site name, its domain)."""
        return is_site(part, self.names, self.domain, strict=True)

    def any(self, part: str) -> bool:
        """Any outlet or agency: the page's own (loosely: "CNN Business" on cnn.com), a known one,
        one with an outlet's word in it, or one whose word begins the domain ("Harbourline
        International" on harbourlinenews.example)."""
        if is_site(part, [*self.names, *AGENCIES, *KNOWN_OUTLETS], self.domain) or _OUTLET_WORD.search(part):
            return True
        words = [norm_key(w) for w in part.split()]
        return bool(self.label) and any(len(w) >= 5 and self.label.startswith(w) for w in words)


def _strip_affiliation(part: str, outlets: _Outlets) -> str:
    """ "ERIC TUCKER Associated Press" -> "ERIC TUCKER", "Jane Doe EXAMPLENews" -> "Jane Doe": an
    agency or the outlet written after the name (the last one to three words)."""
    words = part.split()
    for k in (3, 2, 1):
        if len(words) - k < 2:
            continue
        tail, head = " ".join(words[-k:]), " ".join(words[:-k])
        if (norm_key(tail) in _AGENCY_KEYS or outlets.own(tail)) and is_name(head):
            return head
    return part


def names_in(
    text: str,
    site_names: Sequence[str] = (),
    domain: str = "",
    *,
    metadata: bool = False,
    strict: bool = False,
) -> list[str]:
    """The authors' names in one byline or author string (see the module's docstring).

    ``metadata``: the string comes from JSON-LD or a meta tag (CMS logins are dropped);
    ``strict``: from a page element that may not be a byline at all, so every part must read as
    a name (or the string is not a byline: [] is returned) unless a label ("By") says it is one.
    """
    if len(text or "") > 30 * 300:
        return []  # no byline is that long, whatever white space and handles it holds
    text = squash(_HANDLE.sub(" ", text or ""))
    if not text or len(text) > 300:
        return []
    sure = bool(_SURE.match(text))
    if not sure and (m := INLINE_LABEL.search(text)):
        # "05/10/2018 - Published by: Jane Doe - Category: Health": the names end at the next dash.
        text, sure = re.split(r"\s[-–—|]\s", text[m.end() :].strip(), maxsplit=1)[0], True
    text = _LABEL.sub("", text, count=1)
    text = _TAIL.sub("", text).strip(" ,|-–—:／/")
    outlets = _Outlets(site_names, domain)
    cleaned = [
        _strip_affiliation(_strip_outlet_head(_clean_part(p), outlets), outlets) for p in _SPLIT.split(text)
    ]
    parts = [(_undouble(_trim_role(p)), _trim_role(p) != p) for p in cleaned if p]
    people: list[str] = []
    for i, (part, titled) in enumerate(parts):
        if not part or _GENERIC.search(part) or _CREDIT.search(part) or len(norm_key(part)) <= 2:
            continue
        if metadata and _login(part):
            continue
        after_person = bool(people) or any(is_name(p) and len(p.split()) >= 2 for p, _ in parts[:i])
        # After a person: the outlet or agency, a job title, a credential or a one-word short name
        # ("Jane Doe, Samplewire", "Jane Doe, AP Science Writer", "Jane Doe, MS, RD").
        affiliation = outlets.any(part) or titled or _CREDENTIAL.match(part) or len(part.split()) == 1
        if after_person and not _CJK_NAME.match(part) and affiliation:
            continue
        if outlets.own(part):
            continue  # never the outlet's own name
        if strict and not is_name(part):
            return []  # an element that is no byline ("The harbour and customs authorities")
        people.append(_title_case(part))
    return list(dict.fromkeys(people))


INLINE_LABEL = re.compile(
    r"(?:^|\s)(?:posted|published|written|publicado|escrito|postado|scritto|pubblicato|geschrieben"
    r"|publié|écrit)"
    r"\s+(?:by|por|da|von|par)\s*:?\s",
    re.I,
)
# Photo credits and the like: never an author.
_CREDIT = re.compile(
    r"\b(?:images?|photos?|pictures?|illustrations?|getty|shutterstock|istock)\b|写真|撮影", re.I
)
# A job title after the name, with the words that qualify it ("Staff Writer", "Business
# Columnist", "News reporter", "Senior Contributor").
_ROLE_MODIFIERS = (
    r"staff|senior|contributing|chief|deputy|associate|assistant|managing|executive|special|freelance"
    r"|foreign|national|international|political|politics|business|science|health|tech|technology|sports?"
    r"|auto|economics?|investigative|breaking|news|entertainment|travel|food|culture|opinion|data|video"
    r"|digital|global|world|local|metro|white house|washington|ap|afp|upi|cnn|bbc|nbc|cbs|abc|fox"
)
_ROLE_PHRASE = re.compile(
    rf"(?:^|\s+)(?:(?:{_ROLE_MODIFIERS})\s+)*(?:writer|editor(?:-at-large|-in-chief)?|reporter|correspondent"
    r"|columnist|contributor|producer|photographer|intern|anchor|critic|bureau chief)\b.*$",
    re.I,
)


def _trim_role(part: str) -> str:
    """ "Meg James Staff Writer" -> "Meg James"; "Senior Contributor" -> ""."""
    return _ROLE_PHRASE.sub("", part).strip(" ,-–—")


def _undouble(part: str) -> str:
    """ "Jane Doe Jane Doe" (a name shown twice in the markup) -> "Jane Doe"."""
    words = part.split()
    half = len(words) // 2
    if len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return part


# A paper's desks and bureaus (not a bare 部 or 局: 阿部 is a surname).
_DESK = re.compile(
    r"(?:支局|総局|支社|本社|取材班|編集部|報道部|社会部|経済部|政治部|国際部|外信部|運動部|文化部|科学部"
    r"|生活部|写真部|編集局|報道局|特派員)$"
)


def _strip_outlet_head(part: str, outlets: _Outlets) -> str:
    """「サンプル新聞 山田花子」, 「北九州支局 山田 花子」 -> the name: an outlet or a desk written
    before a CJK name."""
    head, _, rest = part.partition(" ")
    rest = rest.strip()
    named = outlets.any(head) or norm_key(head) in _AGENCY_KEYS or bool(_DESK.search(head))
    if rest and _CJK_NAME.match(rest) and _CJK_NAME.match(head) and named:
        return rest
    return part


def _login(part: str) -> bool:
    """A CMS account name: one lower-case word or handle ("jdoe", "j_doe", "webdesk"), or a code
    in capitals longer than an agency's initials and no agency's name ("KXYZNEWS")."""
    if " " in part or _CJK_NAME.match(part):
        return False
    code = part.isupper() and len(part) >= 5 and norm_key(part) not in _AGENCY_KEYS
    return "_" in part or part == part.lower() or code


# Bylines that East Asian papers write inside the text.
_JA_DATELINE_BYLINE = re.compile(
    r"^[【〔(（]\s*[^＝=】〕)）]{1,12}[＝=]\s*([^】〕)）、,＝=]{2,12}?)\s*[】〕)）]"
)
_KO_ROLE = r"(?:기자|칼럼니스트|특파원|논설위원|객원기자|선임기자|평론가)"
_KO_EMAIL_BYLINE = re.compile(  # "홍길동 기자 hong@…" or "칼럼니스트 홍길동 hong@…"
    rf"(?:([가-힣]{{2,4}})\s?{_KO_ROLE}|{_KO_ROLE}\s([가-힣]{{2,4}}))\s*[(\[]?[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)


def names_in_text(paragraphs: Iterable[str]) -> list[str]:
    """Names from the bylines papers write in the text: 「【ソウル＝山田花子】」 opening a Japanese
    report, "홍길동 기자 hong@example.kr" closing a Korean one."""
    paragraphs = list(paragraphs)
    for paragraph in paragraphs[:3]:
        if m := _JA_DATELINE_BYLINE.match(paragraph.strip()):
            name = _clean_part(m.group(1))
            if is_name(name):
                return [name]
    # The closing byline may be split over two lines ("홍길동 기자" then the address).
    if m := _KO_EMAIL_BYLINE.search(" ".join(paragraphs[-8:])):
        return [m.group(1) or m.group(2)]
    return []
