"""Language of a text from the scripts it is written in; enough to route ja/en/ko/zh/ru.

Scripts decide Japanese (any real share of kana), Korean (hangul), Chinese (han without kana) and
Russian (Cyrillic). Latin-script text is English only when English function words outnumber those
of the other common Latin-script languages; French, German, Spanish, Vietnamese ... are "other"
(no backend is told a wrong source language). Callers pass the body (headline and paragraphs),
never the page chrome. One pass of a few regular expressions over at most SAMPLE_CHARS: fast.
"""

from __future__ import annotations

import re

SAMPLE_CHARS = 3000
_SCRIPTS = {
    "kana": re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]"),
    "hangul": re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"),
    "han": re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]"),
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff']+")

# Frequent function words; a word that is common in English too (a, in, to, on ...) is left out of
# the other languages' lists so that English names and quotes inside them don't tip the balance.
_ENGLISH = _words(
    "the of and to in is was that for on with as by at from are were has have had it its be been "
    "said will would an this which but not or their they he she his her after who than also into "
    "about over more last year says new"
)
_OTHER = _words(
    # French
    "le la les des du et est une dans pour que qui sur pas avec au aux ce cette sont été selon "
    # German
    "der die das und ist nicht mit den dem ein eine zu auf für sich von auch nach wird wurde bei "
    # Spanish / Portuguese / Italian
    "el los las y del que con por una para es su se lo como más pero em os não uma il di che è per "
    "della sono gli delle nel "
    # Dutch, Indonesian / Malay, Vietnamese, Turkish
    "het een van niet zijn yang dan di ini itu dengan untuk dari tidak của và là các những được "
    "cho với sẽ trong năm bir ve bu için ile olarak"
)
# Below this many function words a Latin text (a headline, a name) is taken to be English.
_MIN_EVIDENCE = 3


def _latin_language(sample: str) -> str:
    english = other = 0
    for word in _WORD.findall(sample.lower()):
        if word in _ENGLISH:
            english += 1
        elif word in _OTHER:
            other += 1
    if english + other < _MIN_EVIDENCE or english >= 2 * other:
        return "en"
    return "other"


def detect_language(text: str) -> str:
    sample = text[:SAMPLE_CHARS]
    counts = {script: len(pattern.findall(sample)) for script, pattern in _SCRIPTS.items()}
    letters = sum(counts.values())
    if not letters:
        return "other"
    kana, han = counts["kana"], counts["han"]
    if kana and kana >= 0.05 * (kana + han):
        return "ja"
    if counts["hangul"] >= 0.2 * letters:
        return "ko"
    if han >= 0.3 * letters:
        return "zh"
    if counts["cyrillic"] >= 0.3 * letters:
        return "ru"
    if counts["latin"] >= 0.5 * letters:
        return _latin_language(sample)
    return "other"
