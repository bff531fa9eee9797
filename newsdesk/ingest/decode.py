"""Bytes to text: refuse binaries, honour BOMs and declared charsets, detect Japanese legacy encodings."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from newsdesk.ingest.document import IngestError

_MAGIC = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG画像",
    b"GIF8": "GIF画像",
    b"\xff\xd8\xff": "JPEG画像",
    b"PK\x03\x04": "ZIPアーカイブ",
    b"\x1f\x8b": "gzip圧縮ファイル",
    b"\x7fELF": "実行ファイル",
}
# Encodings a page about East Asia plausibly comes in; latin-1 is left out on purpose because it
# decodes any bytes at all, which would turn "unknown encoding" into silent mojibake.
_CANDIDATES = ["cp932", "euc_jp", "iso2022_jp", "euc_kr", "gb18030", "big5", "cp1251", "koi8_r", "cp1252"]
# Bytes that never appear in text files (tab, newlines, form feed and escape are allowed).
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 27), *range(28, 32)])
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> str:
    """The charset an HTML or XML document declares in its first bytes, if any."""
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii").lower() if match else ""


# Python's codecs that read escapes, not a page's bytes: a page or a server naming one gets the
# same detection as one naming no charset (browsers know none of them, nor UTF-7, which WHATWG
# dropped because it hides markup from filters). unicode_escape also warned, then read "\$" as
# itself (found by fuzzing).
_NOT_PAGE_ENCODINGS = {"unicode-escape", "raw-unicode-escape", "utf-7", "punycode", "idna"}


def _codec(name: str) -> str:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return ""
    return "" if codec in _NOT_PAGE_ENCODINGS else codec


def decode_bytes(data: bytes, charset: str = "") -> tuple[str, str]:
    """Returns (text, encoding name). ``charset`` is what a Content-Type header said, if anything."""
    if not data.strip():
        raise IngestError("空の入力です")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
        (codecs.BOM_UTF32_LE, "utf-32"),
    ):
        if data.startswith(bom) and not (bom == codecs.BOM_UTF16_LE and data.startswith(codecs.BOM_UTF32_LE)):
            return _strict(data, encoding), encoding
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise IngestError(f"バイナリファイル（{kind}）は取り込めません")
    sample = data[:8192]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if b"\x00" in sample or controls > len(sample) // 100 + 2:
        raise IngestError("バイナリファイルは取り込めません（テキストまたはHTMLを指定してください）")
    for name in (charset, declared_charset(data), "utf-8"):
        codec = _codec(name) if name else ""
        if codec in ("", "latin-1", "iso8859-1", "ascii") and name != "utf-8":
            continue  # pages mislabelled latin-1/ascii are common; let detection decide
        try:
            text = data.decode(codec)
        except (UnicodeError, LookupError):
            # Not in this encoding, or a name the page (or its server) gave that is no text
            # encoding at all: rot13, zlib (LookupError), punycode, undefined (UnicodeError).
            continue
        # unicode_escape or utf-7 can spell a lone surrogate, which no database stores; strict
        # UTF-8 decoding never makes one.
        if codec != "utf-8" and _has_surrogate(text):
            continue
        return text, codec
    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None or best.chaos > 0.3:
        raise IngestError("文字コードを判定できません（UTF-8、Shift_JIS、EUC-JPなどで保存してください）")
    return str(best), best.encoding


def _has_surrogate(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate: the one code point strict UTF-8 cannot encode
    (encoding is several times faster than searching a page with a regular expression)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{encoding} として読めません: {exc.reason}") from exc
