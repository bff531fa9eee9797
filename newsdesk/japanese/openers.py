"""Sentence openers that point back at an earlier sentence (しかし、これは、同氏は ...).

A bullet is read on its own, so a sentence that opens by pointing back at the one before it
(「しかし、……」「これを受け、……」「同氏は……」) only makes sense right after that sentence.
:func:`back_pointing_opener` finds such an opener; :func:`stand_alone` rewrites the sentence so that
it can be read without its antecedent, or says that it cannot.

Two kinds of opener, by what dropping them would do to the sentence:

* **Connectives** (``connective``): a conjunction or a fixed connective phrase that relates the
  whole clause to the previous one and is not itself part of the clause: しかし、また、一方、
  ただ、なお、さらに、特に、実際、その一方で、これに対し、このため、その後 .... Dropping it loses
  only the relation ("but", "also", "for this reason"); what the clause states is unchanged, so the
  sentence is rewritten without it (「しかし、市は計画を見直した。」→「市は計画を見直した。」).
  Words that also have a non-connective reading (ただ「ただ一人」, 特に「特に問題はない」, 一方
  「一方的に」, なお「なお調査中」, 実際「実際の数」) count only when a comma follows them.
  また and さらに point back even without a comma (「さらに10人が……」 = ten *more*), but then they
  cannot be dropped without changing the meaning.
* **References** (``reference``): a word that is a participant of the clause and stands for
  something named earlier: the こ・そ・あ demonstratives (これは、この橋は、その後の、そうした、
  ここで ...), 同 + a noun (同氏、同社、同国、同日、同省、同市、同年、同じ, and any noun before a
  particle: 同航路は、同センターの; not 同時・同様・同盟 ...), 残り (残りは), 両 + a noun
  (両国、両氏 ...), the pronouns 彼・彼女・彼ら, and 当時、前者、後者、前述 .... Dropping such a
  word would leave the clause without its subject, object or time, so the sentence cannot stand
  alone (it could only be rewritten by putting the antecedent's name in, which is not done here).

Demonstrative words that do not point back are not openers: これまで、これから、このところ、
このほど、このたび、この先, and spans of time reckoned from now (この10年で、ここ数年).

English (tolerated, as elsewhere in the toolkit): connectives such as ``However,`` ``But``
``Meanwhile,`` are dropped (the next word is capitalised); pronouns and determiners such as ``He``
``This`` ``These`` are references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Opener", "back_pointing_opener", "stand_alone", "CONNECTIVE", "REFERENCE"]

CONNECTIVE = "connective"
REFERENCE = "reference"

_COMMA = "、，,"
_SPACE = " \u3000\t"


def _words(text: str) -> list[str]:
    return text.split()


# Connectives that point back wherever they stand at the start and can always be dropped.
_CONNECTIVES_ALWAYS = _words(
    """
しかしながら しかし 然し だが ですが だけど けれども けれど ところが とはいえ そして
しかも ちなみに 因みに ところで その一方では その一方で その一方 一方では 一方で 他方では
他方で 加えて それにもかかわらず にもかかわらず それでも それなのに
"""
)
# Connectives that point back wherever they stand, but can only be dropped when a comma follows:
# without one they modify what comes next (「さらに10人が」 = ten more people, 「また新たに」).
_CONNECTIVES_KEPT_WITHOUT_COMMA = _words("また 又 さらには さらに 更には 更に")
# Words that are connectives only when a comma follows (else another reading is likely).
_CONNECTIVES_WITH_COMMA = _words(
    """
ただし 但し ただ でも なお 尚 一方 他方 実際に 実際 特に とくに 中でも なかでも
とりわけ つまり すなわち 即ち 要するに むしろ もっとも 逆に 反面 結局 したがって 従って
だから ですから なので それゆえ ゆえに よって 同様に 次いで 続いて 最後に 同時に 例えば
たとえば 他にも ほかにも あわせて 併せて その上で そのうえで その上 そのうえ そこで それで
それに それから そのため このため その結果 この結果 その後 その際 その中で このほか
そのほか これに対して これに対し それに対して それに対し これを受けて これを受け それを受けて
それを受け これに加えて これに加え それに加えて それに加え これに先立ち これに先立って
それに先立ち それに先立って こうした中で こうした中 そうした中で そうした中 こうして そうして
"""
)

# 同 + one of these: "the (same) ... named before". 同 + katakana (同チーム) counts as well.
_DOU_NOUNS = _words(
    """
氏 氏ら 社 社長 会長 国 日 夜 朝 晩 午前 午後 年 月 週 時期 期間 省 庁 局 署 市
市長 県 府 都 州 町 村 区 地 地域 島 党 政権 政府 軍 部隊 基地 大 大学 校 病院
空港 港 駅 線 便 機 船 艦 店 紙 誌 容疑者 被告 被告人 選手 監督 代表 首相 大統領
長官 大臣 相 知事 議員 教授 委員会 協会 団体 組織 企業 会社 銀行 工場 施設 会議 会合
議会 裁判所 地裁 高裁 法 法案 案 計画 事件 事故 調査 報告書 条約 合意 作品 映画 番組
研究所 年代
"""
)
# 両 + one of these: "both of the two named before".
_RYOU_NOUNS = _words("国 氏 社 者 首脳 市 県 町 村 党 政府 軍 首相 大統領 外相 候補 陣営 選手 チーム 国間")

_DEMONSTRATIVE = r"(?:これ|それ|あれ|この|その|あの|こう|そう|ああ|こんな|そんな|あんな|ここ|そこ|あそこ|こちら|そちら|あちら)"
# Demonstrative words that do not point back at an earlier sentence.
_NUMBER = r"(?:数|[0-9０-９]+|[一二三四五六七八九十百千]+)"
_SPAN = r"(?:年|年間|か月|カ月|ヵ月|ヶ月|ケ月|週|週間|日|日間|時間|世紀)"
_NOT_BACK_POINTING = (
    rf"(?:これまで|これから|このところ|このほど|このたび|この度|この先|この{_NUMBER}{_SPAN}|ここ{_NUMBER})"
)
_OTHER_REFERENCES = r"(?:彼女|彼ら|彼等|彼(?![岸方])|当時|当該|前者|後者|上記|前述|先述|上述|本件)"
# 同 + any other noun of kanji or katakana before a particle (同航路は、同センターの) stands for one
# named before too; these 同 words do not (同時に、同様の、同盟国 ...).
_DOU_WORDS = _words(
    """
同時 同様 同盟 同意 同僚 同士 同志 同等 同性 同居 同行 同調 同情 同化 同伴 同窓 同胞 同族 同業
同期 同席 同感 同封 同一 同姓 同名 同音 同級 同好 同人 同乗 同点 同率 同格 同系 同類 同質
"""
)
_PARTICLE = r"(?=[はがのもをにでと、，,])"
# The rest (残りは) is the rest of something named before.
_BARE_REFERENCES = rf"残り{_PARTICLE}"
# A bare local government opening a sentence (市は、県の関係者は) is 「同市」 written short: the one
# named before, understood only where what the reader has already read (the headline) names one.
_BARE_GOVERNMENT = re.compile(rf"([市県町村区府州]){_PARTICLE}")

_EN_CONNECTIVES_ALWAYS = _words("But And")
_EN_CONNECTIVES_WITH_COMMA = [
    *_words(
        """
However Also Meanwhile Moreover Furthermore Still Yet Nevertheless Nonetheless Instead Besides
Likewise Similarly Indeed Therefore Thus Hence Consequently Separately Additionally Otherwise
"""
    ),
    "In addition",
    "In fact",
    "As a result",
    "At the same time",
    "Even so",
    "By contrast",
    "On the other hand",
    "In turn",
    "After that",
    "Since then",
]
_EN_REFERENCES = _words(
    """
He She They It This That These Those His Her Their Its Such Both Them
"""
)


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_COMMA_AFTER = rf"(?=[{_SPACE}]*[{_COMMA}])"
_CONNECTIVE_RE = re.compile(
    rf"(?P<always>{_alternation(_CONNECTIVES_ALWAYS)})"
    rf"|(?P<kept>{_alternation(_CONNECTIVES_KEPT_WITHOUT_COMMA)})(?!も|は|と|の|が|で|だ)"
    rf"|(?P<comma>{_alternation(_CONNECTIVES_WITH_COMMA)}){_COMMA_AFTER}"
    rf"|(?P<en_always>{_alternation(_EN_CONNECTIVES_ALWAYS)})\b(?=[{_SPACE}{_COMMA}])"
    rf"|(?P<en_comma>{_alternation(_EN_CONNECTIVES_WITH_COMMA)}){_COMMA_AFTER}"
)
_REFERENCE_RE = re.compile(
    rf"(?!{_NOT_BACK_POINTING}){_DEMONSTRATIVE}"
    rf"|同じ|同(?:{_alternation(_DOU_NOUNS)}|[ァ-ヺ][ァ-ヺー]*)"
    rf"|(?!{_alternation(_DOU_WORDS)})同[一-龥ァ-ヺー]{{1,6}}{_PARTICLE}|{_BARE_REFERENCES}"
    rf"|両(?:{_alternation(_RYOU_NOUNS)}|[ァ-ヺ][ァ-ヺー]*)"
    rf"|{_OTHER_REFERENCES}"
    rf"|(?:{_alternation(_EN_REFERENCES)})\b(?=[{_SPACE}{_COMMA}'’])"
)
_LEADING = re.compile(rf"[{_SPACE}{_COMMA}]+")


@dataclass(frozen=True, slots=True)
class Opener:
    """A back-pointing opener at the start of a sentence."""

    word: str  # as written, without the comma after it
    kind: str  # CONNECTIVE or REFERENCE
    droppable: bool  # the sentence means the same without it (a connective, before a comma or always)
    end: int  # where the rest of the sentence starts (after the word, the comma and spaces)


def back_pointing_opener(sentence: str) -> Opener | None:
    """The opener of ``sentence`` that points back at an earlier sentence, or ``None``."""
    start = len(sentence) - len(sentence.lstrip(_SPACE))
    m = _CONNECTIVE_RE.match(sentence, start)
    if m:
        group = m.lastgroup or ""
        comma = _LEADING.match(sentence, m.end())
        end = comma.end() if comma else m.end()
        followed_by_comma = comma is not None and any(c in _COMMA for c in comma.group())
        droppable = group != "kept" or followed_by_comma
        return Opener(m.group(), CONNECTIVE, droppable, end)
    m = _REFERENCE_RE.match(sentence, start)
    if m:
        return Opener(m.group(), REFERENCE, False, m.end())
    return None


# A demonstrative before the sentence's first comma though not at its start (「顧客はこのセンター
# で……」): a participant of its first clause is still one named before.
_EARLY_REFERENCE = re.compile(rf"(?!{_NOT_BACK_POINTING}|その他|そのまま)(?:この|その|あの)(?=[一-龥ァ-ヺ])")
_FIRST_CLAUSE = re.compile(rf"[^{_COMMA}]{{0,25}}")


def _refers_back_early(text: str) -> bool:
    clause = _FIRST_CLAUSE.match(text)
    return bool(clause and _EARLY_REFERENCE.search(clause.group()))


def _government_unnamed(text: str, named: str) -> bool:
    bare = _BARE_GOVERNMENT.match(text)
    return bare is not None and re.search(rf"[一-龥ァ-ヺ]{bare[1]}", named) is None


def stand_alone(sentence: str, named: str = "") -> str | None:
    """``sentence`` as it can be read without the sentence before it, or ``None`` when it cannot.

    A sentence without a back-pointing opener is returned as it is. Droppable connectives are
    removed (one after another: 「しかし、一方で……」), with the comma after them; when what remains
    opens with a reference, or with a connective that cannot be dropped, or holds one in its first
    clause (「顧客はこのセンターで……」), the answer is ``None``. ``named``: what the reader has read
    already (the headline): a sentence opening with a bare 「市は」 stands alone where it names a city.
    """
    text = sentence.strip()
    while True:
        opener = back_pointing_opener(text)
        if opener is None:
            return None if _refers_back_early(text) or _government_unnamed(text, named) else text
        if not opener.droppable:
            return None
        text = text[opener.end :].lstrip(_SPACE + _COMMA)
        if not text:
            return None
        if text[0].isascii() and text[0].islower():
            text = text[0].upper() + text[1:]
