"""The headline of a page, without its site's name, its section or the separators between them.

A page names its article in up to five places: ``<title>``, og:title, twitter:title, the JSON-LD
headline and the H1. The first four often carry chrome: the site's name ("… | Example Times",
「サンプル Japan - …」, 「…（サンプル！）」), a section ("… : スポーツ", "Opinion | …") or both.
:func:`strip_chrome` cuts such parts off one title; :func:`choose_headline` weighs the sources
against each other, and the H1 wins where it is the headline (it is what the reader sees).

Every rule is general, none is tied to one site:

* A part is cut only at a separator (| ｜ - – — : ： ／ / ・ « » · •; the dashes, the slash and
  the guillemets only with spaces around them, since headlines use them inside words and quotes)
  or when it is a bracketed group at either end (（…） 【…】 […]).
* A part that names the site goes: the page's own names for itself (og:site_name,
  application-name, the JSON-LD publisher, the outlet registry), a well-known outlet, or the
  domain ("Nikkei Asia" on asia.nikkei.com, "The Harbour Review" on theharbourreview.example).
* A part the other sources lack goes: where og:title, the JSON-LD headline, twitter:title or the
  H1 equal what is left once the part is cut, that part is chrome ("Headline | World | News"
  beside og:title "Headline").
* A section name goes, from a closed list or the page's own URL path, at the end after any
  separator (「… : スポーツ」) and at the start only before a strong one ("Opinion | …").
* Without such evidence, a short part after a pipe, or a short part that reads like an outlet's
  name (News, Times, 新聞, 通信, オンライン, Japan ...) at either end of a strong separator,
  goes. A weak separator (a colon without a space before it, ・, brackets) never cuts on
  these grounds alone: 「新型機を比較：さらば旧モデル、次はこれ」, 「…--今週のニュースまとめ」 and
  "Kim and Putin: what the summit means" are headlines from end to end.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from newsdesk.japanese.normalize import nfkc_casefold

# Outlets of the region and of the wires, for titles on pages that do not name their own site.
KNOWN_OUTLETS = (
    "朝日新聞デジタル", "朝日新聞", "日本経済新聞", "日経電子版", "読売新聞オンライン", "読売新聞",
    "毎日新聞", "産経ニュース", "産経新聞", "東京新聞", "NHKニュース", "NHK", "共同通信", "時事通信",
    "時事ドットコム", "聯合ニュース", "中央日報", "朝鮮日報", "東亜日報", "ハンギョレ", "人民網",
    "BBC News", "BBCニュース", "Asia Times", "Arab News", "Yonhap News Agency", "The Korea Herald",
    "The Korea Times", "Korea JoongAng Daily", "The Chosun Ilbo", "South China Morning Post",
    "Global Times", "Xinhua", "TASS", "RIA Novosti", "Nikkei Asia", "The Japan Times", "Reuters",
    "AP News", "CNN", "The Guardian", "The Diplomat", "NK News", "Kyodo News", "NHK World",
)  # fmt: skip

# Section names that sites put before or after the headline. Single generic words only: a
# country or a topic is too often the headline's own first word ("China: …") to be cut blind.
SECTIONS = (
    "news", "latest news", "top news", "top stories", "world", "world news", "us news", "uk news",
    "local", "local news", "national", "nation", "international", "opinion", "opinions",
    "editorial", "editorials", "op-ed", "commentary", "columns", "column", "analysis", "features",
    "sport", "sports", "business", "business news", "economy", "markets", "finance", "money",
    "tech", "technology", "science", "health", "politics", "entertainment", "culture", "arts",
    "lifestyle", "life", "travel", "style", "food", "video", "videos", "photos", "gallery",
    "weather", "education", "environment", "climate", "blog", "blogs", "reviews", "review",
    "ニュース", "最新ニュース", "国内", "国際", "海外", "政治", "経済", "社会", "地域", "地方",
    "スポーツ", "エンタメ", "芸能", "文化", "文化・芸能", "科学", "科学・技術", "テクノロジー",
    "ライフ", "暮らし", "くらし", "生活", "医療", "健康", "教育", "社説", "コラム", "オピニオン",
    "天気", "速報", "動画", "写真", "特集", "連載", "ビジネス", "マーケット", "総合", "事件・事故",
    "国際ニュース", "国内ニュース", "経済ニュース", "社会ニュース", "スポーツニュース", "IT", "トピックス",
    "정치", "경제", "사회", "국제", "스포츠", "연예", "문화", "오피니언", "사설",
)  # fmt: skip

# Separators. Strong: between headline and chrome by convention. Weak: also inside headlines, so
# a part cut there must name the site (or be confirmed by the other sources).
_STRONG = re.compile(
    r"\s*[|｜¦]\s*|\s+[-–—―‐−－]{1,2}\s+|\s+[:：]\s+|\s*／\s*|\s+/\s+|\s+[«»·•›∙]\s+|\s+::\s+"
)
_WEAK = re.compile(r"(?<=\S)\s*[:：]\s*|\s*・\s*")
_TRAILING_BRACKET = re.compile(r"\s*[（(【\[〔《]([^（）()【】\[\]〔〕《》]{1,40})[）)】\]〕》]\s*$")
_LEADING_BRACKET = re.compile(r"^\s*[【\[〔《]([^【】\[\]〔〕《》]{1,40})[】\]〕》]\s*")
_PAGE_COUNTER = re.compile(
    r"^\s*(?:\d+\s*/\s*\d+\s*ページ|\d+\s*ページ(?:目)?|page\s*\d+(?:\s*of\s*\d+)?|p\.?\s*\d+)\s*$", re.I
)
_BRACKETED = re.compile(r"[（(【\[〔《]([^（）()【】\[\]〔〕《》]*)[）)】\]〕》]")
_WS = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
_LATIN_WORD = re.compile(r"[^\W\d_\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]{2,}|\d+")

# Words that make a short part read as an outlet's name rather than a headline.
_OUTLET_WORD = re.compile(
    r"\b(?:news|times|post|journal|daily|online|magazine|press|tribune|herald|gazette|chronicle"
    r"|observer|weekly|wire|network|media|digital|tv|radio|japan|blog|web)\b|\.(?:com|net|org|jp|co)\b"
    r"|ニュース|新聞|通信|日報|新報|時報|オンライン|デジタル|電子版|公式|ウェブ|マガジン|タイムズ|放送|テレビ"
    r"|ジャパン|ドットコム|機構|協会|財団|研究所|株式会社|ブログ|일보|뉴스|신문|방송",
    re.I,
)
# ... and words that make it read as a label of the headline itself ("BREAKING NEWS - …").
_LABEL_WORD = re.compile(
    r"\b(?:breaking|exclusive|live|update[sd]?|watch|just in)\b|速報|独占|詳報|続報", re.I
)
# Japanese particles and sentence punctuation: a part with them is a clause, not a name.
_CLAUSE = re.compile(r"[はがをにでへ、。？?]")
_STOPWORDS = frozenset((
    "the", "a", "an", "of", "to", "in", "on", "at", "for", "and", "or", "is", "are", "was", "were",
    "be", "been", "by", "with", "as", "from", "it", "its", "his", "her", "their", "they", "this",
    "that", "these", "those", "after", "all", "over", "says", "said", "will", "would", "can",
    "could", "has", "have", "had", "not", "no", "but", "if", "so", "than", "then", "into", "out",
    "up", "about", "what", "why", "how", "who", "when", "where", "which", "you", "your", "we",
    "our", "my", "me", "i", "he", "she", "him", "us", "do", "does", "did", "don", "doesn", "isn",
    "aren", "wasn", "go", "goes", "new", "more",
))  # fmt: skip
_GENERIC_DOMAIN = frozenset((
    "news", "blog", "blogs", "times", "web", "online", "media", "post", "daily", "info", "home",
    "site", "www",
))  # fmt: skip
_SECOND_LEVEL = frozenset((
    "co", "com", "or", "ne", "ac", "go", "gov", "org", "net", "edu", "ed", "lg", "gr", "ad", "mil",
))  # fmt: skip


def squash(text: object) -> str:
    return _WS.sub(" ", text).strip() if isinstance(text, str) else ""


@lru_cache(maxsize=8192)
def norm_key(text: str) -> str:
    """Comparison key: NFKC, case-folded, without spaces and punctuation."""
    return _NOT_WORD.sub("", nfkc_casefold(text or ""))


def unescape(text: object) -> str:
    """A title as text: entities decoded (JSON-LD often carries ``&#8216;``), spaces squashed."""
    return squash(html.unescape(text)) if isinstance(text, str) else ""


# --- what names the site -------------------------------------------------------------------------


def _strip_the(key: str) -> str:
    return key[3:] if key.startswith("the") and len(key) > 6 else key


def _name_match(key: str, other: str) -> bool:
    """``key`` (a part of a title) names the site called ``other`` (both comparison keys).

    Equal; or the name with a short tail ("サンプル通信 オンライン", "Example News Japan") or a short
    head (「独立行政法人 サンプル機構」); or a shortened name (「サンプル新聞」 of 「サンプル新聞デジタル」).
    """
    if not key or not other:
        return False
    return _bare_name_match(_strip_the(key), _strip_the(other))


def _bare_name_match(key: str, other: str) -> bool:
    """``_name_match`` of keys without "the" (see ``_strip_the``)."""
    if key == other:
        return True
    if len(other) >= 3 and key.startswith(other) and len(key) - len(other) <= 8:
        return True
    if len(other) >= 3 and key.endswith(other) and len(key) - len(other) <= 6:
        return True
    return len(key) >= max(3, (len(other) + 1) // 2) and other.startswith(key)


def domain_labels(domain: str) -> list[str]:
    """The name-bearing labels of a host, registrable name first: asia.nikkei.com -> [nikkei, asia],
    www.example.co.jp -> [example]; generic subdomains (www, m, amp) dropped."""
    labels = [label for label in (domain or "").lower().strip(".").split(".") if label]
    if len(labels) >= 2:
        labels = labels[:-1]
    if len(labels) >= 2 and labels[-1] in _SECOND_LEVEL:
        labels = labels[:-1]
    main, subs = labels[-1:], labels[:-1]
    subs = [s for s in subs if s not in {"www", "m", "amp", "mobile", "edition", "en", "ja", "jp"}]
    return [norm_key(label) for label in main + subs[::-1] if norm_key(label)]


def _domain_match(segment: str, key: str, domain: str, strict: bool = False) -> bool:
    if not domain:
        return False
    bare = _strip_the(key)
    labels = domain_labels(domain)
    if key in {norm_key(domain), norm_key(domain.removeprefix("www."))} or bare in labels or key in labels:
        return True
    main = labels[0] if labels else ""
    if strict or len(main) < 4 or main in _GENERIC_DOMAIN:
        return False
    # "Harbour Light Productions" on harbourlight.example, "Sampleport.ca" on sampleport.ca: a
    # short part only ("The Example Times view on …" is a headline on theexampletimes.example)
    if (
        (key.startswith(main) or bare.startswith(main))
        and len(key) - len(main) <= 16
        and _words(segment) <= 3
    ):
        return True
    # "Harbour City" on harbourcity.example, "Samplemedia" on samplemedia.co.kr
    if len(bare) >= 4 and len(bare) >= 0.6 * len(main) and main.startswith(bare):
        return True
    # "Nikkei Asia" on asia.nikkei.com: the domain's name is one word of a short part
    words = [norm_key(w) for w in re.split(r"[\s.\-_/]+", nfkc_casefold(segment)) if w]
    return len(words) <= 4 and main in words


def is_site(segment: str, names: Iterable[str] = (), domain: str = "", *, strict: bool = False) -> bool:
    """``segment`` names the site: one of ``names`` (og:site_name, publisher, registry, known
    outlets) or the domain. A bracketed name counts too: 「サンプル！（サンプル！）」.

    ``strict``: the name itself, nothing more nor less (for a part before a weak separator,
    where "Example Poll: …" on example.com is a headline).
    """
    return _is_site(squash(segment), tuple(n for n in names if n), domain, strict)


@lru_cache(maxsize=4096)
def _is_site(segment: str, names: tuple[str, ...], domain: str, strict: bool) -> bool:
    keys = [norm_key(segment)]
    if _BRACKETED.search(segment):
        keys += [norm_key(_BRACKETED.sub(" ", segment))]
        keys += [norm_key(m) for m in _BRACKETED.findall(segment)]
    keys = [k for k in keys if k]
    if not keys:
        return False
    bare_names = _bare_name_keys(names)
    for key in keys:
        bare = _strip_the(key)
        if strict and bare in bare_names:
            return True
        if not strict and any(_bare_name_match(bare, other) for other in bare_names):
            return True
        if _domain_match(segment, key, domain, strict):
            return True
    return False


@lru_cache(maxsize=256)
def _bare_name_keys(names: tuple[str, ...]) -> tuple[str, ...]:
    """The names' comparison keys without "the", empty ones left out (they match nothing), in
    order; made once for each list of names (a page's own with the known outlets, say)."""
    return tuple(_strip_the(key) for key in map(norm_key, names) if key)


def is_section(segment: str, path: str = "") -> bool:
    """A section name from the closed list, or one of the page's URL path parts ("/sports/")."""
    key = norm_key(segment)
    if not key:
        return False
    if key in _SECTION_KEYS:
        return True
    # Section folders only: short, at most three words, without digits (not the article's slug).
    parts = {
        norm_key(p)
        for p in (path or "").split("/")
        if p and len(p) <= 24 and len(re.split(r"[-_]", p)) <= 3 and not any(c.isdigit() for c in p)
    }
    return len(key) >= 3 and key in parts


_SECTION_KEYS = frozenset(norm_key(s) for s in SECTIONS)
# Titles longer than this are left as they are: cutting tries every separator (a page's og:title
# of 20,000 「| 」 took two minutes).
_LONGEST_CUT = 1000


# --- cutting one title ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sep:
    start: int
    end: int
    strong: bool


def _separators(title: str) -> list[_Sep]:
    found = [_Sep(m.start(), m.end(), True) for m in _STRONG.finditer(title)]
    for m in _WEAK.finditer(title):
        if not any(s.start < m.end() and m.start() < s.end for s in found):
            found.append(_Sep(m.start(), m.end(), False))
    return sorted(found, key=lambda s: s.start)


def _words(text: str) -> int:
    return len(text.split())


def _short(part: str) -> bool:
    """Short enough to be a site's or a section's name: four words, or twenty CJK characters."""
    cjk = len(_CJK.findall(part))
    return (_words(part) <= 4 and len(part) <= 40) if cjk < 3 else len(part) <= 20


def _chrome_sized(part: str) -> bool:
    return len(part) <= 60 and _words(part) <= 9


def _weight(text: str) -> float:
    """Length that counts a CJK character as half a word's worth of letters."""
    return len(_LATIN_WORD.findall(text)) + len(_CJK.findall(text)) / 2.5


def _outlet_like(part: str) -> bool:
    return bool(_OUTLET_WORD.search(part)) and not _LABEL_WORD.search(part) and not _CLAUSE.search(part)


@dataclass
class _Context:
    own: list[str]  # the page's own names for its site
    known: list[str]  # own names plus well-known outlets
    domain: str
    path: str
    agreed: set[str] = field(default_factory=set)  # keys of the other sources' titles

    def site(self, part: str, *, own_only: bool = False, strict: bool = False) -> bool:
        return is_site(part, self.own if own_only else self.known, self.domain, strict=strict)


def _keepable(rest: str, ctx: _Context) -> bool:
    """What is left after a cut must still be a headline: not empty, not a site or section name."""
    key = norm_key(rest)
    return len(key) >= 2 and not ctx.site(rest, own_only=True) and not is_section(rest)


def _cut_once(title: str, ctx: _Context) -> str:
    """``title`` with one piece of chrome cut off (itself when there is none)."""
    seps = _separators(title)
    # 1. Agreement: another source is exactly what is left once a part at either end goes
    #    (several parts at once: "Headline | Afghanistan News | Al Jazeera" beside og "Headline").
    for sep in seps:
        head, tail = title[: sep.start].strip(), title[sep.end :].strip()
        if (
            norm_key(head) in ctx.agreed
            and _chrome_sized(tail)
            and (sep.strong or _short(tail))
            and _keepable(head, ctx)
        ):
            return head
        if (
            norm_key(tail) in ctx.agreed
            and _chrome_sized(head)
            and (sep.strong or _short(head))
            and _keepable(tail, ctx)
        ):
            return tail
    # 2. The site's name at the end, after any separator (the longest such tail: a site name may
    #    hold a separator itself, "Sample Club - Collectibles of the 80s"), then at the start.
    for sep in seps:
        head, tail = title[: sep.start].strip(), title[sep.end :].strip()
        if ctx.site(tail) and _keepable(head, ctx):
            return head
    # ... or the site's name followed by its tagline after a strong separator
    #    ("… | サンプル経済オンライン | 社会を読む経済ニュース").
    for i, sep in enumerate(seps[:-1]):
        head, tail = title[: sep.start].strip(), title[sep.end :].strip()
        name = title[sep.end : seps[i + 1].start].strip()
        if (
            sep.strong
            and seps[i + 1].strong
            and ctx.site(name)
            and _chrome_sized(tail)
            and _keepable(head, ctx)
        ):
            return head
    for sep in reversed(seps):
        head, tail = title[: sep.start].strip(), title[sep.end :].strip()
        # A leading name before a weak separator must be the page's own name exactly ("Reuters: …"
        # on another site is a headline quoting Reuters, "Example Poll: …" one about a poll).
        if ctx.site(head, own_only=not sep.strong, strict=not sep.strong) and _keepable(tail, ctx):
            return tail
    # 3. Bracketed site names at either end: 「…（サンプル！）」, 「【サンプル新聞】…」; and the
    #    page counter of a story split over pages: 「…（1/2ページ）」, "… (page 2)".
    if (m := _TRAILING_BRACKET.search(title)) and title[: m.start()].strip():
        head = title[: m.start()].strip()
        chrome = ctx.site(m.group(1)) or norm_key(head) in ctx.agreed or _PAGE_COUNTER.match(m.group(1))
        if chrome and _keepable(head, ctx):
            return head
    if (m := _LEADING_BRACKET.match(title)) and title[m.end() :].strip():
        tail = title[m.end() :].strip()
        if ctx.site(m.group(1), own_only=True) and _keepable(tail, ctx):
            return tail
    if not seps:
        return title
    last, first = seps[-1], seps[0]
    head, tail = title[: last.start].strip(), title[last.end :].strip()
    # 4. A section name at the end (any separator) or at the start (a strong one).
    if is_section(tail, ctx.path) and _weight(head) >= 2 and _keepable(head, ctx):
        return head
    lead, rest = title[: first.start].strip(), title[first.end :].strip()
    if first.strong and is_section(lead, ctx.path) and _weight(rest) >= 2 and _keepable(rest, ctx):
        return rest
    # 5. No evidence but the shape: a short part after a pipe, or a short outlet-like name at
    #    either end of a strong separator, where the headline is clearly the longer part.
    if last.strong and _short(tail) and _keepable(head, ctx) and _weight(head) >= 2 * _weight(tail):
        piped = title[last.start : last.end].strip() in {"|", "｜", "¦"} and not _CLAUSE.search(tail)
        if piped or _outlet_like(tail):
            return head
    leading_name = first.strong and _short(lead) and _outlet_like(lead) and _words(lead) <= 3
    if leading_name and _keepable(rest, ctx) and _weight(rest) >= 2 * _weight(lead):
        return rest
    return title


def strip_chrome(
    title: str,
    site_names: Iterable[str] = (),
    domain: str = "",
    *,
    path: str = "",
    others: Iterable[str] = (),
) -> str:
    """``title`` without the site's name, section and separators that surround the headline.

    ``site_names`` are the page's own names for its site; ``domain`` its host; ``path`` its URL
    path (section names); ``others`` the page's other titles (og:title, the H1 ...), whose
    agreement marks the rest of this one as chrome. See the module's docstring for the rules.
    """
    title = unescape(title)
    if len(title) > _LONGEST_CUT:
        return title  # no site wraps its name around that much; each cut costs the title's length
    own = [squash(s) for s in site_names if squash(s)]
    ctx = _Context(own, own + list(KNOWN_OUTLETS), domain, path)
    ctx.agreed = {norm_key(o) for o in others if o and not ctx.site(o)} - {"", norm_key(title)}
    for _ in range(8):
        cut = _cut_once(title, ctx)
        if cut == title:
            break
        title = cut
    return title


# --- choosing among the sources ------------------------------------------------------------------


def _tokens(text: str) -> set[str]:
    """Content words (Latin, Cyrillic ...; case-folded, without the commonest function words)
    and CJK character pairs, for comparing what two titles are about."""
    text = nfkc_casefold(text or "")
    # A light stem (the first five letters of longer words) lets inflected forms meet:
    # "reviews" and "review", "фудблогера" and "фудблогеры".
    words = {w[:5] if len(w) > 5 else w for w in _LATIN_WORD.findall(text) if w not in _STOPWORDS}
    for run in _CJK_RUN.findall(text):
        words |= {run[i : i + 2] for i in range(max(1, len(run) - 1))}
    return words


def _coverage(part: str, whole: str | set[str]) -> float:
    mine = _tokens(part)
    theirs = _tokens(whole) if isinstance(whole, str) else whole
    return len(mine & theirs) / len(mine) if mine else 0.0


def _same_story(a: str, b: str) -> bool:
    """Two titles of the same article: equal, or sharing most of their content words both ways."""
    ka, kb = norm_key(a), norm_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    return _coverage(a, b) >= 0.5 and _coverage(b, a) >= 0.5


def _headline_shaped(text: str) -> bool:
    """Long enough to be a headline rather than a label ("Most read", 「ニュース一覧」): three
    content words, or nine CJK characters."""
    return len(_tokens(text)) >= (8 if _CJK.search(text) else 3)


@dataclass
class TitleSources:
    """Everything a page says about its headline, as found in it."""

    title: str = ""  # <title>
    og: str = ""  # og:title
    twitter: str = ""  # twitter:title
    jsonld: str = ""  # the JSON-LD article's headline
    h1s: Sequence[str] = ()  # H1 texts outside the page's chrome (nav, footer, aside), in order
    site_names: Sequence[str] = ()  # og:site_name, application-name, publisher, registry names
    domain: str = ""
    path: str = ""  # URL path, whose parts name sections
    context: str = ""  # description and opening paragraphs: what a rewritten H1 must be about

    @property
    def metadata(self) -> list[str]:
        """The head's titles, most trusted first: og:title, JSON-LD headline, twitter:title, <title>."""
        found = (unescape(t) for t in (self.og, self.jsonld, self.twitter, self.title))
        return [t for t in found if t]


def choose_headline(sources: TitleSources) -> str:
    """The article's headline: the H1 where it is the headline, else the head's best title.

    The H1 is the headline when it tells the same story as one of the head's titles, or, where it
    was rewritten after publication (the head keeping the first version), when it is long enough
    to be a headline and its words are found in the head's titles, the description and the
    opening paragraphs. An H1 that names the site or a section never is.
    """
    names, domain, path = list(sources.site_names), sources.domain, sources.path
    metadata = sources.metadata
    h1s = [unescape(h) for h in sources.h1s]
    h1s = [
        h for h in h1s if h and not is_site(h, [*names, *KNOWN_OUTLETS], domain) and not is_section(h, path)
    ]
    cleaned = []
    for i, title in enumerate(metadata):
        others = [*metadata[:i], *metadata[i + 1 :], *h1s]
        cleaned.append(strip_chrome(title, names, domain, path=path, others=others))
    best = next((t for t in cleaned if t), "")
    h1 = _pick_h1(h1s, [*cleaned, *metadata], sources.context)
    return h1 or best


def _pick_h1(h1s: list[str], titles: list[str], context: str) -> str:
    titles = [t for t in titles if t]
    if not h1s:
        return ""
    if not titles:
        return next((h for h in h1s if _headline_shaped(h)), "")
    agreeing = [h for h in h1s if any(_same_story(h, t) for t in titles)]
    if agreeing:
        return max(agreeing, key=lambda h: max(_coverage(h, t) + _coverage(t, h) for t in titles))
    known = _tokens(" ".join([*titles, context]))
    for h in h1s:
        if _headline_shaped(h) and _coverage(h, known) >= 0.5:
            return h
    return ""
