"""Plain text copied from a web page, chrome and all: the three shapes of docs/product.md and variants.

The outlets, people and articles here are made up.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.ingest.document import IngestError
from newsdesk.ingest.plaintext import extract_text
from newsdesk.japanese.dates import JST

NINE = timezone(timedelta(hours=9))

# --- the three examples of docs/product.md ---------------------------------------------------------

TEXT_ARTICLE = """Since 1990
日本語で読む東アジアのニュース
  • facebook
  • twitter

日韓フェリー航路、4年ぶりに再開へ

釜山港に入る旅客フェリー（サンプル通信/資料写真）
釜山港に入る旅客フェリー（サンプル通信/資料写真）
Short Url:
12 Mar 2025 09:15:00 GMT9
12 Mar 2025 09:15:00 GMT9

下関と釜山を結ぶ旅客フェリーが、4年ぶりに運航を再開する。（本文が続く）

  • 山田花子氏はサンプル通信の記者である。
最新
特に人気
オススメ

return to top
"""

TEXT_BYLINE = """「港湾協定」は地域の物流を変える

新しい協定は、港の使用料と通関の手続きを一本化する。

John Smith
Example Times
March 3, 2025

（本文の段落が続く）

ジョン・スミスはサンプル大学の経済学教授である。

example.com
"""

CURATED = """サンプル東アジア
「匿名コメント募集中」

港湾協定が物流を変える

  • 箇条書きの要約（一文ずつ）
  • ...

Port deal set to reshape regional logistics

Image1
Cranes at the container terminal.
ソース:https://www.example.com/news/port-deal-123
  1. 翻訳の第一段落
  2. 翻訳の第二段落

コメント
"""


def test_text_article_example():
    art = extract_text(TEXT_ARTICLE)
    assert art.shape == "text-article"
    assert art.title == "日韓フェリー航路、4年ぶりに再開へ"
    assert art.lead == ""
    assert art.paragraphs == ["下関と釜山を結ぶ旅客フェリーが、4年ぶりに運航を再開する。（本文が続く）"]
    assert art.caption == "釜山港に入る旅客フェリー（サンプル通信/資料写真）"
    assert art.published_at == datetime(2025, 3, 12, 9, 15, tzinfo=NINE)
    assert art.published_at.utcoffset() == timedelta(hours=9)
    assert art.author_bio == "山田花子氏はサンプル通信の記者である。"
    assert art.author == "山田花子"
    assert art.outlet == "サンプル通信"  # the bio says she reports for it
    assert art.url == "" and art.outlet_domain == ""
    assert art.dropped_lines == [
        "Since 1990",
        "日本語で読む東アジアのニュース",
        "facebook",
        "twitter",
        "釜山港に入る旅客フェリー（サンプル通信/資料写真）",  # the repeated caption
        "Short Url:",
        "12 Mar 2025 09:15:00 GMT9",  # the repeated date
        "最新",
        "特に人気",
        "オススメ",
        "return to top",
    ]
    assert art.original_title == "" and art.summary == [] and art.translation == []
    assert art.text == art.paragraphs[0]


def test_text_article_caption_appears_once():
    art = extract_text(TEXT_ARTICLE)
    everything = "\n".join([art.title, art.lead, art.caption, *art.paragraphs, art.author_bio])
    assert everything.count("釜山港に入る旅客フェリー") == 1


def test_text_byline_example():
    art = extract_text(TEXT_BYLINE)
    assert art.shape == "text-byline"
    assert art.title == "「港湾協定」は地域の物流を変える"
    assert art.lead == "新しい協定は、港の使用料と通関の手続きを一本化する。"
    assert art.author == "John Smith"  # the byline beats the name in the biography
    assert art.outlet == "Example Times"
    assert art.published_at == datetime(2025, 3, 3, tzinfo=JST)  # Japanese text: no zone means JST
    assert art.paragraphs == ["（本文の段落が続く）"]
    assert art.author_bio == "ジョン・スミスはサンプル大学の経済学教授である。"
    assert art.outlet_domain == "example.com"
    assert art.url == ""  # a bare domain is the outlet's site, not the article
    assert art.caption == ""
    assert art.dropped_lines == []


def test_text_byline_url_from_caller():
    art = extract_text(TEXT_BYLINE, url="https://www.example.com/port-deal")
    assert art.url == "https://www.example.com/port-deal"
    assert art.outlet_domain == "example.com"


def test_curated_example():
    art = extract_text(CURATED, url="https://kj.example.jp/articles/1")
    assert art.shape == "curated"
    assert art.title == "港湾協定が物流を変える"
    assert art.summary == ["箇条書きの要約（一文ずつ）"]
    assert art.original_title == "Port deal set to reshape regional logistics"
    assert art.language == "en"
    assert art.caption == "Cranes at the container terminal."
    assert art.url == "https://www.example.com/news/port-deal-123"  # the original, not the curated page
    assert art.outlet_domain == "example.com"
    assert art.translation == ["翻訳の第一段落", "翻訳の第二段落"]
    assert art.paragraphs == []
    assert art.text == "翻訳の第一段落\n\n翻訳の第二段落"
    assert art.dropped_lines == ["サンプル東アジア", "「匿名コメント募集中」", "...", "Image1", "コメント"]


# --- variants of the text shapes ---------------------------------------------------------------------

ENGLISH = """Harbor Ledger
Independent news from the Yellow Sea since 1987
Home | World | Asia | Opinion
Share
Facebook | X | LINE

Seoul and Tokyo agree to reopen ferry route

The service between Busan and Shimonoseki resumes in April after four years.

By Jane Roe
Published: Sep 16, 2023 10:30 AM EDT
Updated: Sep 17, 2023 08:00 AM EDT

Passengers board a ferry in Busan. (Photo: Harbor Ledger/File)

The two governments said on Friday that the route would reopen
with three sailings a week, according to a joint statement.

Officials expect about 1,000 passengers a week.

More details

Jane Roe is a correspondent for the Harbor Ledger in Seoul.

Related articles
Ferry operators warn of fuel costs
Busan port traffic hits record
© 2023 Harbor Ledger. All rights reserved.
"""


def test_english_page_with_chrome():
    art = extract_text(ENGLISH, url="https://harborledger.example/ferry")
    assert art.shape == "text-byline"
    assert art.title == "Seoul and Tokyo agree to reopen ferry route"
    assert art.lead == "The service between Busan and Shimonoseki resumes in April after four years."
    assert art.author == "Jane Roe"
    assert art.outlet == "Harbor Ledger"
    assert art.author_bio == "Jane Roe is a correspondent for the Harbor Ledger in Seoul."
    # the line labelled Published wins over the Updated one, and EDT is -04:00
    assert art.published_at == datetime(2023, 9, 16, 10, 30, tzinfo=timezone(timedelta(hours=-4)))
    assert art.caption == "Passengers board a ferry in Busan. (Photo: Harbor Ledger/File)"
    assert art.paragraphs == [
        # a sentence broken over two lines is one paragraph again
        "The two governments said on Friday that the route would reopen with three sailings a week, "
        "according to a joint statement.",
        "Officials expect about 1,000 passengers a week.",
        "More details",  # no rule knows this line: it stays in the body
    ]
    assert art.url == "https://harborledger.example/ferry"
    assert art.outlet_domain == "harborledger.example"
    assert art.dropped_lines == [
        "Harbor Ledger",
        "Independent news from the Yellow Sea since 1987",
        "Home | World | Asia | Opinion",
        "Share",
        "Facebook | X | LINE",
        "Updated: Sep 17, 2023 08:00 AM EDT",
        "Related articles",
        "Ferry operators warn of fuel costs",
        "Busan port traffic hits record",
        "© 2023 Harbor Ledger. All rights reserved.",
    ]


JAPANESE = """東アジア通信オンライン
「アジアを日本語で」
シェア
ツイート
はてなブックマーク

北朝鮮、弾道ミサイルを発射か　防衛省発表

防衛省は24日、北朝鮮が日本海に向けて弾道ミサイルとみられる物体を発射したと発表した。

文：佐藤一郎
公開日：2024年6月24日 07:30
更新：2024年6月24日 09:00

発射された物体は約400キロ飛行し、排他的経済水域（EEZ）の外に落下したとみられる。
政府は情報の収集と分析を急いでいる。

■今後の見通し
専門家は、追加の発射もありうるとみている。

詳しくは続報で

出典：https://news.example.jp/articles/2024/06/24/missile
アクセスランキング
1 日韓首脳が電話会談
2 台風3号が北上
3 円相場が一時160円台に
"""

JAPANESE_BODY = [
    "発射された物体は約400キロ飛行し、排他的経済水域（EEZ）の外に落下したとみられる。",
    "政府は情報の収集と分析を急いでいる。",
    "今後の見通し",
    "専門家は、追加の発射もありうるとみている。",
    "詳しくは続報で",
]


def test_japanese_page_with_source_line_and_ranking():
    art = extract_text(JAPANESE)
    assert art.shape == "text-byline"
    assert art.title == "北朝鮮、弾道ミサイルを発射か　防衛省発表"
    assert art.lead == "防衛省は24日、北朝鮮が日本海に向けて弾道ミサイルとみられる物体を発射したと発表した。"
    assert art.author == "佐藤一郎"
    assert art.published_at == datetime(2024, 6, 24, 7, 30, tzinfo=JST)  # 公開日, not 更新
    assert art.paragraphs == JAPANESE_BODY
    assert art.url == "https://news.example.jp/articles/2024/06/24/missile"
    assert art.outlet_domain == "news.example.jp"
    assert art.author_bio == ""
    assert art.dropped_lines == [
        "東アジア通信オンライン",
        "「アジアを日本語で」",
        "シェア",
        "ツイート",
        "はてなブックマーク",
        "更新：2024年6月24日 09:00",
        "アクセスランキング",
        "1 日韓首脳が電話会談",
        "2 台風3号が北上",
        "3 円相場が一時160円台に",
    ]


def test_source_line_beats_caller_url():
    art = extract_text(JAPANESE, url="https://paste.example.org/1")
    assert art.url == "https://news.example.jp/articles/2024/06/24/missile"


def test_nothing_of_the_body_is_lost():
    """Every input line is in a field, in the body or in dropped_lines: nothing vanishes."""
    for text in (TEXT_ARTICLE, TEXT_BYLINE, ENGLISH, JAPANESE):
        art = extract_text(text)
        kept = "\n".join(
            [art.title, art.lead, art.caption, art.author_bio, *art.paragraphs, *art.dropped_lines]
        )
        for line in text.splitlines():
            line = line.strip().lstrip("•■").strip()
            if not line or line in kept:
                continue
            # what is left must be metadata read into a field
            assert (
                line in (art.author, art.outlet, art.outlet_domain)
                or art.author in line
                or art.url in line
                or art.published_at.strftime("%Y") in line
            ), line


def test_prose_after_a_footer_heading_stays_in_the_body():
    text = """港の使用料、来年から一本化

関連記事

新しい協定は、港の使用料と通関の手続きを一本化するもので、来年1月に施行される予定である。
"""
    art = extract_text(text)
    assert art.paragraphs == [
        "新しい協定は、港の使用料と通関の手続きを一本化するもので、来年1月に施行される予定である。"
    ]
    assert art.dropped_lines == ["関連記事"]


def test_short_unknown_lines_stay_in_the_body():
    text = """Ferry talks stall

Negotiators met on Monday in Busan without agreement on fees.

(continued)

Fees remain the main obstacle, officials said.
"""
    art = extract_text(text)
    assert art.title == "Ferry talks stall"
    assert "(continued)" in art.paragraphs
    assert art.dropped_lines == []


def test_body_only_text_has_no_title_and_loses_nothing():
    text = "下関と釜山を結ぶ旅客フェリーが運航を再開する。\n運航は週3便となる。\n"
    art = extract_text(text)
    assert art.title == ""
    assert art.paragraphs == ["下関と釜山を結ぶ旅客フェリーが運航を再開する。", "運航は週3便となる。"]
    assert art.shape == "text-article"


def test_repeated_title_is_kept_once():
    text = "港湾協定を締結\n港湾協定を締結\n\n両国は港湾協定に署名した。詳細は後日発表される。\n"
    art = extract_text(text)
    assert art.title == "港湾協定を締結"
    assert art.paragraphs == ["両国は港湾協定に署名した。詳細は後日発表される。"]
    assert art.dropped_lines == ["港湾協定を締結"]


def test_byline_with_by_prefix_and_pipe_and_english_dates_default_to_utc():
    text = """Port fees to be unified

By Mina Park | Sample Daily
June 3, 2025

The ports of Incheon and Qingdao will charge a single fee from next year, officials said.
"""
    art = extract_text(text)
    assert (art.author, art.outlet) == ("Mina Park", "Sample Daily")
    assert art.published_at == datetime(2025, 6, 3, tzinfo=UTC)
    assert art.shape == "text-byline"


def test_image_marker_and_iso_date():
    text = """Shipping rates climb

Image 1
A container ship leaves the port of Busan.
2024-06-24T01:06:25+09:00

Freight rates on the Korea-Japan route rose for a third month in June, brokers said.
"""
    art = extract_text(text)
    assert art.caption == "A container ship leaves the port of Busan."
    assert art.published_at == datetime(2024, 6, 24, 1, 6, 25, tzinfo=NINE)
    assert art.dropped_lines == ["Image 1"]
    assert art.paragraphs == [
        "Freight rates on the Korea-Japan route rose for a third month in June, brokers said."
    ]


def test_source_line_without_url_names_the_outlet():
    text = "港湾協定を締結\n\n両国は港湾協定に署名した。\n\nSource: Harbor Ledger\n"
    art = extract_text(text)
    assert art.outlet == "Harbor Ledger"
    assert art.url == ""
    assert art.paragraphs == ["両国は港湾協定に署名した。"]


def test_bare_domain_with_path_is_the_url():
    text = "港湾協定を締結\n\n両国は港湾協定に署名した。\n\nwww.example.com/news/port-deal-123\n"
    art = extract_text(text)
    assert art.url == "https://www.example.com/news/port-deal-123"
    assert art.outlet_domain == "example.com"


def test_bio_without_a_name_leaves_the_author_empty():
    text = "港湾協定の意味\n\n協定は物流を変えるだろう。\n\n筆者はサンプル大学教授。\n"
    art = extract_text(text)
    assert art.author_bio == "筆者はサンプル大学教授。"
    assert art.author == ""
    assert art.paragraphs == ["協定は物流を変えるだろう。"]


def test_sentence_that_looks_like_a_bio_mid_article_stays():
    text = """港湾協定の意味

田中一郎氏はサンプル大学の教授である。同氏は協定を評価した。
協定は来年施行される。
港の使用料は下がる見込みだ。
"""
    art = extract_text(text)
    assert art.author_bio == ""
    assert art.paragraphs[0] == "田中一郎氏はサンプル大学の教授である。同氏は協定を評価した。"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "Since 1990\nfacebook\ntwitter\n最新\n特に人気\nreturn to top\n",
        "Short Url:\nShare\n© 2025 Sample News\n",
    ],
)
def test_no_article_text_raises(text):
    with pytest.raises(IngestError) as info:
        extract_text(text)
    assert "\n" not in str(info.value)


def test_headline_alone_raises_with_the_headline_in_the_message():
    with pytest.raises(IngestError, match="港湾協定を締結"):
        extract_text("facebook\n\n港湾協定を締結\n\n最新\n")


# --- variants of the curated shape --------------------------------------------------------------------


CURATED_KO = """アジア掲示板
港湾法改正案が可決

  • 韓国国会が港湾法の改正案を可決した。
  • 施行は来年1月の予定。

국회, 항만법 개정안 통과

写真1
仁川港のコンテナターミナル。
ソース：https://news.example.kr/article/777
샘플일보
Kim Minji
2025-03-03 14:00 KST
  1. 韓国の国会は3日、港湾法の改正案を可決した。
改正案は賛成多数で可決された。
  2. 施行は来年1月の予定である。

主要な数字
  • 賛成 180票
コメント
1 名無しさん 2025/03/03(月) 15:00 ID:abc
賛成です
"""


def test_curated_korean_without_the_marker_line():
    art = extract_text(CURATED_KO)
    assert art.shape == "curated"
    assert art.title == "港湾法改正案が可決"
    assert art.summary == ["韓国国会が港湾法の改正案を可決した。", "施行は来年1月の予定。"]
    assert art.original_title == "국회, 항만법 개정안 통과"
    assert art.language == "ko"
    assert art.caption == "仁川港のコンテナターミナル。"
    assert art.url == "https://news.example.kr/article/777"
    assert art.outlet_domain == "news.example.kr"
    assert art.outlet == "샘플일보"
    assert art.author == "Kim Minji"
    assert art.published_at == datetime(2025, 3, 3, 14, 0, tzinfo=NINE)
    assert art.translation == [
        "韓国の国会は3日、港湾法の改正案を可決した。\n改正案は賛成多数で可決された。",
        "施行は来年1月の予定である。",
    ]
    assert art.paragraphs == []
    assert art.dropped_lines == [
        "アジア掲示板",
        "写真1",
        "主要な数字",
        "賛成 180票",
        "コメント",
        "1 名無しさん 2025/03/03(月) 15:00 ID:abc",
        "賛成です",
    ]


@pytest.mark.parametrize(
    ("headline", "language"),
    [
        ("Port deal set to reshape regional logistics", "en"),
        ("Портовое соглашение изменит логистику", "ru"),
        ("港口协议将重塑区域物流", "zh"),
        ("항만 협정, 물류 바꾼다", "ko"),
    ],
)
def test_curated_language_from_the_original_headline(headline, language):
    text = CURATED.replace("Port deal set to reshape regional logistics", headline)
    art = extract_text(text)
    assert art.original_title == headline
    assert art.language == language


def test_numbered_list_in_an_article_is_not_a_curated_page():
    text = """Three things to know about the port deal

  • Analysis

1. Fees are unified across the ports of both countries.
2. Customs paperwork is filed once for both sides.

Source: https://example.com/port-deal
"""
    art = extract_text(text)
    assert art.shape == "text-article"
    assert "1. Fees are unified across the ports of both countries." in art.paragraphs
    assert art.url == "https://example.com/port-deal"


def test_curated_page_with_nothing_to_import_raises():
    with pytest.raises(IngestError):
        extract_text("サンプル東アジア\n「匿名コメント募集中」\n\nコメント\n")


def test_parenthesis_that_is_not_a_photo_credit_stays_in_the_body():
    text = """Port startups draw investors

He met Kim Dae-ho at the port (who runs a file-sharing company)
Investors put 2 billion won into port software last year, the ministry said.
"""
    art = extract_text(text)
    assert art.caption == ""
    assert "He met Kim Dae-ho at the port (who runs a file-sharing company)" in art.paragraphs


def test_second_source_line_is_dropped_not_lost():
    text = """港湾協定を締結

両国は港湾協定に署名した。

出典：https://news.example.jp/a/1
Source: https://mirror.example.net/a/1
"""
    art = extract_text(text)
    assert art.url == "https://news.example.jp/a/1"
    assert art.outlet_domain == "news.example.jp"
    assert art.dropped_lines == ["Source: https://mirror.example.net/a/1"]


# A page selected and copied whole with no blank line between its parts (one block): the share
# line and the newsletter call at its end must not make everything above them a page header.
ONE_BLOCK = """Pacific Ledger Sample
Home > World > Asia
Seoul and Tokyo agree to resume regular chip supply talks
By Dana Whitfield
Published: 2026-11-30 10:00 KST
SEOUL -- South Korea and Japan agreed on Sunday to resume regular talks on semiconductor supply chains.
The first meeting is set for January in Tokyo, the two trade ministries said in a joint notice.
Both sides named photoresist first.
Analysts expect export controls on chip chemicals to be on the agenda as well, the notice added.
Share this article
Subscribe to our newsletter
"""


def test_a_page_pasted_as_one_block_keeps_its_headline_byline_date_and_short_lines():
    art = extract_text(ONE_BLOCK)
    assert art.title == "Seoul and Tokyo agree to resume regular chip supply talks"
    assert art.author == "Dana Whitfield"
    assert art.published_at == datetime(2026, 11, 30, 10, 0, tzinfo=NINE)
    assert "Both sides named photoresist first." in art.paragraphs  # a short line of the body
    assert art.paragraphs[-1].startswith("Analysts expect")
    assert dict(art.dropped) == {
        "Pacific Ledger Sample": "header",
        "Home > World > Asia": "nav",
        "Share this article": "share",
        "Subscribe to our newsletter": "nav",
    }


def test_a_page_that_writes_no_date_takes_the_day_its_address_carries():
    """A reader must see that the original is from 2025, not take it for today's news."""
    dated = ONE_BLOCK.replace("Published: 2026-11-30 10:00 KST\n", "") + (
        "Source: https://www.pacific-ledger.example/asia/2025/10/07/chip-talks\n"
    )
    art = extract_text(dated)
    assert art.published_at == datetime(2025, 10, 7, tzinfo=UTC) and art.published_date_only
    curated = extract_text(CURATED.replace("/news/port-deal-123", "/news/2024/06/20/port-deal"))
    assert curated.published_at == datetime(2024, 6, 20, tzinfo=NINE) and curated.published_date_only
    assert extract_text(CURATED).published_at is None  # an address without a day: no date made up


def test_a_date_line_beats_the_address():
    art = extract_text(ONE_BLOCK + "Source: https://www.pacific-ledger.example/asia/2025/10/07/chip-talks\n")
    assert art.published_at == datetime(2026, 11, 30, 10, 0, tzinfo=NINE) and not art.published_date_only
