"""Spam and abuse scoring: a backend chosen by ``NEWSDESK_SPAM_SCORER`` (a dotted path).

A scorer is any class (made with no arguments) or object with ``score(body, name) -> float``
answering 0 (fine) to 1 (surely spam or abuse); a post scoring at or over ``SPAM_THRESHOLD`` is
held for an editor instead of published. ``RuleScorer`` is the default, written like any other.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

from newsdesk.comments.render import count_links
from newsdesk.japanese.normalize import WordText, fold_word

__all__ = ["RuleScorer", "Scorer", "scorer"]


@runtime_checkable
class Scorer(Protocol):
    def score(self, body: str, name: str) -> float: ...


# Words aimed at people: threats, wishing death, slurs. The strong ones alone hold a post. Not
# 「チョン」: it is also how Korean names (정, 전) and places (인천 インチョン) are written here.
ABUSIVE = {
    "死ね": 0.8,
    "しね": 0.5,
    "氏ね": 0.8,
    "タヒね": 0.8,
    "殺すぞ": 0.8,
    "殺してやる": 0.8,
    "ぶっ殺": 0.8,
    "ころすぞ": 0.8,
    "消えろ": 0.5,
    "首吊れ": 0.8,
    "自殺しろ": 0.8,
    "支那人": 0.75,
    "シナ人": 0.75,
    "土人": 0.75,
    "ゴキブリ": 0.5,
    "害虫": 0.4,
    "ガイジ": 0.75,
    "キチガイ": 0.75,
    "池沼": 0.75,
    "クズ": 0.3,
    "ゴミ": 0.2,
    "カス": 0.2,
    "バカ": 0.15,
    "馬鹿": 0.15,
    "アホ": 0.15,
    "売国奴": 0.4,
    "非国民": 0.4,
    "晒せ": 0.5,
    "住所特定": 0.6,
}
# Words of advertising and scams. Each weighs little; several together (or with links) hold.
SPAM = {
    "副業": 0.35,
    "稼げる": 0.35,
    "簡単に稼": 0.5,
    "月収": 0.3,
    "日給": 0.3,
    "高収入": 0.4,
    "在宅ワーク": 0.4,
    "不労所得": 0.4,
    "即金": 0.45,
    "無料登録": 0.45,
    "今すぐ登録": 0.45,
    "出会い": 0.35,
    "出会い系": 0.6,
    "セフレ": 0.6,
    "ライン追加": 0.5,
    "line追加": 0.5,
    "lineid": 0.4,
    "プロフ見て": 0.5,
    "オンラインカジノ": 0.6,
    "ボーナス進呈": 0.5,
    "当選しました": 0.5,
    "儲かる": 0.3,
    "絶対儲": 0.5,
    "情報商材": 0.5,
    "詳しくはこちら": 0.4,
    "クリック": 0.15,
    "激安": 0.35,
    "限定公開": 0.3,
}

_DOMAIN = re.compile(r"\b[a-z0-9-]+\.(?:com|net|xyz|top|info|biz|click|shop|site|online|ru|cn|jp)\b")
_REPEAT = re.compile(r"(.)\1{14,}")


def _combine(weights: list[float]) -> float:
    """Independent signals: 1 - ∏(1 - w), so two weak signals add up without passing 1."""
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - min(max(weight, 0.0), 1.0)
    return round(1.0 - remaining, 4)


class RuleScorer:
    """Word lists plus a few shapes of spam: many links, bare domains, one character repeated."""

    abusive = ABUSIVE
    spam = SPAM

    def __init__(self) -> None:
        # Normalised once: the scorer is made once per process and runs on every post.
        # Folded like NG words (width, case, spaces, hiragana as katakana) and matched as whole
        # words: バカ catches ばか and ﾊﾞｶ but not ばかり; カス fires in カスが but not in カステラ.
        self.words = [
            (fold_word(word), weight) for word, weight in (*self.abusive.items(), *self.spam.items())
        ]

    def score(self, body: str, name: str) -> float:
        text = WordText(f"{name}\n{body}")
        weights = [weight for word, weight in self.words if text.contains(word)]
        links = count_links(body)
        if links:
            weights.append(min(0.2 * links, 0.6))
        bare = len(_DOMAIN.findall(unicodedata.normalize("NFKC", body).casefold())) - links
        if bare > 0:
            weights.append(min(0.2 * bare, 0.5))
        if _REPEAT.search(body):
            weights.append(0.4)
        if body and links and len(body) < 40:
            weights.append(0.2)  # a link with hardly any words around it
        return _combine(weights)


class _Function:
    def __init__(self, function):
        self.function = function

    def score(self, body: str, name: str) -> float:
        return self.function(body, name)


@lru_cache(maxsize=4)
def _load(path: str) -> Scorer:
    target = import_string(path)
    if isinstance(target, type):
        target = target()
    if not hasattr(target, "score"):
        target = _Function(target)
    return target


def scorer() -> Scorer:
    """The scorer ``settings.NEWSDESK["SPAM_SCORER"]`` names (made once per path)."""
    return _load(settings.NEWSDESK["SPAM_SCORER"])


def spam_score(body: str, name: str) -> float:
    """The configured scorer's answer, clamped to 0..1."""
    return min(max(float(scorer().score(body, name)), 0.0), 1.0)
