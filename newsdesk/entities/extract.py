"""What the "entities" stage finds in Japanese text; pure functions, no database.

* :class:`Gazetteer` finds known names (and aliases) by longest match over NFKC-normalised text, so
  金正恩, ラザロ・グループ and 朝鮮中央通信 stay whole. Katakana and ASCII names only match at word
  boundaries (タイ is not found in タイミング, UN not in UNESCO); ASCII names match case-sensitively;
  a name written with ・ also matches without it or with ＝.
* :func:`proper_nouns` takes the tokenizer's proper nouns (固有名詞) outside the spans already matched,
  joining consecutive ones (佐藤 + 一郎, ジョン・スミス) into candidate names.
* :func:`find_figures` finds numbers with a unit or counter (年間1400万発, 6億2000万ドル, 約20％,
  週5往復) and their value; :func:`find_dates` finds dates (2023年9月13日, 2024年6月, 2020年, 9月13日
  with the year of the article's date, 昨年9月, 同年5月, 令和6年).

Offsets are always into the original text: matching runs over normalised text, display uses the
original.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from newsdesk.japanese.sentences import split_sentences

__all__ = [
    "Span",
    "Gazetteer",
    "normalise",
    "proper_nouns",
    "FigureMatch",
    "find_figures",
    "parse_number",
    "DateMatch",
    "find_dates",
    "sentences_with_offsets",
]

_JOINING_MARKS = frozenset("\u3099\u309a\uff9e\uff9f")


def normalise(text: str) -> tuple[str, list[int]]:
    """NFKC of ``text`` and, for every character of the result, the offset of the original
    character it came from (plus one final entry for the end)."""
    out: list[str] = []
    where: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and (text[j] in _JOINING_MARKS or unicodedata.combining(text[j])):
            j += 1
        piece = unicodedata.normalize("NFKC", text[i:j])
        out.append(piece)
        where.extend([i] * len(piece))
        i = j
    where.append(n)
    return "".join(out), where


def is_katakana(ch: str) -> bool:
    return "\u30a1" <= ch <= "\u30fa" or ch == "ー"


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "'-")


@dataclass(frozen=True)
class Span:
    key: int | str  # an entity id (gazetteer) or a candidate's kind
    begin: int
    end: int
    surface: str


class Gazetteer:
    """Names of known entities, matched longest first over normalised text."""

    def __init__(self, names: list[tuple[int, str]]) -> None:
        self._names: dict[str, int] = {}
        for key, name in names:
            for variant in self._variants(name):
                self._names.setdefault(variant, key)
        # Sorted by length so a longer name is always tried before any name inside it.
        self._ordered = sorted(self._names, key=len, reverse=True)

    @staticmethod
    def _variants(name: str) -> set[str]:
        base, _ = normalise(name.strip())
        if not base:
            return set()
        variants = {base}
        if "・" in base:
            variants |= {base.replace("・", ""), base.replace("・", "=")}
        return variants

    def __len__(self) -> int:
        return len(self._names)

    @staticmethod
    def _bounded(text: str, begin: int, end: int) -> bool:
        first, last = text[begin], text[end - 1]
        before = text[begin - 1] if begin > 0 else ""
        after = text[end] if end < len(text) else ""
        if is_katakana(first) and before and is_katakana(before):
            return False
        if is_katakana(last) and after and is_katakana(after):
            return False
        if _is_ascii_word(first) and before and _is_ascii_word(before):
            return False
        return not (_is_ascii_word(last) and after and (_is_ascii_word(after) and after not in "'-"))

    def find(self, text: str) -> list[Span]:
        """Non-overlapping matches, longest names first, in text order."""
        norm, where = normalise(text)
        taken = [False] * len(norm)
        found: list[tuple[int, int, int]] = []
        for name in self._ordered:
            start = norm.find(name)
            while start >= 0:
                end = start + len(name)
                if not any(taken[start:end]) and self._bounded(norm, start, end):
                    found.append((start, end, self._names[name]))
                    for k in range(start, end):
                        taken[k] = True
                start = norm.find(name, start + 1)
        spans = []
        for start, end, key in sorted(found):
            begin, stop = where[start], where[end] if end < len(where) else len(text)
            spans.append(Span(key, begin, stop, text[begin:stop]))
        return spans


# Proper nouns from the tokenizer

_KIND_BY_POS = {"人名": "person", "地名": "place"}
_JOINERS = frozenset("・＝=")
# A run of nouns ending like this is a name (東亜エネルギー研究所, 韓国ガス公社, 与那国島).
_PLACE_ENDINGS = (
    "県",
    "市",
    "町",
    "村",
    "島",
    "港",
    "地方",
    "州",
    "区",
    "江",
    "湾",
    "海峡",
    "半島",
    "空港",
    "特区",
    "諸島",
)
_ORG_ENDINGS = (
    "研究所",
    "研究院",
    "研究会",
    "センター",
    "大学",
    "フォーラム",
    "協会",
    "工業会",
    "銀行",
    "証券",
    "公社",
    "機構",
    "事務局",
    "本部",
    "漁協",
    "財団",
    "鉄道",
    "電力",
    "評論",
    "通信",
    "新聞",
    "グループ",
    "パートナーズ",
)
# Government bodies are named with common nouns only (金融委員会, 海洋水産部, 気象庁).
_GOVERNMENT_ENDINGS = ("省", "庁", "部", "委員会", "署", "局", "院")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]+")


def _candidate_kind(pos: tuple[str, ...]) -> str:
    kind = _KIND_BY_POS.get(pos[2], "organisation")
    if kind == "place" and len(pos) > 3 and pos[3] == "国":
        return "country"
    return kind


def _is_proper(token) -> bool:
    return token.pos1 == "名詞" and token.pos[1] == "固有名詞"


def _in_run(token, run: list) -> bool:
    """Whether ``token`` continues a run of nouns that may form a name."""
    if token.pos1 == "名詞":
        if token.pos[2] == "副詞可能" or (token.pos[1] == "数詞" and not run):
            return False
        return not (run and run[-1].surface in _JOINERS and not all(map(is_katakana, token.surface)))
    if token.pos1 == "接尾辞" and token.pos[1] == "名詞的":
        return bool(run)
    return token.surface in _JOINERS and bool(run) and is_katakana(run[-1].surface[-1])


def _names_in_run(text: str, run: list, is_known) -> list[Span]:
    while run and run[-1].surface in _JOINERS:
        run = run[:-1]
    if not run:
        return []
    begin, end = run[0].begin, run[-1].end
    surface = text[begin:end]
    inside_known = [is_known(t) for t in run]
    if len(run) >= 2 and not inside_known[-1]:
        markers = any(_is_proper(t) or is_katakana(t.surface[0]) or t.surface.isascii() for t in run)
        if surface.endswith(_PLACE_ENDINGS) and (markers or any(inside_known)):
            return [Span("place", begin, end, surface)]
        if surface.endswith(_ORG_ENDINGS) and (markers or any(inside_known)):
            return [Span("organisation", begin, end, surface)]
        if surface.endswith(_GOVERNMENT_ENDINGS):
            return [Span("organisation", begin, end, surface)]
    # Otherwise the names inside the run: proper nouns, acronyms, katakana joined by ・.
    spans = []
    group: list = []

    def close():
        while group and group[-1].surface in _JOINERS:
            group.pop()
        named = [t for t in group if _is_proper(t) or _ACRONYM.fullmatch(t.surface)]
        if named or any(t.surface in _JOINERS for t in group):
            # Katakana common nouns count only when joined by ・ (ジョン・スミス); else keep the names.
            if not any(t.surface in _JOINERS for t in group):
                while group and not (_is_proper(group[0]) or _ACRONYM.fullmatch(group[0].surface)):
                    group.pop(0)
                while group and not (_is_proper(group[-1]) or _ACRONYM.fullmatch(group[-1].surface)):
                    group.pop()
            surface = text[group[0].begin : group[-1].end]
            proper = next((t for t in group if _is_proper(t)), None)
            spans.append(
                Span(
                    _candidate_kind(proper.pos) if proper else "organisation",
                    group[0].begin,
                    group[-1].end,
                    surface,
                )
            )
        group.clear()

    for token, known in zip(run, inside_known, strict=True):
        katakana = all(map(is_katakana, token.surface))
        joined = bool(group) and group[-1].surface in _JOINERS
        nameish = _is_proper(token) or bool(_ACRONYM.fullmatch(token.surface)) or katakana
        if known or not nameish and not (token.surface in _JOINERS and group):
            close()
        elif token.surface in _JOINERS or joined or not group or nameish:
            group.append(token)
    close()
    return spans


def proper_nouns(text: str, skip: list[Span] = ()) -> list[Span]:
    """Candidate names the gazetteer does not know, from the tokenizer: runs of proper nouns
    (佐藤 + 一郎), katakana names joined by ・ (ジョン・スミス), acronyms (JERA), and runs of nouns
    ending like an organisation or place (東亜エネルギー研究所, 韓国ガス公社, 与那国島, 金融委員会).
    Each has a guessed kind; names already matched (``skip``) are not proposed again."""
    from newsdesk.japanese.tokens import tokenize

    blocked = [(span.begin, span.end) for span in skip]
    known = {span.surface for span in skip}

    def is_known(token) -> bool:
        return any(token.begin < end and begin < token.end for begin, end in blocked)

    out: list[Span] = []
    run: list = []
    for token in [*tokenize(text), None]:
        if token is not None and _in_run(token, run) and (not run or token.begin == run[-1].end):
            run.append(token)
            continue
        out.extend(_names_in_run(text, run, is_known))
        run = [token] if token is not None and _in_run(token, []) else []
    return [
        span
        for span in out
        if len(span.surface) > 1 and not span.surface.isdigit() and span.surface not in known
    ]


# Key figures

_KANJI_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10**4, "億": 10**8, "兆": 10**12}

_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_KANJI = r"[〇一二三四五六七八九十百千]+"
_NUMBER = rf"(?:(?:{_ARABIC}|{_KANJI}|数[十百千]?)[兆億万]?)+|(?:{_ARABIC})千"

# Longest first: the regex alternation takes the first that matches.
_UNITS = sorted(
    """
    % パーセント ポイント 倍 割 ドル 米ドル 円 ウォン 元 人民元 ルーブル ユーロ ポンド 台湾ドル 香港ドル トゥグルグ ETH BTC
    発 人 名 件 台 機 隻 両 輌 基 席 議席 個 本 枚 頭 社 カ国 か国 ヶ国 ケ国 ヵ国 カ所 か所 ヶ所 箇所 回 往復 便 室 戸
    歳 世帯 票 門 棟 軒 校 店 口座 分野 項目 都県 道府県 県 市町村 カ月 か月 ヶ月 ヵ月 週間 日間 時間 年間 日 年
    トン t キロ km キロメートル メートル m ミリ センチ ナノメートル nm kg キログラム ヘクタール 平方キロ
    平方キロメートル 海里 マイル バレル 万kW kW GW MW ギガワット メガワット 度
    """.split(),  # noqa: SIM905
    key=len,
    reverse=True,
)
_UNIT_NAMES = {
    "パーセント": "%",
    "か国": "カ国",
    "ヶ国": "カ国",
    "ケ国": "カ国",
    "ヵ国": "カ国",
    "か所": "カ所",
    "ヶ所": "カ所",
    "箇所": "カ所",
    "か月": "カ月",
    "ヶ月": "カ月",
    "ヵ月": "カ月",
    "輌": "両",
    "キロメートル": "km",
    "キログラム": "kg",
    "平方キロメートル": "平方キロ",
}
_PREFIX = (
    r"(?:約|およそ|年間|月間|(?<![\d今昨去来同前毎第])年|(?<![先今来前翌同毎第])週"
    r"|(?<![\d一二三四五六七八九十先今来前翌同毎カヵヶか])月|毎日|毎週|毎月|毎年|1日|一日|推定|計|合計|総額|総計"
    r"|最大|最小|最高|最低|最長|最短|平均|延べ|少なくとも|実に|ほぼ|前年比|前年同期比|風速|最大風速)"
)
_SUFFIX = r"(?:以上|以下|未満|以内|超|余り|余|近く|程度|前後|連続|ぶり|目|前|後|分)"
_FIGURE = re.compile(
    rf"(?P<prefix>(?:{_PREFIX}\s?){{0,3}})(?P<number>{_NUMBER})\s?"
    rf"(?P<unit>分の(?:\d+|[一二三四五六七八九十]+)|時間\d+分|{'|'.join(map(re.escape, _UNITS))})"
    rf"(?P<suffix>{_SUFFIX})?"
)
# Counters that are also dates (2日, 2024年): key figures only with a prefix or suffix (5日以内,
# 平均45日, 最長1年, 10年前), never right after a month or year.
_DATE_UNITS = frozenset({"日", "年"})
# A unit that runs on into a longer word is not a unit (3人民 ..., 5回目 is fine, 2本部 is not).
_UNIT_CONTINUES = {
    "m": re.compile(r"[a-zA-Z]"),
    "t": re.compile(r"[a-zA-Z]"),
    "キロ": re.compile(r"[ァ-ヺー]"),
    "発": re.compile(r"[表射言足生行売電展見効揮信注覚]"),
    "基": re.compile(r"[地準本礎金盤]"),
    "社": re.compile(r"[会長員説]"),
    "本": re.compile(r"[部人格当来]"),
    "人": re.compile(r"[民間類口気物]"),
    "名": re.compile(r"[古前義目称]"),
    "台": re.compile(r"[湾風頭]"),
    "元": re.compile(r"[首帥年々]"),
    "回": re.compile(r"[復収答避]"),
    "度": re.compile(r"[合]"),
    "件": re.compile(r"[費]"),
}


@dataclass(frozen=True)
class FigureMatch:
    text: str
    value: Decimal | None
    unit: str
    begin: int
    end: int


def _kanji_group(text: str) -> int | None:
    """A kanji numeral below 10,000 (三千五百 → 3500, 十二 → 12)."""
    total, digit = 0, None
    for ch in text:
        if ch in _KANJI_DIGITS:
            # 二〇二四: digits written one after another
            digit = _KANJI_DIGITS[ch] if digit is None else digit * 10 + _KANJI_DIGITS[ch]
        elif ch in _SMALL_UNITS:
            total += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


_GROUP = re.compile(rf"({_ARABIC}|{_KANJI}|数[十百千]?)([兆億万千]?)")


def parse_number(text: str) -> Decimal | None:
    """The value of a Japanese number: 6億2000万 → 620000000, 1万2000 → 12000, 3.5 → 3.5, 三十万 →
    300000; None for vague ones (数万)."""
    text = unicodedata.normalize("NFKC", text)
    total = Decimal(0)
    pos = 0
    for match in _GROUP.finditer(text):
        if match.start() != pos:
            return None
        pos = match.end()
        number, unit = match.groups()
        if number.startswith("数"):
            return None
        if number[0].isdigit():
            try:
                value = Decimal(number.replace(",", ""))
            except InvalidOperation:
                return None
        else:
            kanji = _kanji_group(number)
            if kanji is None:
                return None
            value = Decimal(kanji)
        total += value * (_BIG_UNITS.get(unit) or _SMALL_UNITS.get(unit) or 1)
    return total if pos == len(text) and pos else None


def find_figures(text: str) -> list[FigureMatch]:
    norm, where = normalise(text)
    out: list[FigureMatch] = []
    for match in _FIGURE.finditer(norm):
        number, unit = match.group("number"), match.group("unit")
        follow = _UNIT_CONTINUES.get(unit)
        if follow and follow.match(norm, match.end("unit")):
            continue
        if match.start("number") > 0 and re.match(r"[\d.]", norm[match.start("number") - 1]):
            continue
        # A lone kanji numeral with a counter (一部, 一方 are not units; 一人 is not a key figure).
        if not re.search(r"\d|[十百千万億兆]", number) and unit not in ("%", "ドル", "円", "ウォン", "元"):
            continue
        if unit in _DATE_UNITS:
            before = norm[match.start() - 1] if match.start() > 0 else ""
            if (
                (before and before in "年月")
                or len(number) > 3
                or not (match.group("prefix") or match.group("suffix"))
            ):
                continue
            if re.search(r"(令和|平成|昭和)$", norm[: match.start()]):
                continue
        begin, end = where[match.start()], where[match.end()]
        value = parse_number(number)
        if unit.startswith("分の"):  # 3分の1: a fraction
            denominator, numerator = value, parse_number(unit[2:])
            value = numerator / denominator if value and numerator is not None else None
            unit = "分の"
        elif unit.startswith("時間") and unit != "時間":  # 1時間40分: in hours
            value = value + Decimal(int(unit[2:-1])) / 60 if value is not None else None
            unit = "時間"
        out.append(FigureMatch(text[begin:end], value, _UNIT_NAMES.get(unit, unit), begin, end))
    return out


# Dates

_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}
_YEAR = r"(?:(?P<year>(?:19|20)\d{2})年|(?P<era>令和|平成|昭和)(?P<era_year>元|\d{1,2})年|(?P<relative>昨年|去年|今年|本年|来年|同年|一昨年)(?:の)?)"
_DATE = re.compile(rf"(?:{_YEAR})?(?:(?P<month>1[0-2]|0?[1-9])月(?:(?P<day>3[01]|[12]\d|0?[1-9])日)?)?(?!\d)")
_RELATIVE_YEARS = {"昨年": -1, "去年": -1, "一昨年": -2, "今年": 0, "本年": 0, "来年": 1}


@dataclass(frozen=True)
class DateMatch:
    date: dt.date
    precision: str  # day, month or year
    text: str
    begin: int
    end: int


def find_dates(
    text: str, reference: dt.date | None = None, context_year: int | None = None
) -> list[DateMatch]:
    """Dates in ``text``. A date without a year (9月13日) takes the year of ``reference`` (the
    article's date), or the year before when that would put it more than six months after the
    reference; 同年 takes the last year written out before it (``context_year`` across calls)."""
    norm, where = normalise(text)
    out: list[DateMatch] = []
    last_year = context_year
    for match in _DATE.finditer(norm):
        if not match.group(0):
            continue
        if match.start() > 0 and norm[match.start() - 1].isdigit():
            continue
        month = int(match.group("month")) if match.group("month") else None
        day = int(match.group("day")) if match.group("day") else None
        year = None
        if match.group("year"):
            year = int(match.group("year"))
            if month is None and match.end() < len(norm) and norm[match.end()] in "代間":
                continue  # 2020年代, 2020年間 (2024年度 is a year)
        elif match.group("era"):
            era_year = match.group("era_year")
            year = _ERAS[match.group("era")] + (1 if era_year == "元" else int(era_year))
        elif match.group("relative"):
            relative = match.group("relative")
            if relative == "同年":
                year = last_year
            elif reference is not None:
                year = reference.year + _RELATIVE_YEARS[relative]
            if month is None:
                continue  # 昨年 alone is not an event
        if year is None:
            if month is None or day is None or reference is None:
                continue  # 6月 alone is too vague
            year = reference.year
            try:
                if dt.date(year, month, day) > reference + dt.timedelta(days=183):
                    year -= 1
            except ValueError:
                continue
        if match.group("year") or match.group("era"):
            last_year = year
        try:
            date = dt.date(year, month or 1, day or 1)
        except ValueError:
            continue
        precision = "day" if day else "month" if month else "year"
        begin, end = where[match.start()], where[match.end()]
        out.append(DateMatch(date, precision, text[begin:end], begin, end))
    return out


def sentences_with_offsets(paragraph: str) -> list[tuple[int, int, str]]:
    """(begin, end, sentence) for each sentence of ``paragraph``."""
    out = []
    pos = 0
    for sentence in split_sentences(paragraph):
        at = paragraph.find(sentence, pos)
        if at < 0:
            continue
        out.append((at, at + len(sentence), sentence))
        pos = at + len(sentence)
    return out


def sentence_at(sentences: list[tuple[int, int, str]], offset: int, fallback: str) -> str:
    for begin, end, sentence in sentences:
        if begin <= offset < end:
            return sentence
    return fallback
