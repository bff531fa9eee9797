"""Line-level helpers shared by the plain-text readers: what a line of pasted page text is.

Everything here looks at one line at a time and knows nothing about its neighbours; the readers
in :mod:`newsdesk.ingest.plaintext` and :mod:`newsdesk.ingest.curated` decide with the context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.core.net import domain_of
from newsdesk.japanese.normalize import nfkc_casefold

_BULLET = re.compile(r"^(?:[•●▪◦‣∙·・◆◇■□▶►]|[-*–—+](?=\s))\s*")


@dataclass(frozen=True)
class Line:
    index: int
    text: str  # stripped, bullet marker removed
    bullet: bool


def split_lines(text: str) -> list[Line]:
    """The text as lines, stripped, with list bullets taken off (``text`` is "" for a blank line)."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for i, raw in enumerate(text.split("\n")):
        stripped = raw.strip()  # str.strip() takes the ideographic space too; inner text is kept as is
        m = _BULLET.match(stripped)
        if m and stripped[m.end() :].strip():
            lines.append(Line(i, stripped[m.end() :].strip(), True))
        else:
            lines.append(Line(i, stripped, False))
    return lines


def key(text: str) -> str:
    """The form used to compare a line with a vocabulary: NFKC, case-folded, no edge punctuation."""
    return nfkc_casefold(text).strip(" :：-|>»›「」『』\"'")


def match_key(text: str) -> str:
    """The form used to find one text inside another: NFKC, case-folded, letters and digits only
    (no spaces, punctuation or quotes), so 「“港は選ばれる”」 is found in 「…港は、選ばれる…」 too."""
    return "".join(ch for ch in nfkc_casefold(text) if ch.isalnum())


def _vocab(words: str) -> frozenset[str]:
    return frozenset(w.strip() for w in words.split("|") if w.strip())


SHARE_LABELS = _vocab(
    "b!|bluesky|bookmark|copy|copy link|copy url|e-mail|email|facebook|flipboard|"
    "kakaotalk|line|link|linkedin|mail|messenger|misskey|pinterest|pocket|post|print|"
    "reddit|send by email|share|share on facebook|share on twitter|share on x|"
    "share this|share this article|share via email|telegram|threads|tweet|twitter|"
    "wechat|weibo|whatsapp|x|lineで共有|lineで送る|urlをコピー|この記事をシェア|はてなブックマーク|はてなブックマークに追加|"
    "はてブ|カカオトーク|シェア|シェアする|ツイート|ブックマーク|ポスト|メール|リンクをコピー|リンクをコピーする|保存|印刷|微信|微博|記事をシェア"
)

# Headings that open a footer list (latest, popular, ranking, related): what follows is chrome.
FOOTER_HEADINGS = _vocab(
    "back to top|comments|editor's picks|editors' picks|latest|latest news|more from|"
    "more stories|most popular|most read|popular|ranking|rankings|read more stories|"
    "read next|recommended|related|related articles|related news|related stories|"
    "return to top|top stories|trending|what to read next|you may also like|あわせて読みたい|"
    "おすすめ|おすすめ記事|こちらもおすすめ|アクセスランキング|オススメ|オススメ記事|コメント|トップへ戻る|ページの先頭へ|ページトップへ|ランキング|"
    "上へ戻る|人気|人気ランキング|人気記事|先頭へ戻る|最新|最新ニュース|最新記事|注目記事|特に人気|関連ニュース|関連記事"
)

NAV_LABELS = FOOTER_HEADINGS | _vocab(
    "a+|a-|ad|advertisement|advertisement - scroll to continue|close|follow us|"
    "font size|home|listen|listen to this article|log in|log out|login|menu|"
    "newsletter|next|pr|prev|previous|print this article|read more|search|see more|"
    "show more|sign in|sign up|skip to content|skip to main content|sponsored|"
    "subscribe|subscribe now|subscribe to our newsletter|sign up for our newsletter|"
    "sign up to our newsletter|donate|support us|about us|contact us|ニュースレターを購読|メルマガ登録|寄付する|もっと見る|もっと読む|スポンサー|トップ|ニュースレター|ニュース一覧|ホーム|メニュー|ログアウト|ログイン|一覧|会員登録|前の記事|"
    "前へ|印刷する|広告|戻る|文字サイズ|新規登録|本文へスキップ|検索|次の記事|次へ|続きを読む|記事一覧|購読|閉じる|音声で聞く"
)

_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)|all rights reserved|無断転載|無断複製を禁", re.I)
_SLOGAN = re.compile(
    r"^(?:since|est\.?|established|founded|創刊|創業|設立)\s*\d{4}\s*年?$|^匿名コメント募集中$", re.I
)
_SHORT_URL = re.compile(
    r"^(?:short\s*url|短縮\s*url|short\s*link|permalink|パーマリンク)\s*[:：]?\s*\S*$", re.I
)
IMAGE_MARKER = re.compile(r"^(?:image|photo|picture|画像|写真|사진|фото)\s*\d*$", re.I)
_SPLIT_TOKENS = re.compile(r"\s*[|｜/／,、]\s*|\s+")
_PROSE_END = re.compile(r"[。．.!！]$")


def is_share_line(text: str) -> bool:
    """``facebook``, ``シェア``, or a row of them (``Facebook | X | LINE``)."""
    k = key(text)
    if not k:
        return False
    if k in SHARE_LABELS:
        return True
    tokens = [t for t in _SPLIT_TOKENS.split(k) if t]
    return len(tokens) > 1 and all(t in SHARE_LABELS for t in tokens)


# A heading that opens a list of other articles, in the forms sites vary: "Related Commentary",
# "More from Opinion", "More by this author", 「関連トピックス」.
_FOOTER_HEADING = re.compile(
    r"^(?:related|also read|read also|further reading)\s+(?:articles?|stories|story|news|content|coverage"
    r"|commentary|analysis|research|reading|links|posts|topics|videos?|podcasts?|publications|experts)$"
    r"|^more\s+(?:from|by|in|on|about)\s+(?:\S+\s*){1,3}$"
    r"|^関連(?:記事|ニュース|リンク|情報|特集|トピックス|コンテンツ|タグ|動画)(?:一覧)?$"
)


# A separator with the white space before it, which starts where white space starts ((?<!\s)), so
# that split() does not try again at every space of a long run holding none (quadratic in the
# run); the white space after it stays with the next item, which is stripped.
_MENU_SEP = re.compile(r"(?<!\s)\s*+[|｜•·]|(?<!\s)\s++/(?=\s)")
_CRUMB_SEP = re.compile(r"(?<!\s)\s*+[>＞›»]")


def is_menu_row(text: str) -> bool:
    """A navigation menu or breadcrumb pasted as one row, one of its items a navigation label:
    "Home | World | Asia | Opinion" (three items or more), 「ホーム > 経済 > 国際」 (two or more)."""
    for sep, least in ((_MENU_SEP, 3), (_CRUMB_SEP, 2)):
        items = [key(t.strip()) for t in sep.split(text) if t.strip()]
        if len(items) >= least and all(len(t) <= 25 for t in items) and any(t in NAV_LABELS for t in items):
            return True
    return False


def is_footer_heading(text: str) -> bool:
    k = key(text)
    return k in FOOTER_HEADINGS or (len(k) <= 40 and bool(_FOOTER_HEADING.match(k)))


def chrome_kind(text: str) -> str | None:
    """Why a line is page chrome wherever it stands (share, nav, short-url, ...), or None."""
    if not text:
        return None
    if is_share_line(text):
        return "share"
    if _SHORT_URL.match(text):
        return "short-url"
    if key(text) in NAV_LABELS or is_footer_heading(text) or is_menu_row(text):
        return "nav"
    if _SLOGAN.match(key(text)):
        return "slogan"
    if _COPYRIGHT.search(text) and len(text) <= 200:
        return "copyright"
    if IMAGE_MARKER.match(text):
        return "image"
    return None


def is_short(text: str, limit: int = 40) -> bool:
    """A short line without sentence punctuation: a label, a name, a slogan, a headline."""
    return len(text) <= limit and not _PROSE_END.search(text) and "。" not in text


def is_prose(text: str) -> bool:
    """A line that reads like a sentence of article text rather than a label or a headline."""
    return len(text) > 100 or (len(text) >= 30 and bool(_PROSE_END.search(text)))


# --- sources, urls and domains --------------------------------------------------------------------

URL_RE = re.compile(r"https?://[^\s<>「」（）()\"']+")
_SOURCE = re.compile(
    r"^(?:ソース|出典|元記事|原文|原典|引用元|情報源|source|original(?:\s+article)?|via)\s*[:：]\s*(?P<value>.*)$",
    re.I,
)
_DOMAIN = re.compile(
    r"^(?:https?://)?(?P<host>(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,24})(?P<path>/\S*)?$", re.I
)


def source_value(text: str) -> str | None:
    """The value of a ``ソース:`` / ``出典:`` / ``Source:`` line, or None for any other line."""
    m = _SOURCE.match(text)
    return m.group("value").strip() if m else None


def bare_domain(text: str) -> tuple[str, str] | None:
    """``example.com`` or ``www.example.com/news/1`` alone on a line: (host, url-or-"")."""
    m = _DOMAIN.match(text.strip())
    if not m:
        return None
    host = domain_of("https://" + m.group("host"))
    path = (m.group("path") or "").rstrip("/")
    url = ""
    if path:
        url = text.strip() if text.strip().lower().startswith("http") else "https://" + text.strip()
    return host, url


# --- scripts --------------------------------------------------------------------------------------

_SCRIPTS = [
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("en", re.compile(r"[A-Za-z]")),
]


def script_language(text: str) -> str:
    """The language a headline's script points to: kana ja, hangul ko, cyrillic ru, han zh, latin en."""
    counts = {lang: len(rx.findall(text)) for lang, rx in _SCRIPTS}
    if counts["ja"]:
        return "ja"
    best = max(counts, key=lambda lang: counts[lang])
    return best if counts[best] else ""


def has_kana(text: str) -> bool:
    return bool(_SCRIPTS[0][1].search(text))
