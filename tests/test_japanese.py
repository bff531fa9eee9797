"""Sentence splitting, Sudachi tokenization and the extractive summarizer.

All texts here are made up (fictional people and events).
"""

from __future__ import annotations

import threading

import pytest

from newsdesk.japanese.sentences import is_terminated, split_sentences
from newsdesk.japanese.summarize import MAX_BULLETS, MIN_BULLETS, bullet_count, summarize
from newsdesk.japanese.tokens import MAX_CHUNK_BYTES, content_words, tokenize

# ---------------------------------------------------------------- sentences


def test_split_basic_terminators():
    assert split_sentences("雨が降った。風も吹いた！本当か？はい") == [
        "雨が降った。",
        "風も吹いた！",
        "本当か？",
        "はい",
    ]


def test_split_keeps_runs_of_exclamations_and_questions():
    assert split_sentences("すごい！！本当に？！次へ。") == ["すごい！！", "本当に？！", "次へ。"]
    assert split_sentences("本当に!?次は何だ。") == ["本当に!?", "次は何だ。"]


def test_split_never_inside_brackets():
    text = "山川市長は「橋は来年開通する。予算も確保した」と述べた。工事は春に始まる。"
    assert split_sentences(text) == [
        "山川市長は「橋は来年開通する。予算も確保した」と述べた。",
        "工事は春に始まる。",
    ]
    assert split_sentences("報告書（全50ページ。英語版もある）が公開された。次。") == [
        "報告書（全50ページ。英語版もある）が公開された。",
        "次。",
    ]


def test_split_nested_quotes():
    text = "記者は『住民が「もう限界だ！」と叫んだ。誰も止めなかった』と書いた。翌日、撤回した。"
    assert split_sentences(text) == [
        "記者は『住民が「もう限界だ！」と叫んだ。誰も止めなかった』と書いた。",
        "翌日、撤回した。",
    ]


def test_split_keeps_closing_quote_with_its_sentence():
    assert split_sentences("「会議は延期する。」「理由は言えない。」と広報は答えた。") == [
        "「会議は延期する。」",
        "「理由は言えない。」と広報は答えた。",
    ]


def test_split_numbers_and_abbreviations_stay_whole():
    text = "失業率は3.5％に下がった。J.D.パワーの調査で満足度No.1となった。U.S. Steelも同様だ。"
    assert split_sentences(text) == [
        "失業率は3.5％に下がった。",
        "J.D.パワーの調査で満足度No.1となった。",
        "U.S. Steelも同様だ。",
    ]
    assert split_sentences("増加率は３．５％だった。") == ["増加率は３．５％だった。"]


def test_split_line_breaks_and_whitespace():
    text = "  見出しのない写真説明\n\n本文の一文目。二文目\r\n  \n三文目。  "
    assert split_sentences(text) == ["見出しのない写真説明", "本文の一文目。", "二文目", "三文目。"]


def test_split_empty_and_blank():
    assert split_sentences("") == []
    assert split_sentences(" \n\t\n ") == []
    assert split_sentences("。。。") == []


def test_split_english():
    text = "The U.S. economy grew 3.5% last year. Mr. Tanaka said so. Was he right? Nobody knows!"
    assert split_sentences(text) == [
        "The U.S. economy grew 3.5% last year.",
        "Mr. Tanaka said so.",
        "Was he right?",
        "Nobody knows!",
    ]
    assert split_sentences("Prices rose 2.5 percent. Traders e.g. in Osaka agreed. Then J. Doe left.") == [
        "Prices rose 2.5 percent.",
        "Traders e.g. in Osaka agreed.",
        "Then J. Doe left.",
    ]


def test_split_brand_with_exclamation_is_not_a_sentence_end():
    assert split_sentences("Yahoo!ニュースが報じた。") == ["Yahoo!ニュースが報じた。"]


def test_split_unclosed_bracket_does_not_swallow_the_paragraph():
    assert split_sentences("括弧が（閉じない。次の文。") == ["括弧が（閉じない。", "次の文。"]


def test_quote_running_over_a_paragraph_break():
    text = "男性は「動くな！\nそこにいろ。逃げるな」と叫んだ。警察が来た。"
    assert split_sentences(text) == ["男性は「動くな！", "そこにいろ。逃げるな」と叫んだ。", "警察が来た。"]


def test_is_terminated():
    assert is_terminated("港は閉鎖された。")
    assert is_terminated("「もう限界だ！」")
    assert not is_terminated("港に停泊する漁船（資料写真）")


# ---------------------------------------------------------------- tokens


def test_tokenize_keeps_words_and_offsets():
    text = "東京都の田中一郎さんは新しい橋を渡った。"
    tokens = tokenize(text)
    surfaces = [t.surface for t in tokens]
    assert "東京都" in surfaces
    assert "橋" in surfaces
    assert "".join(surfaces) == text
    assert all(text[t.begin : t.end] == t.surface for t in tokens)
    verb = next(t for t in tokens if t.surface == "渡っ")
    assert verb.pos1 == "動詞"
    assert verb.normalized == "渡る"


def test_tokenize_empty():
    assert tokenize("") == []
    assert tokenize("   ") == []


def test_tokenize_long_input_is_chunked():
    sentence = "架空市の港に新しい灯台が完成した。"
    text = sentence * (3 * MAX_CHUNK_BYTES // len(sentence.encode()))
    tokens = tokenize(text)
    assert "".join(t.surface for t in tokens) == text
    assert all(text[t.begin : t.end] == t.surface for t in tokens)
    # one very long "sentence" without any terminator still works
    blob = "あ" * 60_000
    assert "".join(t.surface for t in tokenize(blob)) == blob


def test_content_words():
    words = content_words("架空町の会社員が新しい工場を訪れ、美しい景色を見たと話した。AIの利用は重要だ。")
    for w in ("会社員", "工場", "新しい", "訪れる", "美しい", "景色", "話す", "ai", "利用", "重要"):
        assert w in words
    for w in ("の", "が", "を", "。", "、", "見る", "為る"):
        assert w not in words


def test_tokenize_from_threads():
    errors: list[BaseException] = []
    results: list[int] = []

    def work():
        try:
            for _ in range(20):
                results.append(len(tokenize("北浜市の市場で新しい魚が売られた。")))
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(results)) == 1


# ---------------------------------------------------------------- summarizer

ARTICLE = [
    "式典で手を振る架空市の大森春子市長（資料写真）",
    "架空市の大森春子市長は10日、市内を流れる青川に新しい橋を建設する計画を発表した。",
    "総工費は約120億円で、2030年の完成を目指す。",
    "青川の橋は老朽化が進んでおり、市は3年前から建て替えを検討していた。",
    "＜関連記事＞",
    "大森市長は記者会見で「橋は市民の生活を支える大切な道だ」と述べた。",
    "新しい橋は片側2車線で、歩道と自転車道も設けられる。",
    "建設中は仮設の橋を使うため、通行止めは最小限にとどまる見通しだ。",
    "地元の商店会は計画を歓迎している。",
    "商店会の山本次郎会長は「客足が戻るきっかけになる」と期待を示した。",
    "一方、市議会の一部からは総工費が膨らむことへの懸念も出ている。",
    "市議会は来月、建設費を盛り込んだ補正予算案を審議する。",
    "市は6月に住民説明会を開き、工事の日程を説明する予定だ。",
    "架空市では昨年も、老朽化した歩道橋の架け替えが行われた。",
    "市の調査によると、市内の橋の4割が建設から50年以上たっている。",
    "専門家は、全国の自治体で同様の課題が広がっていると指摘する。",
    "国は橋の点検や補修にかかる費用の一部を補助している。",
    "橋の名前は市民から募集する。",
    "応募は9月から受け付ける。",
    "選ばれた名前は完成式典で発表される。",
    "青川の橋は1960年代に架けられた。",
    "当時は市内で最も長い橋だった。",
]


def _all_sentences(paragraphs: list[str]) -> set[str]:
    return set(split_sentences("\n".join(paragraphs)))


def test_summary_returns_sentences_from_the_text():
    bullets = summarize(ARTICLE)
    assert bullets
    sentences = _all_sentences(ARTICLE)
    text = "\n".join(ARTICLE)
    for b in bullets:
        # A whole sentence, or the end of one whose opening connective (「一方、」) was dropped.
        assert any(s == b or s.endswith(b) for s in sentences)
        assert b in text
        assert b == b.strip()
    assert len(set(bullets)) == len(bullets)


def test_summary_skips_captions_and_labels():
    bullets = summarize(ARTICLE, count=10)
    assert "式典で手を振る架空市の大森春子市長（資料写真）" not in bullets
    assert "＜関連記事＞" not in bullets


def test_summary_follows_the_article():
    # Bullets used to come most important first, and a longer list extended a shorter one. They now
    # follow the article's order and span it, so a longer list is not a shorter one plus more.
    text = "\n".join(ARTICLE)
    for count in (3, 5, 10):
        bullets = summarize(ARTICLE, count=count)
        assert len(bullets) == count
        assert bullets == sorted(bullets, key=text.index)
        # the lede is still picked, and so comes first
        assert bullets[0] == ARTICLE[1]


def test_summary_uses_headline_when_given():
    bullets = summarize(ARTICLE, count=3, title="架空市、青川に新しい橋 総工費120億円")
    assert bullets[0] == ARTICLE[1]
    assert len(bullets) == 3


def test_summary_accepts_a_string():
    assert summarize("\n".join(ARTICLE)) == summarize(ARTICLE)


def test_bullet_count_bounds():
    n = bullet_count(ARTICLE)
    assert MIN_BULLETS <= n <= MAX_BULLETS
    assert len(summarize(ARTICLE)) == n
    long_article = [f"架空市の第{i}地区で新しい公園の工事が{i}日に始まった。" for i in range(1, 80)]
    assert bullet_count(long_article) == MAX_BULLETS
    assert len(summarize(long_article)) == MAX_BULLETS


def test_short_text_gets_fewer_bullets():
    short = ["北浜町の図書館が改装を終えて再開した。", "新たに子供向けの読書室が設けられた。"]
    assert bullet_count(short) == 2
    assert len(summarize(short)) == 2
    # An article of a few paragraphs gets the fewest bullets of a full list (it got 3 of at least
    # 5 before, too: MIN_BULLETS is now 3).
    medium = ARTICLE[:8]
    assert bullet_count(medium) == MIN_BULLETS
    assert len(summarize(medium)) == bullet_count(medium)
    assert summarize(short, count=10) == summarize(short, count=2)


@pytest.mark.parametrize("empty", ["", [], ["", "  "], ["写真説明だけ"], "＜関連記事＞"])
def test_empty_or_unusable_text(empty):
    assert summarize(empty) == []
    assert bullet_count(empty) == 0


def test_summary_count_zero():
    assert summarize(ARTICLE, count=0) == []


def test_a_repeated_sentence_becomes_one_bullet():
    repeated = "港湾当局は新しい旅客ターミナルの工事を来月始めると発表した。"
    text = [
        repeated,
        "工事費は約15億円で、完成は2027年春の予定である。",
        repeated,
        "地元の商店街は観光客の増加に期待している。",
    ]
    bullets = summarize(text, 3)
    assert bullets.count(repeated) == 1 and len(bullets) == 3
