"""Bytes from files and fetches become text in the right encoding, or a clear refusal."""

import codecs

import pytest

from newsdesk.ingest.decode import declared_charset, decode_bytes
from newsdesk.ingest.document import IngestError

TEXT = "下関と釜山を結ぶ旅客フェリーが、4年ぶりに運航を再開する。乗客は年間約20万人を見込む。\n" * 3


@pytest.mark.parametrize("encoding", ["utf-8", "shift_jis", "euc_jp", "cp932"])
def test_japanese_encodings_detected_without_a_label(encoding):
    text, used = decode_bytes(TEXT.encode(encoding))
    assert text == TEXT
    assert used in {"utf-8", "cp932", "shift_jis", "euc_jp", "euc-jp"}


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
def test_utf16_with_bom(bom):
    data = bom + TEXT.encode("utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be")
    assert decode_bytes(data)[0] == TEXT


def test_utf8_bom_is_removed():
    assert decode_bytes(codecs.BOM_UTF8 + TEXT.encode())[0] == TEXT


def test_declared_meta_charset_is_honoured():
    page = f'<html><head><meta charset="EUC-JP"></head><body><p>{TEXT}</p></body></html>'
    assert declared_charset(page.encode("euc_jp")) == "euc-jp"
    assert TEXT in decode_bytes(page.encode("euc_jp"))[0]


def test_header_charset_wins_over_guessing():
    assert decode_bytes(TEXT.encode("shift_jis"), charset="shift_jis") == (TEXT, "shift_jis")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "空"),
        (b"   \n\t ", "空"),
        (b"%PDF-1.7\n" + bytes(range(256)), "PDF"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG"),
        (b"abc\x00def\x00" * 50, "バイナリ"),
    ],
)
def test_empty_and_binary_inputs_are_refused(data, message):
    with pytest.raises(IngestError, match=message):
        decode_bytes(data)


def test_undecodable_bytes_give_a_clear_error():
    # Bytes that are not valid in any of the encodings we accept (C1 controls and lone lead bytes).
    data = bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xFF, 0xFE, 0x80]) * 40
    with pytest.raises(IngestError, match="文字コード"):
        decode_bytes(data)
