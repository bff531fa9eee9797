"""Names in Japanese text, for the "entities" stage; pure functions, no database.

* :class:`Gazetteer` finds known names (and aliases) by longest match over NFKC-normalised text, so
  金正恩, ラザロ・グループ and 朝鮮中央通信 stay whole. Katakana and ASCII names only match at word
  boundaries (タイ is not found in タイミング, UN not in UNESCO); ASCII names match case-sensitively;
  a name written with ・ also matches without it or with ＝.
* :func:`proper_nouns` takes the tokenizer's proper nouns (固有名詞) outside the spans already matched,
  joining consecutive ones (佐藤 + 一郎, ジョン・スミス) into candidate names.

Offsets are always into the original text: matching runs over normalised text, display uses the
original.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsdesk.japanese.normalize import is_katakana, nfkc_with_offsets

if TYPE_CHECKING:
    from newsdesk.japanese.tokens import Token

__all__ = ["Span", "Gazetteer", "proper_nouns", "Found", "find_entities", "article_entities"]


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
        base, _ = nfkc_with_offsets(name.strip())
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
        norm, where = nfkc_with_offsets(text)
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
            begin, stop = where[start], where[end]
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


def _is_proper(token: Token) -> bool:
    return token.pos1 == "名詞" and token.pos[1] == "固有名詞"


def _in_run(token: Token, run: list[Token]) -> bool:
    """Whether ``token`` continues a run of nouns that may form a name."""
    if token.pos1 == "名詞":
        if token.pos[2] == "副詞可能" or (token.pos[1] == "数詞" and not run):
            return False
        return not (run and run[-1].surface in _JOINERS and not all(map(is_katakana, token.surface)))
    if token.pos1 == "接尾辞" and token.pos[1] == "名詞的":
        return bool(run)
    return token.surface in _JOINERS and bool(run) and is_katakana(run[-1].surface[-1])


def _names_in_run(text: str, run: list[Token], is_known: Callable[[Token], bool]) -> list[Span]:
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
    spans: list[Span] = []
    group: list[Token] = []

    def close() -> None:
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


def proper_nouns(text: str, skip: Sequence[Span] = ()) -> list[Span]:
    """Candidate names the gazetteer does not know, from the tokenizer: runs of proper nouns
    (佐藤 + 一郎), katakana names joined by ・ (ジョン・スミス), acronyms (JERA), and runs of nouns
    ending like an organisation or place (東亜エネルギー研究所, 韓国ガス公社, 与那国島, 金融委員会).
    Each has a guessed kind; names already matched (``skip``) are not proposed again."""
    from newsdesk.japanese.tokens import tokenize

    blocked = [(span.begin, span.end) for span in skip]
    known = {span.surface for span in skip}

    def is_known(token: Token) -> bool:
        return any(token.begin < end and begin < token.end for begin, end in blocked)

    out: list[Span] = []
    run: list[Token] = []
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


# Entities beyond the gazetteer: people with titles, companies and bodies, places, countries

# Titles after a name: 野々宮翔太市長, 王毅外相, ヤン・ストルテンベルグ事務総長, 佐藤氏.
_TITLES = (
    "氏",
    "さん",
    "容疑者",
    "被告",
    "社長",
    "会長",
    "副社長",
    "頭取",
    "代表",
    "大統領",
    "副大統領",
    "首相",
    "副首相",
    "外相",
    "国防相",
    "財務相",
    "蔵相",
    "外務相",
    "相",
    "大臣",
    "長官",
    "次官",
    "市長",
    "知事",
    "区長",
    "町長",
    "村長",
    "議員",
    "議長",
    "委員長",
    "報道官",
    "大使",
    "総書記",
    "主席",
    "国家主席",
    "書記長",
    "事務総長",
    "総裁",
    "教授",
    "准教授",
    "研究員",
    "記者",
    "監督",
    "選手",
    "司令官",
    "将軍",
    "総統",
    "国王",
    "首席",
    "院長",
    "局長",
    "部長",
    "課長",
    "所長",
    "理事長",
    "学長",
    "最高経営責任者",
    "CEO",
)
_TITLE_AFTER = re.compile("(?:" + "|".join(sorted(map(re.escape, _TITLES), key=len, reverse=True)) + ")")
# Endings that always make an organisation of the noun run before them (共同通信, 外務省, 東都大学).
_STRONG_ORG_ENDINGS = (
    "株式会社",
    "ホールディングス",
    "グループ",
    "通信",
    "通信社",
    "新聞",
    "新聞社",
    "放送",
    "大学",
    "省",
    "庁",
    "銀行",
    "証券",
    "電力",
    "重工業",
    "重工",
    "自動車",
    "商事",
    "物産",
    "製鉄",
    "電機",
    "製薬",
    "公社",
    "機構",
    "研究所",
    "委員会",
    "党",
    "社",
)
# Government bodies are named with common nouns only (外務省, 金融委員会); other endings need a name
# in front (中京電力, not 大手電力; 東都大学, not 電気自動車).
_BODY_ENDINGS = ("省", "庁", "委員会", "機構", "公社")
# What goes before a name, not in it: コンサルティング会社ノースウインド・パートナーズ.
_DESCRIPTOR = re.compile(r"^.*?(?:会社|企業|メーカー|大手|法人)(?=[^会社企業法人])")
# Endings that make a company only in company context (玄洋フェリーの社長, 青葉ケミカル株式会社).
_WEAK_ORG_ENDINGS = (
    "フェリー",
    "ケミカル",
    "エナジー",
    "テック",
    "電子",
    "建設",
    "物流",
    "海運",
    "航空",
    "化学",
    "工業",
    "製作所",
    "食品",
    "商会",
    "興業",
    "交通",
    "バス",
    "造船",
    "水産",
    "ファーマ",
    "モーターズ",
)
_COMPANY_CONTEXT = re.compile(
    r"(?:の|は|が|で)?(?:株式会社|社長|会長|社員|従業員|広報|最高経営責任者|CEO|幹部|傘下|本社|工場|株価|決算|株|運航|製造|販売)"
)
# Not names, whatever the tokenizer says or however they end.
_NOT_NAMES = frozenset(
    """
    反省 帰省 内省 自省 各省 同省 本省 両省 各庁 同庁 同社 当社 本社 自社 他社 各社 両社 会社 支社 商社 弊社 入社 出社
    退社 神社 結社 同党 与党 野党 各党 両党 政党 新党 離党 入党 本党 大学 同大学 同大 各大学 通信 放送 新聞 銀行 同行
    委員会 同委員会 機構 研究所 同研究所 グループ 同グループ 同局 同部
    ウォン ドル ユーロ ルーブル ポンド 人民元 円
    """.split()  # noqa: SIM905
)
# Latin acronyms that are words, not names: kept out of the candidates whatever their count.
ACRONYM_STOPLIST = frozenset(
    """
    PM AM MOU CEO CFO COO CTO GDP GNP AI IT IoT EV PC TV SNS PR OK NG VS FAQ PDF URL ID DNA PCR
    USB LNG LPG CO2 EEZ ICBM SLBM SRBM IRBM BMD PKO ODA FTA EPA TPP AFP
    """.split()  # noqa: SIM905
)
_PLACE_SUFFIXES = ("県", "府", "都", "道", "市", "区", "町", "村", "省", "州")


@dataclass(frozen=True)
class Found:
    """An entity in a text: a gazetteer entity (``entity`` its id) or a name found by rule."""

    name: str
    kind: str
    begin: int
    end: int
    entity: int | None = None


def _token_kind(token: Token) -> str | None:
    if not _is_proper(token):
        return None
    if token.pos[2] == "人名":
        return "person"
    if token.pos[2] == "地名":
        return "country" if token.pos[3] == "国" else "place"
    return None


def _namelike(token: Token) -> bool:
    """A token that can be part of a name before a title: a proper noun, katakana, ・."""
    return _is_proper(token) or all(map(is_katakana, token.surface)) or token.surface in _JOINERS


def find_entities(
    text: str, gazetteer: Gazetteer | None = None, kinds: dict[int, str] | None = None
) -> list[Found]:
    """The entities of ``text``, in text order: the gazetteer's (longest match, but never a part of a
    longer place name: 北九州市 is not 九州) and the names found by rule: people (a name before a title,
    or 姓+名), organisations (…省, …大学, …通信, …ホールディングス; …フェリー or …ケミカル in company
    context), places and countries (the tokenizer's 地名, whole). Candidates that are common nouns
    (見方) or a place run on into a common noun (サバ漁) are left out."""
    from newsdesk.japanese.tokens import tokenize

    kinds = kinds or {}
    tokens = tokenize(text)
    spans = gazetteer.find(text) if gazetteer is not None else []

    def inside_longer_place(span: Span) -> bool:
        for token in tokens:
            if token.end <= span.begin or token.begin >= span.end:
                continue
            longer = token.begin < span.begin or token.end > span.end
            if longer and _token_kind(token) in ("place", "country"):
                return True
        return False

    spans = [span for span in spans if not inside_longer_place(span)]
    out: list[Found] = [
        Found(span.surface, kinds.get(int(span.key), "organisation"), span.begin, span.end, int(span.key))
        for span in spans
    ]
    taken = [(span.begin, span.end) for span in spans]

    def free(begin: int, end: int) -> bool:
        return not any(begin < stop and start < end for start, stop in taken)

    def add(name: str, kind: str, begin: int, end: int) -> None:
        if kind == "person":
            title = _TITLE_AFTER.search(name)
            if title and title.end() == len(name) and title.start() > 0:  # 豪氏: the tokenizer's name
                end -= len(title.group(0))
                name = name[: title.start()]
        elif kind == "organisation":
            descriptor = _DESCRIPTOR.match(name)
            if descriptor:
                begin += descriptor.end()
                name = name[descriptor.end() :]
        if len(name) < 2 or name in _NOT_NAMES or not free(begin, end):
            return
        out.append(Found(name, kind, begin, end))
        taken.append((begin, end))

    # People before a title, organisations by their ending: over runs of nouns.
    runs: list[list[Token]] = []
    run: list[Token] = []
    for token in [*tokens, None]:
        if (
            token is not None
            and (token.pos1 in ("名詞", "接尾辞", "接頭辞") or token.surface in _JOINERS)
            and (not run or token.begin == run[-1].end)
        ):
            run.append(token)
            continue
        if run:
            runs.append(run)
        run = [token] if token is not None and token.pos1 in ("名詞", "接頭辞") else []
    for run in runs:
        _people_in_run(text, run, add)
        _organisation_in_run(text, run, add)
    # Places and countries: the tokenizer's 地名 (and a run of them with a place suffix: 福岡市).
    for index, token in enumerate(tokens):
        kind = _token_kind(token)
        if kind not in ("place", "country"):
            continue
        end = token.end
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is not None and following.begin == end:
            if following.surface in _PLACE_SUFFIXES:
                end = following.end
            elif (
                following.pos1 == "名詞"
                and following.pos[1] == "普通名詞"
                and is_katakana(token.surface[0])
                and not following.surface.endswith(_PLACE_ENDINGS)
            ):
                continue  # サバ漁, サバ缶: a fish, not a place
        add(text[token.begin : end], kind, token.begin, end)
    # The rest of the tokenizer's proper nouns (姓+名, katakana names with ・, acronyms).
    for span in proper_nouns(text, [Span(0, b, e, text[b:e]) for b, e in taken]):
        if _ACRONYM.fullmatch(span.surface) and span.surface in ACRONYM_STOPLIST:
            continue
        if span.key in ("place", "country"):
            continue  # found above, or left out there on purpose
        if text.startswith(_WEAK_ORG_ENDINGS, span.end):
            continue  # 玄洋 of 玄洋フェリー outside company context: not a name of its own
        add(span.surface, str(span.key), span.begin, span.end)
    return sorted(out, key=lambda found: found.begin)


def _people_in_run(text: str, run: list[Token], add: Callable[[str, str, int, int], None]) -> None:
    index = 0
    while index < len(run):
        if not _namelike(run[index]) or run[index].surface in _JOINERS:
            index += 1
            continue
        stop = index
        while stop < len(run) and _namelike(run[stop]):
            stop += 1
        group = run[index:stop]
        while group and group[-1].surface in _JOINERS:
            group.pop()
        if group:
            begin, end = group[0].begin, group[-1].end
            titled = _TITLE_AFTER.match(text, end) is not None
            people = [t for t in group if _is_proper(t) and t.pos[2] == "人名"]
            places = [t for t in group if _token_kind(t) in ("place", "country")]
            if (
                titled
                and not places
                and (
                    people
                    or any(t.surface in _JOINERS for t in group)
                    or (len(group) == 1 and _is_proper(group[0]) and group[0].pos[2] != "地名")
                )
            ):
                add(text[begin:end], "person", begin, end)
            elif people and len(people) == len(group):
                # 姓+名 (野々宮翔太) or a whole name (李在明): a person even without a title.
                add(text[begin:end], "person", begin, end)
        index = max(stop, index + 1)


def _organisation_in_run(text: str, run: list[Token], add: Callable[[str, str, int, int], None]) -> None:
    while run and (run[0].pos1 == "接頭辞" or run[0].surface in _JOINERS):
        run = run[1:]
    if not run:
        return
    # The longest prefix of the run that ends like an organisation.
    for stop in range(len(run), 0, -1):
        part = run[:stop]
        begin, end = part[0].begin, part[-1].end
        surface = text[begin:end]
        if surface in _NOT_NAMES:
            continue
        before = text[max(0, begin - 4) : begin]
        if surface.endswith(_STRONG_ORG_ENDINGS):
            ending = next(e for e in _STRONG_ORG_ENDINGS if surface.endswith(e))
            head = surface[: -len(ending)]
            if len(head) < 2 and not (ending in ("省", "庁", "党") and len(head) >= 1 and len(surface) >= 3):
                continue
            if head.startswith(("同", "各", "両", "本", "当", "自", "他", "旧", "元")) and len(head) <= 2:
                continue
            if (
                ending not in _BODY_ENDINGS
                and not any(_is_proper(t) or is_katakana(t.surface[0]) or t.surface.isascii() for t in part)
                and head not in ("共同", "時事", "聯合", "新華", "朝鮮中央", "朝日", "読売", "毎日", "産経")
            ):
                continue
            if ending == "社" and part[-1].surface != "社" and not surface.endswith(("通信社", "新聞社")):
                continue  # 神社, 会社: a word of its own
            add(surface, "organisation", begin, end)
            return
        if surface.endswith(_WEAK_ORG_ENDINGS) and len(surface) > 3:
            context = _COMPANY_CONTEXT.match(text, end) is not None or before.endswith("株式会社")
            if context:
                if before.endswith("株式会社"):
                    begin -= 4
                add(text[begin:end], "organisation", begin, end)
                return


def article_entities(
    paragraphs: Sequence[str], gazetteer: Gazetteer | None = None, kinds: dict[int, str] | None = None
) -> list[tuple[int, Found]]:
    """:func:`find_entities` over a whole article, as (paragraph number, found): a Latin acronym the
    gazetteer does not know counts only when the article repeats it, and a surname or given name
    alone (野々宮, 翔太) is read as the full name the article gives elsewhere (野々宮翔太)."""
    found = [
        (number, f)
        for number, paragraph in enumerate(paragraphs)
        for f in find_entities(paragraph, gazetteer, kinds)
    ]
    names = Counter(f.name for _, f in found if f.entity is None)
    people = [name for name in names if any(f.name == name and f.kind == "person" for _, f in found)]
    out = []
    for number, f in found:
        if f.entity is None and _ACRONYM.fullmatch(f.name) and names[f.name] < 2:
            continue
        if f.entity is None and f.kind == "person" and "・" not in f.name:
            whole = next(
                (p for p in people if p != f.name and (p.startswith(f.name) or p.endswith(f.name))),
                None,
            )
            if whole is not None:
                f = Found(whole, "person", f.begin, f.end)
        out.append((number, f))
    return out
