"""Key figures and dated events in Japanese text, for the "entities" stage; pure functions.

* :func:`find_figures` finds numbers with a unit or counter (年間1400万発, 6億2000万ドル, 約20％,
  週5往復) and their value; :func:`find_dates` finds dates (2023年9月13日, 2024年6月, 2020年, 9月13日
  with the year of the article's date, 昨年9月, 同年5月, 令和6年, 昭和64年) for the timeline.
* :func:`sentences_with_offsets` and :func:`sentence_at` give the sentence a figure or date sits in.

Offsets are always into the original text: matching runs over normalised text, display uses the
original.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from newsdesk.japanese.dates import ERA_PATTERN, era_year
from newsdesk.japanese.normalize import nfkc_with_offsets
from newsdesk.japanese.numbers import NUMBER_PATTERN, parse_number
from newsdesk.japanese.sentences import split_sentences

__all__ = [
    "FigureMatch",
    "find_figures",
    "DateMatch",
    "find_dates",
    "sentences_with_offsets",
    "sentence_at",
]

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
    rf"(?P<prefix>(?:{_PREFIX}\s?){{0,3}})(?P<number>{NUMBER_PATTERN})\s?"
    rf"(?P<unit>分の(?:\d+|[一二三四五六七八九十]+)|時間\d+分|{'|'.join(map(re.escape, _UNITS))})"
    rf"(?P<suffix>{_SUFFIX})?"
)
# Counters that are also dates (2日, 2024年): key figures only with a prefix or suffix (5日以内,
# 平均45日, 最長1年, 10年前), never right after a month or year.
_DATE_UNITS = frozenset({"日", "年"})
_AFTER_ERA = re.compile(rf"(?:{ERA_PATTERN})$")  # 令和6年 is a date, not six years
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


def find_figures(text: str) -> list[FigureMatch]:
    norm, where = nfkc_with_offsets(text)
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
            if _AFTER_ERA.search(norm, 0, match.start()):
                continue
        begin, end = where[match.start()], where[match.end()]
        value = parse_number(number)
        if unit.startswith("分の"):  # 3分の1: a fraction
            denominator, numerator = value, parse_number(unit[2:])
            value = numerator / denominator if denominator and numerator is not None else None
            unit = "分の"
        elif unit.startswith("時間") and unit != "時間":  # 1時間40分: in hours
            value = value + Decimal(int(unit[2:-1])) / 60 if value is not None else None
            unit = "時間"
        out.append(FigureMatch(text[begin:end], value, _UNIT_NAMES.get(unit, unit), begin, end))
    return out


# Dates

_YEAR = (
    rf"(?:(?P<year>(?:19|20)\d{{2}})年|(?P<era>{ERA_PATTERN})(?P<era_year>元|\d{{1,2}})年"
    r"|(?P<relative>昨年|去年|今年|本年|来年|同年|一昨年)(?:の)?)"
)
_DATE = re.compile(rf"(?:{_YEAR})?(?:(?P<month>1[0-2]|0?[1-9])月(?:(?P<day>3[01]|[12]\d|0?[1-9])日)?)?(?!\d)")
_RELATIVE_YEARS = {"昨年": -1, "去年": -1, "一昨年": -2, "今年": 0, "本年": 0, "来年": 1}
_SEP = r"\s?[~〜\-–—]\s?"
# 朝鮮戦争(1950~1953年), 1950~53年: both ends are events.
_YEAR_RANGE = re.compile(
    rf"(?<!\d)(?P<first>(?:19|20)\d{{2}})年?{_SEP}(?P<last>(?:19|20)\d{{2}}|\d{{2}})年(?![度代間])"
)
# 9月13～14日, 2023年9月13~14日: both days.
_DAY_RANGE = re.compile(
    rf"(?:(?P<year>(?:19|20)\d{{2}})年)?(?<!\d)(?P<month>1[0-2]|0?[1-9])月(?P<first>3[01]|[12]\d|0?[1-9])日?"
    rf"{_SEP}(?P<last>3[01]|[12]\d|0?[1-9])日"
)
# 2024年6～8月: both months (a year is needed, as for a month alone).
_MONTH_RANGE = re.compile(
    rf"(?P<year>(?:19|20)\d{{2}})年(?P<first>1[0-2]|0?[1-9])月?{_SEP}(?P<last>1[0-2]|0?[1-9])月(?!\d)"
)
# 2024年度, 令和6年度, 来年度: the fiscal year, from April.
_FISCAL = re.compile(
    rf"(?:(?P<year>(?:19|20)\d{{2}})|(?P<era>{ERA_PATTERN})(?P<era_year>元|\d{{1,2}})|(?P<relative>昨|今|本|来))年度"
)
_FISCAL_RELATIVE = {"昨": -1, "今": 0, "本": 0, "来": 1}
# Dates said relative to the article's: 先週, 今月, 昨年 (今年 alone says nothing the article's date does not).
_RELATIVE = re.compile(
    r"(?P<word>一昨日|昨日|本日|明日|先週|今週|来週|先月|今月|来月|一昨年|昨年|去年|来年)(?![\d度])"
)
FISCAL_MONTH = 4  # a fiscal year's event is dated its first day, 1 April, with precision "year"


@dataclass(frozen=True)
class DateMatch:
    date: dt.date
    precision: str  # day, week, month or year
    text: str
    begin: int
    end: int


def _year_of(month: int, day: int, reference: dt.date | None) -> int | None:
    """The year of a year-less date: the article's, or the one before when that would put it more
    than six months after the article."""
    if reference is None:
        return None
    year = reference.year
    try:
        if dt.date(year, month, day) > reference + dt.timedelta(days=183):
            year -= 1
    except ValueError:
        return None
    return year


def _relative(word: str, reference: dt.date) -> tuple[dt.date, str]:
    if word in ("一昨日", "昨日", "本日", "明日"):
        return reference + dt.timedelta(days={"一昨日": -2, "昨日": -1, "本日": 0, "明日": 1}[word]), "day"
    if word in ("先週", "今週", "来週"):
        monday = reference - dt.timedelta(days=reference.weekday())
        return monday + dt.timedelta(weeks={"先週": -1, "今週": 0, "来週": 1}[word]), "week"
    if word in ("先月", "今月", "来月"):
        months = reference.year * 12 + reference.month - 1 + {"先月": -1, "今月": 0, "来月": 1}[word]
        return dt.date(months // 12, months % 12 + 1, 1), "month"
    return dt.date(reference.year + _RELATIVE_YEARS[word], 1, 1), "year"


def find_dates(
    text: str, reference: dt.date | None = None, context_year: int | None = None
) -> list[DateMatch]:
    """Dates in ``text``. A date without a year (9月13日) takes the year of ``reference`` (the
    article's date), or the year before when that would put it more than six months after the
    reference; 同年 takes the last year written out before it (``context_year`` across calls).
    A range gives both ends (1950~1953年, 9月13～14日, 2024年6～8月); a fiscal year (2024年度) is
    dated 1 April; 先週, 今月, 昨年, 来年 and the like are read against ``reference``."""
    norm, where = nfkc_with_offsets(text)
    out: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    year: int | None

    def emit(date: dt.date, precision: str, start: int, stop: int) -> None:
        begin, end = where[start], where[stop]
        out.append(DateMatch(date, precision, text[begin:end], begin, end))

    def free(start: int, stop: int) -> bool:
        return not any(start < b and a < stop for a, b in taken)

    for match in _YEAR_RANGE.finditer(norm):
        first, last = int(match.group("first")), match.group("last")
        end_year = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
        if not first < end_year <= first + 100:
            continue
        emit(dt.date(first, 1, 1), "year", match.start(), match.end())
        emit(dt.date(end_year, 1, 1), "year", match.start(), match.end())
        taken.append(match.span())
    for match in _DAY_RANGE.finditer(norm):
        if not free(*match.span()):
            continue
        in_month, first, last = int(match.group("month")), int(match.group("first")), int(match.group("last"))
        year = int(match.group("year")) if match.group("year") else _year_of(in_month, first, reference)
        if year is None or not first < last:
            continue
        try:
            start_date, end_date = dt.date(year, in_month, first), dt.date(year, in_month, last)
        except ValueError:
            continue
        emit(start_date, "day", match.start(), match.end())
        emit(end_date, "day", match.start(), match.end())
        taken.append(match.span())
    for match in _MONTH_RANGE.finditer(norm):
        first, last = int(match.group("first")), int(match.group("last"))
        if not free(*match.span()) or not first < last:
            continue
        year = int(match.group("year"))
        emit(dt.date(year, first, 1), "month", match.start(), match.end())
        emit(dt.date(year, last, 1), "month", match.start(), match.end())
        taken.append(match.span())
    for match in _FISCAL.finditer(norm):
        if not free(*match.span()) or (match.start() > 0 and norm[match.start() - 1].isdigit()):
            continue
        if match.group("year"):
            year = int(match.group("year"))
        elif match.group("era"):
            year = era_year(match.group("era"), match.group("era_year"))
        elif reference is not None:
            year = reference.year + _FISCAL_RELATIVE[match.group("relative")]
            if reference.month < FISCAL_MONTH:
                year -= 1  # in January to March, this fiscal year began the year before
        else:
            continue
        emit(dt.date(year, FISCAL_MONTH, 1), "year", match.start(), match.end())
        taken.append(match.span())

    last_year = context_year
    previous: tuple[int, dt.date] | None = None  # where the last date ended, and that date
    for match in _DATE.finditer(norm):
        if not match.group(0) or not free(*match.span()):
            continue
        if match.start() > 0 and norm[match.start() - 1].isdigit():
            continue
        month = int(match.group("month")) if match.group("month") else None
        day = int(match.group("day")) if match.group("day") else None
        year = None
        if match.group("year"):
            year = int(match.group("year"))
            if month is None and match.end() < len(norm) and norm[match.end()] in "代間":
                continue  # 2020年代, 2020年間
        elif match.group("era"):
            year = era_year(match.group("era"), match.group("era_year"))
        elif match.group("relative"):
            relative = match.group("relative")
            if relative == "同年":
                year = last_year
            elif reference is not None:
                year = reference.year + _RELATIVE_YEARS[relative]
            if month is None:
                continue  # 昨年 alone: read below, with the other relative dates
        if year is None:
            if month is None or day is None:
                continue  # 6月 alone is too vague
            if previous and re.fullmatch(_SEP, norm[previous[0] : match.start()]):
                # The end of a range (2023年9月30日～10月2日): the year of its start, or the next.
                year = previous[1].year + (month < previous[1].month)
            else:
                year = _year_of(month, day, reference)
            if year is None:
                continue
        if match.group("year") or match.group("era"):
            last_year = year
        try:
            date = dt.date(year, month or 1, day or 1)
        except ValueError:
            continue
        precision = "day" if day else "month" if month else "year"
        emit(date, precision, match.start(), match.end())
        taken.append(match.span())
        previous = (match.end(), date)
    if reference is not None:
        for match in _RELATIVE.finditer(norm):
            if free(*match.span()):
                date, precision = _relative(match.group("word"), reference)
                emit(date, precision, match.start(), match.end())
    return sorted(out, key=lambda m: m.begin)


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


# How much a figure matters, and what it counts

_MONEY = frozenset(
    """ドル 米ドル 円 ウォン 元 人民元 ルーブル ユーロ ポンド 台湾ドル 香港ドル トゥグルグ ETH BTC""".split()  # noqa: SIM905
)
_HEADLINE = frozenset(
    """人 名 世帯 % 割 倍 ポイント 発 件 トン バレル 票 議席 カ国 戸 kW 万kW GW MW ギガワット メガワット""".split()  # noqa: SIM905
)
_DURATIONS = frozenset("時間 日間 週間 カ月 日 年 分 歳 回 往復 便 度".split())  # noqa: SIM905
_SCHEDULE = re.compile(r"^(?:週|毎週|毎日|毎月|1日|一日|月)\s?\d")
# A rate in front of a figure makes it another quantity: 年間15万人 is not 約12万人.
_RATE = re.compile(r"(年間|月間|週間|毎日|毎週|毎月|毎年|1日|一日|前年比|前年同期比|週|月)")
_CONTENT = re.compile(r"[\u3400-\u9fffァ-ヺー]+$")
_TRAILING = re.compile(
    r"(?:は|が|も|を|の|で|に|と|、|\s|約|およそ|推定|計|合計|総額|少なくとも|実に|ほぼ)+$"
)


def salience(text: str, unit: str, value: Decimal | None) -> tuple[int, Decimal]:
    """A sort key, most telling first: money (largest first), then totals, people and shares, then
    other counts and measures; ordinals (2隻目), schedules (週5日) and durations (1時間) last."""
    norm = nfkc_with_offsets(text)[0]
    size = -(value or Decimal(0))
    if norm.endswith("目") or norm.startswith("第") or _SCHEDULE.match(norm):
        return (4, size)
    if unit in _MONEY:
        return (0, size)
    if unit in _HEADLINE:
        return (1, size)
    if unit in _DURATIONS:
        return (3, size)
    return (2, size)


def quantity_of(text: str, unit: str, sentence: str) -> tuple[str, str, str]:
    """What a figure measures, to compare it with other outlets': (unit, rate, counted noun). The
    noun is the one it is said of (死者は12人, コンテナは約2万個) or that follows it (12万人の観客);
    empty when the sentence does not say."""
    norm, sentence_norm = nfkc_with_offsets(text)[0], nfkc_with_offsets(sentence)[0]
    rate = _RATE.match(norm)
    at = sentence_norm.find(norm)
    noun = ""
    if at >= 0:
        following = re.match(r"の([\u3400-\u9fffァ-ヺー]+)", sentence_norm[at + len(norm) :])
        if following:
            noun = following.group(1)
        else:
            before = _TRAILING.sub("", sentence_norm[:at])
            found = _CONTENT.search(before)
            # Not a unit of the figure before it (250億円で、約50億円: nothing said of the second).
            if found and not (found.start() > 0 and before[found.start() - 1].isdigit()):
                noun = found.group(0)[-6:]
    return (unit, rate.group(1) if rate else "", noun)
