"""Summary bullets that stand alone, in the article's order: the extractive summarizer, the
back-pointing openers it avoids, the lead it does not repeat, the summarize stage and command, and
the LLM summarizer's checks.

All texts here are samples written for these tests (a fictional town, people and events).
"""

from __future__ import annotations

import io
import sys

import pytest
from django.core.management import call_command

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.japanese.bullets import dangling_openers, in_article_order, source_positions
from newsdesk.japanese.openers import CONNECTIVE, REFERENCE, back_pointing_opener, stand_alone
from newsdesk.japanese.sentences import split_sentences
from newsdesk.japanese.summarize import MAX_BULLETS, MIN_BULLETS, bullet_count, summarize
from newsdesk.pipeline import runner
from newsdesk.summaries import llm
from newsdesk.summaries.backends import ExtractiveSummarizer
from newsdesk.summaries.stage import SummarizeStage
from tests.translation_servers import (  # noqa: F401  (fixtures)
    fast_retries,
    openai_server,
    use_openai,
)

State = PipelineStage.State

# Sample article (fictional): several paragraphs, sentences opening with しかし、これは、同氏は、また、一方.
LEAD = "潮見市が老朽化した市営桟橋を建て替える。総事業費は約48億円。"
SAMPLE = [
    "潮見市は3日、老朽化した市営桟橋を全面的に建て替えると発表した。総事業費は約48億円で、2029年春の完成を目指す。",
    "桟橋は1968年に造られ、潮見市と離島の青島を結ぶ定期船が発着している。これは市内で唯一の旅客用の桟橋である。",
    "市の点検では、橋脚の一部でコンクリートのひび割れや鉄筋の腐食が見つかった。しかし、定期船の運航には当面支障はないという。",
    "建て替えを担当する港湾課の村井健太課長は記者会見で計画を説明した。同氏は「島の暮らしを支える桟橋を、次の世代に引き継ぎたい」と述べた。",
    "工事中は仮設の浮き桟橋を設け、定期船は通常どおり運航する。また、待合所も新しくし、車いすでも乗り降りしやすくする。",
    "一方、青島の住民からは工事期間中の混雑を心配する声も出ている。島の自治会は、朝夕の便を増やすよう市に要望した。",
    "市は来月から住民説明会を開き、工事の日程や仮設桟橋の場所を説明する予定だ。",
    "国の補助金は事業費の半分ほどになる見込みで、残りは市債でまかなう。市議会は6月の定例会で関連予算案を審議する。",
]
TITLE = "潮見市、市営桟橋を建て替えへ 総事業費48億円"


def _sentences(paragraphs) -> list[str]:
    return split_sentences("\n".join(paragraphs))


def _long_article(n: int) -> list[str]:
    return [f"潮見市の第{i}地区で、新しい公園の整備工事が{i}日に始まった。" for i in range(1, n + 1)]


# ---------------------------------------------------------------- openers


@pytest.mark.parametrize(
    ("sentence", "kind", "alone"),
    [
        ("しかし、市は計画を見直した。", CONNECTIVE, "市は計画を見直した。"),
        ("また、待合所も新しくする。", CONNECTIVE, "待合所も新しくする。"),
        ("一方、住民は反対している。", CONNECTIVE, "住民は反対している。"),
        ("一方で、住民は反対している。", CONNECTIVE, "住民は反対している。"),
        ("その一方で、住民は反対している。", CONNECTIVE, "住民は反対している。"),
        ("ただし、雨の日は運休する。", CONNECTIVE, "雨の日は運休する。"),
        ("さらに、駐車場も広げる。", CONNECTIVE, "駐車場も広げる。"),
        ("なお、料金は変わらない。", CONNECTIVE, "料金は変わらない。"),
        ("特に、高齢者の利用が多い。", CONNECTIVE, "高齢者の利用が多い。"),
        ("実際、利用者は増えている。", CONNECTIVE, "利用者は増えている。"),
        ("だが市は計画を変えなかった。", CONNECTIVE, "市は計画を変えなかった。"),
        ("このため、市は工事を急ぐ。", CONNECTIVE, "市は工事を急ぐ。"),
        ("However, the pier stays open.", CONNECTIVE, "The pier stays open."),
        # A connective followed by a reference: nothing left that stands alone.
        ("しかし、同氏は反対した。", CONNECTIVE, None),
        ("しかし同社は反論した。", CONNECTIVE, None),
        # Without a comma また・さらに modify what follows: dropping them changes the meaning.
        ("さらに10人が乗船した。", CONNECTIVE, None),
        ("また新たに2便が増える。", CONNECTIVE, None),
        # References: a participant of the clause named before.
        ("これは市内で唯一の桟橋である。", REFERENCE, None),
        ("これを市は否定した。", REFERENCE, None),
        ("これに市も同意した。", REFERENCE, None),
        ("それが問題となった。", REFERENCE, None),
        ("この桟橋は1968年に造られた。", REFERENCE, None),
        ("その後の調査で分かった。", REFERENCE, None),
        ("そうした声は根強い。", REFERENCE, None),
        ("こうした課題は多い。", REFERENCE, None),
        ("あの事故から10年になる。", REFERENCE, None),
        ("同氏は「残念だ」と述べた。", REFERENCE, None),
        ("同社は声明を出した。", REFERENCE, None),
        ("同国は反発している。", REFERENCE, None),
        ("同日、会見が開かれた。", REFERENCE, None),
        ("同省は調査を始めた。", REFERENCE, None),
        ("同市は対策をとる。", REFERENCE, None),
        ("同じ日に別の事故もあった。", REFERENCE, None),
        ("同チームは優勝した。", REFERENCE, None),
        # 同 + any noun before a particle, and the rest of something named before.
        ("同航路は2020年3月から運休している。", REFERENCE, None),
        ("同センターでは新しい素材を試せる。", REFERENCE, None),
        ("残りは引き続き輸入に頼る。", REFERENCE, None),
        ("両国は合意した。", REFERENCE, None),
        ("彼は会見に出なかった。", REFERENCE, None),
        ("彼女は涙を見せた。", REFERENCE, None),
        ("当時は市内で最も長い橋だった。", REFERENCE, None),
        ("He declined to comment.", REFERENCE, None),
    ],
)
def test_back_pointing_openers(sentence, kind, alone):
    opener = back_pointing_opener(sentence)
    assert opener is not None and opener.kind == kind
    assert stand_alone(sentence, named=TITLE) == alone


@pytest.mark.parametrize(
    "sentence",
    [
        "潮見市は桟橋を建て替える。",
        "ただ一人の船長が運航を担う。",  # ただ = only
        "特に問題はないという。",  # 特に + negative = (not) particularly
        "一方的に運休が決まった。",
        "なお調査が続いている。",  # なお = still
        "実際の利用者はもっと多い。",
        "または運休となる可能性もある。",
        "これまでに10人が乗船した。",
        "これからも運航を続ける。",
        "この10年で利用者は半減した。",
        "ここ数年、観光客が増えている。",
        "このほど新しい船が就航した。",
        "同意を得た上で着工する。",
        "同盟国との協議が続く。",
        "同様の事故は初めてだという。",
        "同一の便で運ぶ。",
        "残り時間は少ない。",
        "市は計画を見直した。",
        "両親と一緒に乗船した。",
        "「しかし」と村井課長は言った。",
        "The pier was built in 1968.",
    ],
)
def test_sentences_that_do_not_point_back(sentence):
    assert back_pointing_opener(sentence) is None
    assert stand_alone(sentence, named=TITLE) == sentence


@pytest.mark.parametrize(
    ("named", "alone"),
    [("潮見市、市営桟橋を建て替えへ", True), ("釜山―門司の旅客船、5年ぶり再開へ", False), ("", False)],
)
def test_a_bare_city_stands_alone_under_a_headline_that_names_one(named, alone):
    """「市は」 is 「同市は」 written short: which city, the reader knows only from the headline."""
    sentence = "市は来月から住民説明会を開く。"
    assert stand_alone(sentence, named=named) == (sentence if alone else None)


@pytest.mark.parametrize(
    ("sentence", "alone"),
    [
        ("顧客はこのセンターで新しい素材を試せる。", None),  # which centre: one named before
        ("住民はこの計画に反対している。", None),
        ("しかし、住民はその案を拒んだ。", None),
        ("政府はこの10年で予算を倍にした。", "政府はこの10年で予算を倍にした。"),  # a span from now
        ("市民はその他の案を求めた。", "市民はその他の案を求めた。"),
        (
            "政府は来年度、このセンターを拡張する。",
            "政府は来年度、このセンターを拡張する。",
        ),  # after the first clause
    ],
)
def test_a_reference_in_the_first_clause_keeps_a_sentence_from_standing_alone(sentence, alone):
    assert stand_alone(sentence) == alone


# ---------------------------------------------------------------- the extractive summarizer


def test_bullets_follow_the_article_for_every_length():
    for count in range(1, 16):
        bullets = summarize(SAMPLE, count, title=TITLE)
        positions = source_positions(bullets, SAMPLE)
        assert None not in positions
        assert positions == sorted(positions) and len(set(positions)) == len(positions), bullets


def test_the_bullets_span_the_article():
    sentences = _sentences(SAMPLE)
    n = len(sentences)
    # Without a headline: the lede, then one bullet from each quarter of the article.
    bullets = summarize(SAMPLE)
    positions = source_positions(bullets, SAMPLE)
    assert bullets[0] == sentences[0] and len(bullets) == 4
    assert {p * 4 // n for p in positions} == {0, 1, 2, 3}
    # The headline names the cost, so the sentence that gives it joins the lede (a section may
    # get a second bullet when it matters enough), but the list still reaches past the middle.
    bullets = summarize(SAMPLE, title=TITLE)
    positions = source_positions(bullets, SAMPLE)
    assert bullets[:2] == sentences[:2] and positions[-1] > n // 2
    # A long article of like sentences: the lede and the one after it (the position prior), then
    # the rest spread to the end: 9 of its 10 tenths get a bullet, the last one included.
    long = _long_article(60)
    positions = source_positions(summarize(long), long)
    assert len(positions) == 10 and positions[:2] == [0, 1] and positions[-1] >= 54
    assert len({p * 10 // 60 for p in positions}) >= 9


def test_count_by_length():
    short = SAMPLE[:2]  # 4 sentences
    assert bullet_count(short) == MIN_BULLETS == 3 and len(summarize(short)) == 3
    assert bullet_count(SAMPLE) == 4 and len(summarize(SAMPLE)) == 4
    assert bullet_count(_long_article(24)) == 6
    assert bullet_count(_long_article(80)) == MAX_BULLETS == 10
    assert len(summarize(_long_article(80))) == 10
    counts = [bullet_count(_long_article(n)) for n in range(3, 60)]
    assert counts == sorted(counts) and min(counts) == 3 and max(counts) == 10
    # Never more than there are sentences.
    two = ["青島の診療所が改装を終えて再開した。", "新たに子供向けの待合室が設けられた。"]
    assert bullet_count(two) == 2 and len(summarize(two)) == 2


def test_no_bullet_points_back_past_the_bullet_before():
    for count in range(1, 16):
        for title in (TITLE, None):
            bullets = summarize(SAMPLE, count, title=title)
            assert dangling_openers(bullets, source_positions(bullets, SAMPLE)) == [], bullets


def test_with_every_sentence_picked_the_openers_stay():
    # Every antecedent is then the bullet before: the list is the article, verbatim.
    assert summarize(SAMPLE, 100) == _sentences(SAMPLE)


def test_a_dropped_conjunction_keeps_the_rest_and_a_reference_is_skipped():
    # The sentences before these are a question and a caption, which are never bullets, so the
    # sentences that point back at them cannot follow their antecedent.
    text = [
        "桟橋は本当に安全なのか？",
        "しかし、市の点検では橋脚に深刻な損傷は見つからなかった。",
        "青島と潮見港を結ぶ定期船（資料写真）",
        "これは島民にとって欠かせない交通手段である。",
        "定期船は1日に6往復し、年間およそ20万人が利用している。",
        "市は来年度、待合所の改修にも着手する方針だ。",
    ]
    bullets = summarize(text, 10, title=TITLE)  # the headline names the city 「市」 is
    assert bullets == [
        "市の点検では橋脚に深刻な損傷は見つからなかった。",
        "定期船は1日に6往復し、年間およそ20万人が利用している。",
        "市は来年度、待合所の改修にも着手する方針だ。",
    ]


def test_a_connective_stays_right_after_its_antecedent():
    text = [
        "市の点検では、橋脚の一部で鉄筋の腐食が見つかった。",
        "しかし、定期船の運航には当面支障はないという。",
    ]
    assert summarize(text, 2, title=TITLE) == text
    assert summarize(text[1:], 1, title=TITLE) == ["定期船の運航には当面支障はないという。"]


def test_the_lead_is_not_repeated():
    # A page that repeats its standfirst as the first sentence of the body.
    first = split_sentences(LEAD)[0]
    body = [first, *SAMPLE]
    assert summarize(body, title=TITLE)[0] == first
    for count in (None, 3, 5):
        bullets = summarize(body, count, title=TITLE, lead=LEAD)
        assert first not in bullets and bullets
        assert in_article_order(source_positions(bullets, body))
    # Nor a sentence of the lead written with other widths and spaces.
    assert "潮見市が老朽化した市営桟橋を建て替える。" not in summarize(
        ["潮見市が老朽化した市営桟橋を建て替える。", *SAMPLE], lead="潮見市が 老朽化した市営桟橋を建て替える"
    )


@pytest.mark.django_db
def test_the_summarize_stage_passes_the_lead(article_factory):
    first = split_sentences(LEAD)[0]
    article = article_factory(
        language="ja",
        lead=LEAD,
        lead_ja="",
        paragraphs=[first, *SAMPLE],
        translation=[],
        summary=[],
        status="review",
    )
    assert SummarizeStage().run(article) == (State.DONE, ["summary"])
    assert article.summary and first not in article.summary
    # The translated lead of a foreign article counts the same.
    english = article_factory(
        lead="Shiomi will rebuild its pier.", lead_ja=LEAD, translation=[first, *SAMPLE]
    )
    assert first not in ExtractiveSummarizer().summarize(english.translation, article=english)


# ---------------------------------------------------------------- curated bullets and the stage

CURATED_13 = """サンプル東アジア
「匿名コメント募集中」

潮見市、市営桟橋を建て替えへ

{bullets}

Shiomi to rebuild its ferry pier

ソース:https://www.shiomi-news.example/news/pier-123
  1. 潮見市は市営桟橋を全面的に建て替えると発表した。
  2. 総事業費は約48億円である。

コメント
"""


@pytest.mark.django_db
def test_curated_bullets_are_kept_however_many(tmp_path):
    bullets = [f"  • 要約の{i}項目目の文である（サンプル）。" for i in range(1, 14)]
    path = tmp_path / "curated.txt"
    path.write_text(CURATED_13.format(bullets="\n".join(bullets)), encoding="utf-8")
    call_command("ingest", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    article = Article.objects.get()
    assert article.is_curated and len(article.summary) == 13
    assert article.stages.get(name="summarize").state == State.DONE
    runner.rerun(article, ["summarize"])
    article.refresh_from_db()
    assert len(article.summary) == 13


@pytest.mark.django_db
def test_the_stage_keeps_an_editors_bullets(article_factory):
    thirteen = [f"編集者の要約{i}。" for i in range(1, 14)]
    article = article_factory(language="ja", paragraphs=SAMPLE, summary=thirteen, status="review")
    assert SummarizeStage().run(article) == (State.DONE, [])
    assert article.summary == thirteen


# ---------------------------------------------------------------- the command


@pytest.mark.django_db
def test_the_command_prints_bullets_in_the_articles_order(monkeypatch):
    text = "\n".join(_long_article(30))
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    out = io.StringIO()
    call_command("summarize", stdout=out)
    bullets = out.getvalue().splitlines()
    assert len(bullets) == 8
    assert bullets == sorted(bullets, key=text.index)


def test_the_commands_help_says_article_order():
    from newsdesk.ops.management.commands.summarize import Command

    assert "order" in Command.help and "most important" not in Command.help


# ---------------------------------------------------------------- the LLM summarizer's checks

FIVE = [
    "潮見市は市営桟橋を建て替える。",
    "総事業費は約48億円である。",
    "工事中は仮設の浮き桟橋を使う。",
    "青島の住民は混雑を心配している。",
    "市議会は6月に予算案を審議する。",
]


def test_llm_bullets_may_not_point_back():
    text = "\n".join(SAMPLE)
    assert llm.bullets_are_supported(FIVE, text)
    for opener in ("これは", "同氏は", "しかし、", "また、"):
        bullets = [*FIVE[:2], opener + FIVE[2], *FIVE[3:]]
        assert not llm.bullets_are_supported(bullets, text), opener


def test_llm_bullets_lose_their_connectives():
    bullets = llm.without_connectives(["また、" + FIVE[0], "しかし、" + FIVE[1], "これは" + FIVE[2]])
    assert bullets == [FIVE[0], FIVE[1], "これは" + FIVE[2]]


def test_llm_bullets_must_follow_the_article():
    assert llm.bullets_follow_article(FIVE, SAMPLE)
    assert not llm.bullets_follow_article(list(reversed(FIVE)), SAMPLE)
    assert not llm.bullets_follow_article([FIVE[3], *FIVE[:3], FIVE[4]], SAMPLE)
    # A bullet like no sentence of the article is not placed, and does not decide the order.
    assert llm.bullets_follow_article([*FIVE[:2], "天気は晴れだった。", *FIVE[2:]], SAMPLE)


@pytest.fixture
def abstractive(use_openai, settings):  # noqa: F811
    settings.NEWSDESK = {**settings.NEWSDESK, "SUMMARIZER": "newsdesk.summaries.llm.LLMSummarizer"}
    return use_openai


@pytest.mark.django_db
def test_llm_bullets_in_order_are_kept_without_connectives(abstractive, article_factory):
    article = article_factory(language="ja", paragraphs=SAMPLE, translation=[], summary=[], status="review")
    abstractive.summary_bullets = [*FIVE[:3], "また、" + FIVE[3], FIVE[4]]
    assert llm.LLMSummarizer().summarize(SAMPLE, title=TITLE, article=article) == FIVE


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bullets",
    [list(reversed(FIVE)), [*FIVE[:2], "これは" + FIVE[2], *FIVE[3:]]],
    ids=["out-of-order", "reference-opener"],
)
def test_llm_bullets_out_of_order_or_pointing_back_fall_back(abstractive, article_factory, bullets):
    article = article_factory(language="ja", paragraphs=SAMPLE, translation=[], summary=[], status="review")
    abstractive.summary_bullets = bullets
    summary = llm.LLMSummarizer().summarize(SAMPLE, title=TITLE, article=article)
    assert summary == ExtractiveSummarizer().summarize(SAMPLE, title=TITLE, article=article)
