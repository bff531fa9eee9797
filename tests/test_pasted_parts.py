"""The rest of a pasted page: author lines wherever they stand, biographies, pull quotes.

Every page here is a SAMPLE written for these tests: it copies the shape of a real site's page as
a browser copies it (masthead, navigation, share buttons, byline, dateline, pull quote, author
biography, related-article lists), but the outlets, people, events and sentences are made up.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from newsdesk.ingest.bios import parse_bio
from newsdesk.ingest.bylines import AuthorLine, author_line
from newsdesk.ingest.drops import REASONS
from newsdesk.ingest.plaintext import extract_text
from newsdesk.ingest.textlines import bare_domain, match_key
from newsdesk.japanese.dates import JST, is_date_line

# --- a Japanese business magazine: 「文：」, a pull quote in 「」, ■プロフィール -----------------------

JA_MAGAZINE = """サンプル経済オンライン
トップ
ニュース
マーケット
ログイン
会員登録

地方港の再編が始まった　船の大型化で「選ばれる港」へ

人手不足と船の大型化で、地方の港の役割が変わりつつある。

文：山田花子
2025年3月12日 6:00
シェア
ポスト
はてなブックマーク

瀬戸内海に面したサンプル港では、昨年から大型のコンテナ船が寄港しなくなった。船会社が寄港地を絞り込んでいるためだ。

港を管理する県の担当者は「これからは港が船会社に選ばれる時代になる」と話す。

「港が船会社に選ばれる時代になる」

県は2027年までに岸壁を延ばし、水深を2メートル深くする計画を立てた。総事業費は約120億円にのぼる。

■背後地の物流拠点がカギ
ただし、岸壁を整えるだけでは船は戻らない。港の背後に倉庫や物流拠点を集めることが欠かせないと、専門家は指摘する。

■プロフィール
山田花子（やまだ・はなこ）
サンプル経済記者。1980年生まれ。物流業界の専門紙を経て2015年に入社。港湾と海運を担当している。

関連記事
九州の港、コンテナ取扱量が過去最高
海運大手、アジア航路を再編
"""


def test_japanese_magazine_with_label_byline_pull_quote_and_profile():
    art = extract_text(JA_MAGAZINE)
    assert art.title == "地方港の再編が始まった　船の大型化で「選ばれる港」へ"
    assert art.lead == "人手不足と船の大型化で、地方の港の役割が変わりつつある。"
    assert art.author == "山田花子"
    assert art.published_at == datetime(2025, 3, 12, 6, 0, tzinfo=JST)
    assert art.author_bio == (
        "山田花子（やまだ・はなこ）\n"
        "サンプル経済記者。1980年生まれ。物流業界の専門紙を経て2015年に入社。港湾と海運を担当している。"
    )
    assert art.paragraphs == [
        "瀬戸内海に面したサンプル港では、昨年から大型のコンテナ船が寄港しなくなった。船会社が寄港地を絞り込んでいるためだ。",
        "港を管理する県の担当者は「これからは港が船会社に選ばれる時代になる」と話す。",
        "県は2027年までに岸壁を延ばし、水深を2メートル深くする計画を立てた。総事業費は約120億円にのぼる。",
        "背後地の物流拠点がカギ",
        "ただし、岸壁を整えるだけでは船は戻らない。港の背後に倉庫や物流拠点を集めることが欠かせないと、専門家は指摘する。",
    ]
    assert art.dropped == [
        ("サンプル経済オンライン", "header"),
        ("トップ", "nav"),
        ("ニュース", "header"),
        ("マーケット", "header"),
        ("ログイン", "nav"),
        ("会員登録", "nav"),
        ("シェア", "share"),
        ("ポスト", "share"),
        ("はてなブックマーク", "share"),
        ("「港が船会社に選ばれる時代になる」", "pull-quote"),
        ("プロフィール", "bio-heading"),
        ("関連記事", "nav"),
        ("九州の港、コンテナ取扱量が過去最高", "footer"),
        ("海運大手、アジア航路を再編", "footer"),
    ]


# --- an English think-tank op-ed: pull quote repeated from the body, “— Name is a fellow” bio ---

EN_THINK_TANK = """Sample Institute for Pacific Affairs
Research
Experts
Events
Commentary
Search
Donate

Japan's regional ports need one national plan, not forty local ones

Prefectures are spending billions to win back ships that will not return.

By Hanako Yamada
March 3, 2025

Share
Print

Japan has more than 900 ports, and a growing number of them are competing for the same shrinking pool of container traffic.

The result is a costly race in which prefectures deepen berths that few large ships will ever use. Tokyo cannot keep paying for forty local plans that cancel each other out, and it should stop pretending otherwise.

“Tokyo cannot keep paying for forty local plans that cancel each other out.”

A national plan would pick a handful of hubs, link them to inland freight by rail, and let smaller ports specialise in ferries, fishing and bulk cargo.

None of this will be easy for local politicians. But the alternative is a decade of half-empty quays.

— Hanako Yamada is a senior fellow at the Sample Institute for Pacific Affairs, where she studies maritime trade.

The views expressed in this commentary are the author's own.

Related Commentary
Why Busan keeps winning the transshipment race
The quiet return of the Japan-Korea ferry
© 2025 Sample Institute for Pacific Affairs
"""


def test_think_tank_op_ed_drops_the_repeated_pull_quote_and_keeps_the_dash_bio():
    """The pull quote repeats a body sentence: dropped as such. The bio after the body (“— Name is a
    senior fellow at …”) is metadata; the disclaimer after it is a sentence and stays in the body."""
    art = extract_text(EN_THINK_TANK)
    assert art.title == "Japan's regional ports need one national plan, not forty local ones"
    assert art.lead == "Prefectures are spending billions to win back ships that will not return."
    assert art.author == "Hanako Yamada"
    assert (
        art.author_bio
        == "Hanako Yamada is a senior fellow at the Sample Institute for Pacific Affairs, where she studies maritime trade."
    )
    assert art.paragraphs == [
        "Japan has more than 900 ports, and a growing number of them are competing for the same shrinking pool of container traffic.",
        "The result is a costly race in which prefectures deepen berths that few large ships will ever use. Tokyo cannot keep paying for forty local plans that cancel each other out, and it should stop pretending otherwise.",
        "A national plan would pick a handful of hubs, link them to inland freight by rail, and let smaller ports specialise in ferries, fishing and bulk cargo.",
        "None of this will be easy for local politicians. But the alternative is a decade of half-empty quays.",
        "The views expressed in this commentary are the author's own.",
    ]
    assert art.dropped == [
        ("Sample Institute for Pacific Affairs", "header"),
        ("Research", "header"),
        ("Experts", "header"),
        ("Events", "header"),
        ("Commentary", "header"),
        ("Search", "nav"),
        ("Donate", "nav"),
        ("Share", "share"),
        ("Print", "share"),
        ("“Tokyo cannot keep paying for forty local plans that cancel each other out.”", "pull-quote"),
        ("Related Commentary", "nav"),
        ("Why Busan keeps winning the transshipment race", "footer"),
        ("The quiet return of the Japan-Korea ferry", "footer"),
        ("© 2025 Sample Institute for Pacific Affairs", "copyright"),
    ]


# --- an English report: the author's name alone under the standfirst, no date -----------------

EN_BYLINE_AFTER_LEAD = """Ferry operators bet on day-trippers as Busan route returns

Operators expect most of the demand to come from short leisure trips rather than business travel.
Jane Roe

The ferry, which seats 430 passengers, will make the crossing in under four hours, a third of the time the old overnight service took.

Travel agents in Busan say bookings for the May holidays are already above plan.

Tickets go on sale next week.
"""


def test_a_name_alone_under_the_standfirst_is_the_author():
    """No date, no label: a name alone right under the standfirst is where bylines stand."""
    art = extract_text(EN_BYLINE_AFTER_LEAD)
    assert (
        art.lead
        == "Operators expect most of the demand to come from short leisure trips rather than business travel."
    )
    assert art.shape == "text-byline"
    assert art.author == "Jane Roe"
    assert art.author_bio == ""
    assert art.paragraphs == [
        "The ferry, which seats 430 passengers, will make the crossing in under four hours, a third of the time the old overnight service took.",
        "Travel agents in Busan say bookings for the May holidays are already above plan.",
        "Tickets go on sale next week.",
    ]
    assert art.dropped == []


# --- a Japanese feature: 「取材・文／」 under the lead -----------------------------------------------

JA_BYLINE_AFTER_LEAD = """北九州の港に韓国の旅行客が戻る　高速船が週5往復

来月の運航再開を前に、門司港の商店街が受け入れの準備を進めている。

取材・文／佐藤一郎

門司港レトロ地区の商店街では、韓国語の案内板の設置が始まった。

商店街の組合は、船の到着に合わせて店の営業時間を延ばすことを決めた。

組合の理事長は「船で来る客は滞在時間が長い。町全体で迎えたい」と話している。
"""


def test_japanese_label_byline_under_the_lead():
    """「取材・文／」 says it is the byline; the lead above it is the standfirst."""
    art = extract_text(JA_BYLINE_AFTER_LEAD)
    assert art.lead == "来月の運航再開を前に、門司港の商店街が受け入れの準備を進めている。"
    assert art.author == "佐藤一郎"
    assert art.author_bio == ""
    assert art.paragraphs == [
        "門司港レトロ地区の商店街では、韓国語の案内板の設置が始まった。",
        "商店街の組合は、船の到着に合わせて店の営業時間を延ばすことを決めた。",
        "組合の理事長は「船で来る客は滞在時間が長い。町全体で迎えたい」と話している。",
    ]
    assert art.dropped == []


# --- an English column: the author only as a name in capitals under the pull quote ------------

EN_NAME_AFTER_PULL_QUOTE = """Why the ferry matters more than the fares

September 16, 2025

The return of the Busan ferry is being sold as a tourism story. It is really a story about resilience: when flights were grounded in 2020, the sea route was the one link between the two cities that could have kept moving.

"The sea route was the one link between the two cities that could have kept moving"
HANAKO YAMADA

Ports are infrastructure we notice only when they fail. Keeping a passenger route alive costs money in quiet years, and that is the point of it.

The operators deserve support, not because the ferry will make a profit, but because the next crisis will not ask whether it does.
"""


def test_a_name_in_capitals_under_a_pull_quote_is_the_author():
    """The page names its author only under the pull quote. The repeated paragraph does not quote
    that person, so the name is the author's (in title case), and the pull quote is dropped."""
    art = extract_text(EN_NAME_AFTER_PULL_QUOTE)
    assert art.author == "Hanako Yamada"
    assert art.author_bio == ""
    assert art.paragraphs == [
        "The return of the Busan ferry is being sold as a tourism story. It is really a story about resilience: when flights were grounded in 2020, the sea route was the one link between the two cities that could have kept moving.",
        "Ports are infrastructure we notice only when they fail. Keeping a passenger route alive costs money in quiet years, and that is the point of it.",
        "The operators deserve support, not because the ferry will make a profit, but because the next crisis will not ask whether it does.",
    ]
    assert art.dropped == [
        ('"The sea route was the one link between the two cities that could have kept moving"', "pull-quote")
    ]


# --- a Japanese news site: 「• …氏は…。」 biography with related headlines as bullets after it -----

JA_BULLET_BIO = """Since 1987
日本語で読む半島のニュース
  • facebook
  • twitter

釜山港、コンテナ取扱量が過去最高に　積み替え貨物が伸びる

12 Mar 2025 09:15:00 GMT9

韓国の釜山港で、2024年のコンテナ取扱量が過去最高を更新した。釜山港湾公社が11日、発表した。

他国の港へ運ばれる積み替え貨物の増加が、全体を押し上げた。公社は今年も増加が続くとみている。

  • 山田花子氏はサンプル通信ソウル支局の記者で、2019年から韓国の経済を担当している。
  • 仁川空港、旅客数が回復
  • ソウルの地下鉄、運賃を値上げ
  • 韓国の輸出、3か月連続で増加

return to top
"""


def test_bullet_biography_followed_by_related_headlines():
    """「• …氏は…記者で、…担当している。」 is the biography though bullets of related headlines follow it;
    those short lines after the biography are the page's list, dropped."""
    art = extract_text(JA_BULLET_BIO)
    assert art.outlet == "サンプル通信"  # the bio names the outlet; its Seoul bureau is not part of the name
    assert art.author == "山田花子"
    assert (
        art.author_bio == "山田花子氏はサンプル通信ソウル支局の記者で、2019年から韓国の経済を担当している。"
    )
    assert art.paragraphs == [
        "韓国の釜山港で、2024年のコンテナ取扱量が過去最高を更新した。釜山港湾公社が11日、発表した。",
        "他国の港へ運ばれる積み替え貨物の増加が、全体を押し上げた。公社は今年も増加が続くとみている。",
    ]
    assert art.dropped == [
        ("Since 1987", "slogan"),
        ("日本語で読む半島のニュース", "header"),
        ("facebook", "share"),
        ("twitter", "share"),
        ("仁川空港、旅客数が回復", "after-bio"),
        ("ソウルの地下鉄、運賃を値上げ", "after-bio"),
        ("韓国の輸出、3か月連続で増加", "after-bio"),
        ("return to top", "nav"),
    ]


# --- an English report: a pull quote of someone the article quotes, “— Name” under it ---------

EN_SPEAKER_PULL_QUOTE = """Harbor Ledger
Home | World | Asia | Opinion

Mongolian herders ask for more crossings on new coal line

By Jane Roe | Harbor Ledger
Published: Oct 2, 2025 8:00 AM EDT

Herding families along a new railway in southern Mongolia say the line cuts across winter pastures with too few places for livestock to cross.

"The trucks were loud, but the animals could cross wherever they wanted," said Bolormaa Tseren, who keeps about 500 goats near the line.

“The animals could cross wherever they wanted”
— Bolormaa Tseren

The rail operator said it would build four more underpasses by the end of next year.

Jane Roe is a correspondent for the Harbor Ledger in Ulaanbaatar.
"""


def test_the_speaker_under_a_pull_quote_is_not_the_author():
    """The repeated paragraph quotes the person named under the pull quote: the speaker, dropped with
    the pull quote; the byline's author stays."""
    art = extract_text(EN_SPEAKER_PULL_QUOTE)
    assert art.outlet == "Harbor Ledger"
    assert art.author == "Jane Roe"
    assert art.author_bio == "Jane Roe is a correspondent for the Harbor Ledger in Ulaanbaatar."
    assert art.paragraphs == [
        "Herding families along a new railway in southern Mongolia say the line cuts across winter pastures with too few places for livestock to cross.",
        '"The trucks were loud, but the animals could cross wherever they wanted," said Bolormaa Tseren, who keeps about 500 goats near the line.',
        "The rail operator said it would build four more underpasses by the end of next year.",
    ]
    assert art.dropped == [
        ("Harbor Ledger", "header"),
        ("Home | World | Asia | Opinion", "nav"),
        ("“The animals could cross wherever they wanted”", "pull-quote"),
        ("Bolormaa Tseren", "pull-quote-speaker"),
    ]


# --- a Japanese newspaper: the credit line 「（ソウル＝名前）」 closing the article ---------------------

JA_CREDIT_LINE = """韓国、港湾使用料を一本化へ　来年1月から
2025年6月3日 10:30

韓国政府は3日、全国の貿易港で異なっていた港湾使用料を来年1月から一本化すると発表した。

海洋水産省によると、使用料の計算方法を統一し、手続きもオンラインで一度に済むようにする。

業界団体は歓迎する一方、地方の港からは「大きな港に貨物が集まる」との懸念も出ている。

（ソウル＝佐藤一郎）
"""


def test_japanese_credit_line_at_the_end_names_the_author():
    """「（ソウル＝佐藤一郎）」 alone on the last line: the paper's credit, not body text."""
    art = extract_text(JA_CREDIT_LINE)
    assert art.shape == "text-byline"
    assert art.author == "佐藤一郎"
    assert art.author_bio == ""
    assert art.paragraphs == [
        "韓国政府は3日、全国の貿易港で異なっていた港湾使用料を来年1月から一本化すると発表した。",
        "海洋水産省によると、使用料の計算方法を統一し、手続きもオンラインで一度に済むようにする。",
        "業界団体は歓迎する一方、地方の港からは「大きな港に貨物が集まる」との懸念も出ている。",
    ]
    assert art.dropped == []


# --- an English analysis: “About the author”, the name, the biography, “More from this author” ---

EN_ABOUT_THE_AUTHOR = """Seoul's ferry bet is really a bet on Kyushu

The new Busan route will live or die on whether Korean travellers see northern Kyushu as a weekend destination.

September 2, 2025

For most Korean tourists, Fukuoka is a one-hour flight away. The ferry takes almost four, so it has to sell something a plane cannot.

Operators are pitching onsen towns and night markets within an hour of the port, with packages that include rail passes.

About the author
Mina Park
Mina Park is a research fellow at the Sample Centre for Maritime Studies. Her book on Asian ferry routes will be published in 2026.

More from this author
Busan's quiet shipping boom
The ferry routes that never came back
"""


def test_about_the_author_heading_name_and_biography():
    """Under “About the author”: the name alone (the author line) and the biography; the author's
    other articles after it are a footer list."""
    art = extract_text(EN_ABOUT_THE_AUTHOR)
    assert art.author == "Mina Park"
    assert (
        art.author_bio
        == "Mina Park is a research fellow at the Sample Centre for Maritime Studies. Her book on Asian ferry routes will be published in 2026."
    )
    assert art.paragraphs == [
        "For most Korean tourists, Fukuoka is a one-hour flight away. The ferry takes almost four, so it has to sell something a plane cannot.",
        "Operators are pitching onsen towns and night markets within an hour of the port, with packages that include rail passes.",
    ]
    assert art.dropped == [
        ("About the author", "bio-heading"),
        ("More from this author", "nav"),
        ("Busan's quiet shipping boom", "footer"),
        ("The ferry routes that never came back", "footer"),
    ]


# --- an English report: “Written by …” above the headline -------------------------------------

EN_WRITTEN_BY_ON_TOP = """Written by Min-jun Kim, Seoul correspondent
Korea's shipyards race to fill a record order book
Sep 9, 2025

The country's three largest shipbuilders have orders for about 500 vessels, enough to keep their docks busy into 2029.

Labour is the bottleneck: the yards need about 14,000 more welders and electricians than they have.

By contrast, the Chinese yards that compete for the same orders have added workers every year since 2021.
"""


def test_written_by_above_the_headline_and_by_contrast_in_the_body():
    """A labelled byline above the headline is not taken for it; “By contrast, …” is a sentence."""
    art = extract_text(EN_WRITTEN_BY_ON_TOP)
    assert art.title == "Korea's shipyards race to fill a record order book"
    assert art.author == "Min-jun Kim"
    assert art.author_bio == ""
    assert art.paragraphs == [
        "The country's three largest shipbuilders have orders for about 500 vessels, enough to keep their docks busy into 2029.",
        "Labour is the bottleneck: the yards need about 14,000 more welders and electricians than they have.",
        "By contrast, the Chinese yards that compete for the same orders have added workers every year since 2021.",
    ]
    assert art.dropped == []


# --- a Japanese think-tank column: 「■筆者紹介」 then a bullet biography, the author's other columns ---

JA_COLUMN_BIO_HEADING = """サンプル国際問題研究所
研究員
研究テーマ
コラム
メニュー

【コラム】東シナ海の漁業協定、見直しの時期に

2025年5月20日

日中の漁業協定が結ばれてから四半世紀がたつ。その間に漁船の数も漁場の姿も大きく変わった。

協定の枠組みは、資源を守るための共同の調査を想定していなかった。見直しの議論は避けられない。

■筆者紹介
  • 佐藤一郎氏はサンプル国際問題研究所の主任研究員。専門は東アジアの海洋政策。

この研究員のコラム
日韓の海底資源をめぐる対話
黄海の違法操業をどう防ぐか
"""


def test_bio_heading_with_a_bullet_biography():
    """「■筆者紹介」 then 「• …氏は…。専門は…。」: the heading is dropped, the bullet line is the biography,
    the author's other columns after it are the page's list."""
    art = extract_text(JA_COLUMN_BIO_HEADING)
    assert art.author == "佐藤一郎"
    assert art.author_bio == "佐藤一郎氏はサンプル国際問題研究所の主任研究員。専門は東アジアの海洋政策。"
    assert art.paragraphs == [
        "日中の漁業協定が結ばれてから四半世紀がたつ。その間に漁船の数も漁場の姿も大きく変わった。",
        "協定の枠組みは、資源を守るための共同の調査を想定していなかった。見直しの議論は避けられない。",
    ]
    assert art.dropped == [
        ("サンプル国際問題研究所", "header"),
        ("研究員", "header"),
        ("研究テーマ", "header"),
        ("コラム", "header"),
        ("メニュー", "nav"),
        ("筆者紹介", "bio-heading"),
        ("この研究員のコラム", "after-bio"),
        ("日韓の海底資源をめぐる対話", "after-bio"),
        ("黄海の違法操業をどう防ぐか", "after-bio"),
    ]


# --- an English report where names stand only inside sentences: no author, nothing dropped ----

EN_NAMES_IN_SENTENCES = """Busan port fees to fall next year

By the end of next year, the port authority expects fees to fall by about a tenth.

Hanako Yamada, a spokesperson for the port authority, said the cut would apply to all container lines.

A Long Road Back

South Korea

"We are not there yet," she added.

Jane Roe said the plan had been discussed for years.
"""


def test_names_inside_sentences_never_make_an_author():
    """A name inside a sentence (“Hanako Yamada, a spokesperson …, said …”), a capitalised subheading,
    a place, “By the end of …”: all body text; nothing is dropped."""
    art = extract_text(EN_NAMES_IN_SENTENCES)
    assert art.author == ""
    assert art.author_bio == ""
    assert art.paragraphs == [
        "By the end of next year, the port authority expects fees to fall by about a tenth.",
        "Hanako Yamada, a spokesperson for the port authority, said the cut would apply to all container lines.",
        "A Long Road Back",
        "South Korea",
        '"We are not there yet," she added.',
        "Jane Roe said the plan had been discussed for years.",
    ]
    assert art.dropped == []


# --- an English column: a pull quote cut with “…” and signed “— Name” on its line -------------

EN_ELLIPSIS_PULL_QUOTE = """The quiet economics of a ferry nobody needs

By Hanako Yamada
May 4, 2025

Ports are infrastructure we notice only when they fail, and ferries are the part of that infrastructure that fails first when money is short.

“Ports are infrastructure we notice only … when they fail” — Hanako Yamada

Keeping a passenger route alive costs money in quiet years. That is the point of it, not a flaw.

Hanako Yamada is a professor of maritime policy at Sample University.
"""


def test_pull_quote_cut_with_an_ellipsis_and_signed_by_the_author():
    """The pull quote leaves words out (“…”) and is signed with the byline's author on its line."""
    art = extract_text(EN_ELLIPSIS_PULL_QUOTE)
    assert art.author == "Hanako Yamada"
    assert art.author_bio == "Hanako Yamada is a professor of maritime policy at Sample University."
    assert art.paragraphs == [
        "Ports are infrastructure we notice only when they fail, and ferries are the part of that infrastructure that fails first when money is short.",
        "Keeping a passenger route alive costs money in quiet years. That is the point of it, not a flaw.",
    ]
    assert art.dropped == [
        ("“Ports are infrastructure we notice only … when they fail” — Hanako Yamada", "pull-quote")
    ]


# --- a Korean paper's Japanese edition: 「名前記者 (お問い合わせ …)」 and the address last ----------------

JA_KOREAN_EDITION = """韓国の造船大手、受注残が過去最高　溶接工の不足が課題に

2025-09-09 10:00

韓国の造船大手3社の受注残が、約500隻と過去最高の水準に達した。

ただ、現場では溶接工や電気工が約1万4000人不足しているとされ、各社は外国人労働者の受け入れを急いでいる。

業界団体の関係者は「人が集まらなければ、受注しても船は造れない」と話した。

キム・ミンジ記者 (お問い合わせ japan@example.kr )

hangang.example/arti/economy/1234.html
"""


def test_staff_title_byline_with_a_contact_at_the_end():
    """「キム・ミンジ記者 (お問い合わせ …)」: the name with its staff title; the contact is not the name."""
    art = extract_text(JA_KOREAN_EDITION)
    assert art.url == "https://hangang.example/arti/economy/1234.html"
    assert art.author == "キム・ミンジ"
    assert art.author_bio == ""
    assert art.paragraphs == [
        "韓国の造船大手3社の受注残が、約500隻と過去最高の水準に達した。",
        "ただ、現場では溶接工や電気工が約1万4000人不足しているとされ、各社は外国人労働者の受け入れを急いでいる。",
        "業界団体の関係者は「人が集まらなければ、受注しても船は造れない」と話した。",
    ]
    assert art.dropped == []


# --- a Japanese report: 「山田 花子」 alone under the lead ------------------------------------------

JA_SPACED_NAME = """対馬の漁港に韓国の釣り客が戻る

釜山からの高速船の再開で、週末の釣り客が増えている。
山田 花子

対馬北部の漁港では、週末になると韓国から来た釣り客の姿が目立つようになった。

地元の民宿は、韓国語の予約サイトへの掲載を始めた。
"""


def test_spaced_japanese_name_under_the_lead():
    """「山田 花子」 (family and given name with a space) alone under the lead."""
    art = extract_text(JA_SPACED_NAME)
    assert art.author == "山田 花子"
    assert art.author_bio == ""
    assert art.paragraphs == [
        "対馬北部の漁港では、週末になると韓国から来た釣り客の姿が目立つようになった。",
        "地元の民宿は、韓国語の予約サイトへの掲載を始めた。",
    ]
    assert art.dropped == []


# --- an English analysis by two authors: names in capitals, one biography each, tags ----------

EN_CO_AUTHORS = """What a unified port fee means for shippers

JANE ROE AND MIN-JUN KIM

The plan to charge one fee at every trade port is, at heart, a bet that simplicity will win back cargo that now goes to Busan by default.

Shippers we spoke to were cautious about the savings but welcomed the single online filing.

Jane Roe is a senior fellow at the Sample Centre for Maritime Studies.
Min-jun Kim is a research associate at the Sample Centre for Maritime Studies.

Tags
Ports
Shipping
"""


def test_co_authors_in_capitals_and_their_biographies():
    """Two names in capitals under the headline, spelt as the biographies write them; one biography
    line per author; the tags after them are dropped."""
    art = extract_text(EN_CO_AUTHORS)
    assert art.author == "Jane Roe and Min-jun Kim"
    assert (
        art.author_bio
        == "Jane Roe is a senior fellow at the Sample Centre for Maritime Studies.\nMin-jun Kim is a research associate at the Sample Centre for Maritime Studies."
    )
    assert art.paragraphs == [
        "The plan to charge one fee at every trade port is, at heart, a bet that simplicity will win back cargo that now goes to Busan by default.",
        "Shippers we spoke to were cautious about the savings but welcomed the single online filing.",
    ]
    assert art.dropped == [("Tags", "after-bio"), ("Ports", "after-bio"), ("Shipping", "after-bio")]


# --- a Japanese business site: a profile block (name with reading, career) without a heading ---

JA_PROFILE_BLOCK = """港の自動化、働き手はどう変わる　クレーンの遠隔操作が広がる

2025年7月1日 5:00

国内の主要港で、岸壁のクレーンを事務所から遠隔で操作する仕組みの導入が進んでいる。

操作する人の負担は減ったが、画面を見続ける仕事には別の疲れがあるという。

ある港湾会社の担当者は「若い人が来てくれるなら、仕組みは変えていく」と話した。

佐藤 一郎（さとう いちろう）
サンプル経済新報記者。1985年生まれ。大学卒業後、地方紙を経て2014年に入社。現在は物流と港湾を担当。

この記事の著者の記事
港湾の人手不足、外国人材に頼る現場
"""


def test_japanese_profile_block_without_a_heading():
    """A name with its reading, then a career line (生まれ, 入社, 担当): the biography, heading or not."""
    art = extract_text(JA_PROFILE_BLOCK)
    assert art.author == "佐藤 一郎"
    assert (
        art.author_bio
        == "佐藤 一郎（さとう いちろう）\nサンプル経済新報記者。1985年生まれ。大学卒業後、地方紙を経て2014年に入社。現在は物流と港湾を担当。"
    )
    assert art.paragraphs == [
        "国内の主要港で、岸壁のクレーンを事務所から遠隔で操作する仕組みの導入が進んでいる。",
        "操作する人の負担は減ったが、画面を見続ける仕事には別の疲れがあるという。",
        "ある港湾会社の担当者は「若い人が来てくれるなら、仕組みは変えていく」と話した。",
    ]
    assert art.dropped == [
        ("この記事の著者の記事", "after-bio"),
        ("港湾の人手不足、外国人材に頼る現場", "after-bio"),
    ]


# --- every page: nothing lost, every drop explained ------------------------------------------------

PAGES = [
    JA_MAGAZINE,
    EN_THINK_TANK,
    EN_BYLINE_AFTER_LEAD,
    JA_BYLINE_AFTER_LEAD,
    EN_NAME_AFTER_PULL_QUOTE,
    JA_BULLET_BIO,
    EN_SPEAKER_PULL_QUOTE,
    JA_CREDIT_LINE,
    EN_ABOUT_THE_AUTHOR,
    EN_WRITTEN_BY_ON_TOP,
    JA_COLUMN_BIO_HEADING,
    EN_NAMES_IN_SENTENCES,
    EN_ELLIPSIS_PULL_QUOTE,
    JA_KOREAN_EDITION,
    JA_SPACED_NAME,
    EN_CO_AUTHORS,
    JA_PROFILE_BLOCK,
]


@pytest.mark.parametrize("text", PAGES)
def test_every_line_is_somewhere_and_every_drop_has_a_known_reason(text):
    art = extract_text(text)
    fields = [art.title, art.lead, art.caption, art.author_bio, *art.paragraphs, *art.dropped_lines]
    kept = "\n".join(fields)
    for line in text.splitlines():
        line = line.strip().lstrip("•■—").strip()  # the bullets and dashes split_lines takes off
        if line and line not in kept and not is_date_line(line) and bare_domain(line) is None:
            # what is left is an author line read into the author field
            assert match_key(art.author.split(" and ")[0]) in match_key(line), line
    assert len(art.drop_reasons) == len(art.dropped_lines)
    assert all(reason in REASONS for _, reason in art.dropped)


# --- the line rules on their own -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "author", "outlet", "sure"),
    [
        ("By Hanako Yamada", "Hanako Yamada", "", True),
        ("BY HANAKO YAMADA", "Hanako Yamada", "", True),
        ("Written by Jane Roe | Harbor Ledger", "Jane Roe", "Harbor Ledger", True),
        ("文：山田花子", "山田花子", "", True),
        ("筆者：佐藤一郎（サンプル大学教授）", "佐藤一郎", "", True),
        ("取材・文／佐藤一郎", "佐藤一郎", "", True),
        ("文・写真：山田花子", "山田花子", "", True),
        ("文＝山田花子、写真＝佐藤一郎", "山田花子", "", True),
        ("記者：キム・ミンジ", "キム・ミンジ", "", True),
        ("山田花子記者", "山田花子", "", True),
        ("サンプル通信 山田花子記者", "山田花子", "サンプル通信", True),
        ("【ソウル＝山田花子】", "山田花子", "", True),
        ("（北京＝佐藤一郎記者）", "佐藤一郎", "", True),
        ("— Hanako Yamada", "Hanako Yamada", "", False),
        ("HANAKO YAMADA", "Hanako Yamada", "", False),
        ("José García", "José García", "", False),
        ("山田 花子", "山田 花子", "", False),
    ],
)
def test_author_lines(line, author, outlet, sure):
    assert author_line(line) == AuthorLine(author, outlet, sure)


@pytest.mark.parametrize(
    "line",
    [
        "By contrast, the ministry kept its forecast",
        "By the end of next year",
        "Hanako Yamada, a spokesperson, said the cut would apply.",
        "Jane Roe said the plan had been discussed for years.",
        "South Korea",
        "A Long Road Back",
        "Kim Jong Un's Gamble",
        "Opinion Analysis",
        "Harbor Ledger",
        "政治部記者",
        "（共同）",
        "（写真）",
        "記者：それはなぜですか",
        "山田花子",  # a kanji word alone may be anything: only where a byline stands, with a date
        "山田花子氏はサンプル通信の記者である。",
    ],
)
def test_lines_that_are_not_author_lines(line):
    assert author_line(line) is None


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("—Hanako Yamada is a senior fellow at the Sample Institute.", ("Hanako Yamada", "")),
        ("Jane Roe, a senior fellow at the Sample Institute, writes on Korean politics.", ("Jane Roe", "")),
        ("Jane Roe, a research fellow at the Sample Centre.", ("Jane Roe", "")),
        (
            "山田花子氏はサンプル通信の記者。1980年生まれ。2019年からソウル駐在。",
            ("山田花子", "サンプル通信"),
        ),
        ("山田花子氏はサンプル新聞北京総局の特派員である。", ("山田花子", "サンプル新聞")),
        ("Hanako Yamada, a spokesperson for the port authority, said the cut would apply.", None),
        ("田中一郎氏はサンプル大学の教授である。同氏は協定を評価した。", None),  # a news sentence follows
    ],
)
def test_biography_lines(line, found):
    assert parse_bio(line) == found


def test_match_key_ignores_width_case_spaces_punctuation_and_quotes():
    assert match_key("「港が、船会社に選ばれる」") in match_key(
        "県の担当者は「これからは港が船会社に選ばれる時代」と話す。"
    )
    assert match_key("“Tokyo Cannot keep paying”") == match_key("tokyo cannot keep paying.")
    assert match_key("ＡＢＣ　１２３") == "abc123"


def test_a_short_quoted_line_that_repeats_nothing_stays():
    text = """Ferry bookings climb

Travel agents in Busan say bookings for May are above plan.

"We have never seen demand like this before"

Operators will add a fourth weekly sailing in June.
"""
    art = extract_text(text)
    assert '"We have never seen demand like this before"' in art.paragraphs
    assert art.dropped == []


def test_an_unquoted_paragraph_twice_apart_stays_twice():
    """Not a quotation, not a sentence out of a longer paragraph: an item a list repeats, or a
    paragraph the page gives twice. When unsure, the body keeps it."""
    text = """港湾協定を締結

両国は3日、港湾の使用料と通関の手続きを一本化する協定に署名した。

協定は来年1月に施行される。

両国は3日、港湾の使用料と通関の手続きを一本化する協定に署名した。
"""
    art = extract_text(text)
    assert len(art.paragraphs) == 3 and art.dropped == []


def test_an_unquoted_sentence_out_of_a_longer_paragraph_is_a_pull_quote():
    text = """Ferry bookings climb

Travel agents in Busan say bookings for May are far above plan. The operators will add a fourth weekly sailing in June.

The operators will add a fourth weekly sailing in June.

Tickets for the new sailing go on sale on Monday.
"""
    art = extract_text(text)
    assert art.dropped == [("The operators will add a fourth weekly sailing in June.", "pull-quote")]
    assert len(art.paragraphs) == 2


def test_a_name_in_capitals_stacked_over_the_date_is_given_in_title_case():
    text = "Port fees to be unified\n\nHANAKO YAMADA\nMarch 3, 2025\n\nThe ports will charge a single fee from next year.\n"
    art = extract_text(text)
    assert art.author == "Hanako Yamada"
    assert art.paragraphs == ["The ports will charge a single fee from next year."]


def test_a_label_byline_above_the_headline_and_a_menu_that_lists_latest():
    """「最新」 in the masthead's menu is no footer: the byline under the headline is still read."""
    text = """サンプル新報
ホーム
最新
ランキング
メニュー

文：山田花子
港湾の使用料、来年から一本化

政府は3日、全国の貿易港で異なっていた使用料を来年1月から一本化すると発表した。
"""
    art = extract_text(text)
    assert art.title == "港湾の使用料、来年から一本化"
    assert art.author == "山田花子"
    assert art.paragraphs == [
        "政府は3日、全国の貿易港で異なっていた使用料を来年1月から一本化すると発表した。"
    ]


def test_a_second_label_byline_naming_someone_else_stays_in_the_body():
    """Two different people, each said to be the author: unsure, so the second line is kept."""
    text = """港湾の使用料、来年から一本化

文：山田花子

政府は3日、使用料を来年1月から一本化すると発表した。

文：佐藤一郎
"""
    art = extract_text(text)
    assert art.author == "山田花子"
    assert "文：佐藤一郎" in art.paragraphs
