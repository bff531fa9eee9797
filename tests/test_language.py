import pytest

from newsdesk.ingest.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("北朝鮮とロシアの首脳会談が開かれた。", "ja"),
        ("The ferry link will resume next month.", "en"),
        ("부산과 시모노세키를 잇는 여객선이 다시 운항한다.", "ko"),
        ("连接釜山和下关的客轮将于下月恢复运营。", "zh"),
        ("Паромное сообщение возобновится в следующем месяце.", "ru"),
        ("12345 !!! ---", "other"),
        ("", "other"),
        # Japanese with many kanji and a little kana is still Japanese, not Chinese.
        ("日韓首脳会談、経済安全保障協力で合意　半導体供給網を強化へ", "ja"),
    ],
)
def test_detects_the_language_from_its_script(text, language):
    assert detect_language(text) == language
