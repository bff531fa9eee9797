"""Language of a text from the scripts it is written in; enough to route ja/en/ko/zh/ru."""

from __future__ import annotations

import unicodedata

LANGUAGES = ("ja", "en", "ko", "zh", "ru")


def _script(char: str) -> str:
    code = ord(char)
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
        return "kana"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
        return "han"
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    if char.isascii() and char.isalpha() or unicodedata.category(char) == "Ll" and code < 0x0250:
        return "latin"
    return ""


def detect_language(text: str) -> str:
    counts: dict[str, int] = {}
    for char in text[:5000]:
        if script := _script(char):
            counts[script] = counts.get(script, 0) + 1
    letters = sum(counts.values())
    if not letters:
        return "other"
    kana, han, hangul = counts.get("kana", 0), counts.get("han", 0), counts.get("hangul", 0)
    if kana and kana >= 0.05 * (kana + han):
        return "ja"
    if hangul >= 0.2 * letters:
        return "ko"
    if han >= 0.3 * letters:
        return "zh"
    if counts.get("cyrillic", 0) >= 0.3 * letters:
        return "ru"
    if counts.get("latin", 0) >= 0.5 * letters:
        return "en"
    return "other"
