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


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # A short English headline has too few function words to weigh: it stays English.
        ("Kim Jong Un visits Vladivostok", "en"),
        ("Seoul and Tokyo agree to expand the ferry service, officials said on Monday.", "en"),
        ("Le ferry entre Busan et Shimonoseki reprendra le mois prochain selon la compagnie.", "other"),
        (
            "Die Fähre zwischen Busan und Shimonoseki wird nach vier Jahren wieder in Betrieb genommen.",
            "other",
        ),
        ("El ferry entre Busan y Shimonoseki volverá a operar el próximo mes, según la empresa.", "other"),
        ("Phà giữa Busan và Shimonoseki sẽ hoạt động trở lại vào tháng tới của năm nay.", "other"),
        # English with a French name or quote in it is still English.
        ("The minister told Le Monde that the talks in Seoul were over and the deal was signed.", "en"),
    ],
)
def test_latin_script_text_that_is_not_english_is_other(text, language):
    assert detect_language(text) == language


def test_english_body_with_korean_and_chinese_names_is_english():
    text = (
        "North Korean leader Kim Jong Un (김정은) met Chinese President Xi Jinping (习近平) in Beijing "
        "on Tuesday, the state news agency said, in the first visit of the year."
    )
    assert detect_language(text) == "en"


def test_detection_reads_a_bounded_sample_of_a_long_body():
    # Only the start is read, so a long body costs no more than a short one (bench/ingest.py times
    # the pipeline): what follows the sample cannot change the answer.
    from newsdesk.ingest.language import SAMPLE_CHARS

    english = "The ferry link will resume next month, the operator said. " * 100
    assert len(english) >= SAMPLE_CHARS
    assert detect_language(english + "北朝鮮とロシアの首脳会談が開かれた。" * 5000) == "en"
