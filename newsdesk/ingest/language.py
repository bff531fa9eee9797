"""Language of a text from the scripts it is written in; enough to route ja/en/ko/zh/ru."""

from __future__ import annotations

import re

LANGUAGES = ("ja", "en", "ko", "zh", "ru")
SAMPLE_CHARS = 3000
_SCRIPTS = {
    "kana": re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]"),
    "hangul": re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"),
    "han": re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f]"),
}


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
        return "en"
    return "other"
