"""An editor's whole day in a real Chromium (issue 10's acceptance test).

On the demo's sample articles, two editors at the desk: 山田 logs in, pastes a page copied from a
browser on the ingest page, opens the new article, puts back a line the cleaner dropped, fixes
the headline, publishes (confirming the outlet's reuse policy, as asked), reads the public page,
marks a correction, looks at the history's differences and reverts; 佐藤, in another browser, sees
that 山田 has the article open. Then a saved page is uploaded, a page's URL and a feed's URL are
pasted, and a feed is added in the admin and polled at once. The fetched pages and feeds come from
a real HTTP server on 127.0.0.1; the queue runs in immediate mode, in the live server's thread.

Every outlet, person and article here is fictional: the texts are samples written for this test.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from newsdesk.ingest import fetch
from newsdesk.ops.samples import load_samples, manifest
from tests.browser import BROWSER_MARKS
from tests.httpserver import send

pytestmark = BROWSER_MARKS
User = get_user_model()
PASSWORD = "とても長いパスワード"
TIMEOUT = 15_000  # ms: a step's page, stages included, comes well within this
JST_TIME = r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}"

# --- the sample page copied from a browser, chrome and all -------------------------------------

HEADLINE = "対馬―釜山の高速船、夏ダイヤで1日4往復に増便へ"
FIXED_HEADLINE = "対馬―釜山の高速船、7月から1日4往復に　夏ダイヤで倍増"
# A line of the article the site prints after its related links: the cleaner drops it with them.
CREDIT_LINE = "（取材協力：対馬市観光物産協会）"
PASTED_URL = "https://kaikyo-sample.example/news/20250603/tsushima-busan-ferry"
PASTED = f"""海峡サンプル日報
日本語で読む海峡のニュース
ホーム　政治　経済　社会　国際
  • facebook
  • X（旧twitter）
  • LINEで送る

{HEADLINE}

記者：朴志恩（パク・ジウン）
2025年6月3日 10:30

長崎県対馬市の比田勝港と韓国・釜山港を結ぶ高速船が、7月から夏ダイヤに移り、1日2往復から4往復に増便される。運航するサンプル海峡ラインが2日、発表した。

同社によると、夏ダイヤは9月末まで続き、繁忙期の週末には臨時便も出す。所要時間は約1時間10分で、運賃は片道8000円からに据え置く。

対馬市によると、2024年に対馬を訪れた韓国人観光客は約38万人で、前年を2割ほど上回った。市は増便で日帰り客がさらに増えるとみて、港の案内所に通訳を置く。

一方、島内のバス会社は運転手が足りず、増えた観光客を運びきれないおそれがある。市は釜山側の旅行会社と組み、貸し切りバスの予約を前もってまとめる仕組みを検討している。

※この記事はnewsdeskのテスト用サンプルです。登場する媒体・人物は架空です。

関連記事
釜山港の新ターミナル、来春開業へ
対馬の観光客、過去最多を更新
{CREDIT_LINE}
最新
特に人気
ページの先頭へ
"""
SAMPLE_NOTE = "※この記事はnewsdeskのテスト用サンプルです。登場する媒体・人物は架空です。"

# --- saved and served pages (Japanese HTML, as a Japanese-language site sends it) ----------------

PAGES = {
    "museum": (
        "釜山の港湾博物館、改修終え来月再開館、日本語の音声案内も",
        [
            "韓国・釜山市の港湾博物館が、2年にわたる改修を終えて来月1日に再開館する。市が10日、発表した。",
            "新しい展示では、釜山港と九州の港を結んだ連絡船の歴史を模型や写真でたどる。日本語と英語の音声案内も用意した。",
            "市によると、改修前の来館者は年間約25万人で、うち1割ほどが日本からの旅行者だった。",
        ],
    ),
    "market": (
        "下関の朝市、韓国語と英語の案内板を設置、週末の外国人客に対応",
        [
            "山口県下関市の唐戸地区で開かれる週末の朝市に、韓国語と英語の案内板が設けられた。市場の運営組合が15日、明らかにした。",
            "朝市には釜山からのフェリー客が多く訪れるが、店の場所や支払い方法が分かりにくいとの声が出ていた。",
            "組合は、秋までに主な店の品書きも三つの言語で用意する計画だ。",
        ],
    ),
    "flights": (
        "福岡―釜山の航空便、冬ダイヤで週70便に、格安航空会社が増便",
        [
            "福岡空港と釜山の金海空港を結ぶ航空便が、冬ダイヤで週70便に増える。就航する航空会社の計画をまとめた空港会社が20日、発表した。",
            "増便の多くは格安航空会社によるもので、早朝と深夜の便が新たに加わる。",
            "空港会社は、国際線ターミナルの出国審査の窓口を二つ増やして混雑に備える。",
        ],
    ),
    "photos": (
        "済州島の海女の暮らし伝える写真展、対馬で開幕",
        [
            "韓国・済州島の海女の暮らしを伝える写真展が、長崎県対馬市の博物館で始まった。会期は来月末まで。",
            "済州の写真家が30年にわたって撮り続けた約80点を並べ、対馬の海女の写真も合わせて紹介している。",
            "博物館は、会期中に両地域の海女が語り合う催しも開く。",
        ],
    ),
    "ship": (
        "長崎の造船所、韓国企業と水素燃料船を共同開発へ",
        [
            "長崎市の造船所が、韓国・巨済の造船会社と水素を燃料とする旅客船を共同で開発する。両社が25日、覚書を結んだ。",
            "2028年の完成をめざし、まず九州と韓国南部の港を結ぶ航路での運航を想定する。",
            "両社は、燃料の補給設備についても港湾当局と協議を始めるという。",
        ],
    ),
    "films": (
        "釜山国際映画祭、日本作品の上映が過去最多の40本に",
        [
            "10月に開かれる釜山国際映画祭で、日本の作品の上映が過去最多の40本になる。映画祭の事務局が28日、発表した。",
            "長編のほか、九州で撮影された短編の特集も組まれる。",
            "事務局は、日本からの観客向けに字幕付きの上映回を増やすとしている。",
        ],
    ),
}


def html_page(key: str, site: str = "南海サンプル新聞") -> str:
    """A saved or served article page: header and navigation, share links, byline and date, the
    body, a related-articles box and the footer."""
    title, paragraphs = PAGES[key]
    body = "\n".join(f"<p>{text}</p>" for text in [*paragraphs, SAMPLE_NOTE])
    return f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8">
<title>{title}｜{site}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="2025-06-10T09:00:00+09:00">
</head><body>
<header><p class="logo">{site}</p>
<nav><a href="/">トップ</a> <a href="/local">地域</a> <a href="/world">国際</a></nav></header>
<main><article>
<h1>{title}</h1>
<p class="byline">記者：高橋美咲</p>
<time datetime="2025-06-10T09:00:00+09:00">2025年6月10日 9:00</time>
<ul class="share"><li><a href="#">facebook</a></li><li><a href="#">X</a></li></ul>
{body}
</article>
<aside><h2>関連記事</h2><ul><li><a href="/other">九州と韓国南部、観光の連携進む</a></li></ul></aside>
</main>
<footer><p>© {site}（サンプル）</p></footer>
</body></html>"""


def rss(base: str, keys: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{PAGES[key][0]}</title><link>{base}/news/{key}.html</link></item>" for key in keys
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>南海サンプル新聞</title><link>{base}/</link>{items}</channel></rss>"
    ).encode()


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def desk(db, settings):
    """The demo's sample articles and two editors. New outlets get full translation, as a desk
    whose operator chose it would: publishing their articles asks the editor to confirm."""
    settings.NEWSDESK = {**settings.NEWSDESK, "FETCH_ALLOW_PRIVATE": True, "DEFAULT_REUSE_POLICY": "full"}
    fetch.clear_robots_cache()
    load_samples()
    return [
        User.objects.create_superuser(username, "", PASSWORD, last_name=last_name)
        for username, last_name in (("yamada", "山田"), ("sato", "佐藤"))
    ]


@pytest.fixture
def site(server):
    """The local server's pages and feeds: /news/<key>.html, and two feeds that share one entry."""
    for key in PAGES:
        page = html_page(key).encode()
        server.routes[f"/news/{key}.html"] = lambda handler, page=page: send(
            handler, 200, page, Content_Type="text/html; charset=utf-8"
        )
    feeds = {"/world/feed.xml": ["flights", "photos"], "/asia/rss.xml": ["photos", "ship", "films"]}
    for path, keys in feeds.items():
        body = rss(server.base, keys)
        server.routes[path] = lambda handler, body=body: send(
            handler, 200, body, Content_Type="application/rss+xml; charset=utf-8"
        )
    return server


def new_page(browser, errors: list):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.on("pageerror", lambda error: errors.append(error))
    return context, page


def log_in(page, base: str, username: str, next_path: str = "/admin/") -> None:
    page.goto(f"{base}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}{next_path}")


def message(page, level: str, text: str):
    """The admin's message of ``level`` (success, warning, error) that contains ``text``."""
    found = page.locator(f"ul.messagelist li.{level}", has_text=text)
    found.wait_for()
    return found


def submit_ingest(page, base: str):
    page.click("input[type=submit][value='取り込む']")
    page.wait_for_url(re.compile(rf"{re.escape(base)}/admin/ingest/\d+/$"))
    assert page.locator(".ingest-pending").count() == 0  # the queue ran in the request
    return page.locator("#ingest-results tr.ingest-item")


def save_and_continue(page) -> None:
    with page.expect_navigation():
        page.locator("input[name=_continue]").first.click()


# --- the day ------------------------------------------------------------------------------------


def test_paste_fix_publish_correct_and_revert(live_server, desk, chromium, tmp_path):
    base = live_server.url
    errors: list = []
    yamada_context, page = new_page(chromium, errors)
    sato_context, sato = new_page(chromium, errors)
    try:
        # 1. Log in at /admin/: the desk's counts of the sample articles are on the index.
        log_in(page, base, "yamada")
        assert page.locator("#site-name").inner_text() == "newsdesk 編集室"
        published = page.locator(".newsdesk-desk li.count-published")
        assert published.inner_text().strip() == f"公開 {len(manifest())} 件"
        page.screenshot(path=str(tmp_path / "01-admin-index.png"), full_page=True)

        # 2. 取り込み: paste a page's text as copied from the browser, with its original address.
        page.click(".newsdesk-desk a:text-is('取り込み')")
        page.wait_for_url(f"{base}/admin/ingest/")
        assert page.locator("h1").inner_text() == "取り込み"
        page.fill("#id_text", PASTED)
        page.fill("#id_url", PASTED_URL)
        lines = submit_ingest(page, base)
        assert lines.count() == 1
        line = lines.first
        assert "貼り付けたテキスト" in line.inner_text()
        assert line.locator(".status-badge").inner_text() == "作成"
        assert line.locator("a").inner_text() == HEADLINE
        page.screenshot(path=str(tmp_path / "02-ingest-batch.png"), full_page=True)
        line.locator("a").click()
        page.wait_for_url(re.compile(r".*/admin/articles/article/(\d+)/change/$"))
        article_id = int(re.search(r"/article/(\d+)/change/", page.url).group(1))
        change_url = f"{base}/admin/articles/article/{article_id}/change/"
        assert page.input_value("#id_title") == HEADLINE
        assert page.input_value("#id_author") == "朴志恩"

        # 3. The lines the cleaner dropped: the site's masthead, share buttons, related links...
        tools = page.locator("#newsdesk-tools")
        dropped = tools.locator("td.newsdesk-dropped-text").all_inner_texts()
        for chrome in ("海峡サンプル日報", "facebook", "LINEで送る", "関連記事", "ページの先頭へ"):
            assert chrome in dropped
        assert CREDIT_LINE in dropped
        body = page.locator(".newsdesk-original-body li")
        assert body.count() == 5 and body.nth(4).inner_text() == SAMPLE_NOTE
        page.screenshot(path=str(tmp_path / "03-change-page.png"))
        tools.screenshot(path=str(tmp_path / "03-dropped-lines.png"))

        # ... and the credit line goes back into the body as its fifth paragraph.
        row = tools.locator("tbody tr", has=page.locator(f"td:text-is('{CREDIT_LINE}')"))
        row.locator("select[name=role]").select_option(label="本文")
        row.locator("input[name=position]").fill("5")
        restore = row.locator("button:text-is('戻す')")
        # One line in its narrow cell: the label never breaks between its two characters.
        line = page.evaluate(
            "el => parseFloat(getComputedStyle(el).lineHeight) || 20", restore.element_handle()
        )
        assert restore.bounding_box()["height"] < 2 * line + 12  # padding and border included
        with page.expect_navigation():
            restore.click()
        message(page, "success", f"除去した行「{CREDIT_LINE}」を本文の第5段落に戻しました。")
        assert page.url == change_url + "#newsdesk-tools"
        body = page.locator(".newsdesk-original-body li")
        assert body.all_inner_texts()[4:] == [CREDIT_LINE, SAMPLE_NOTE]
        assert CREDIT_LINE not in tools.locator("td.newsdesk-dropped-text").all_inner_texts()

        # Fix the headline and publish: the outlet's policy (full, unreviewed) is asked about first.
        page.fill("#id_title", FIXED_HEADLINE)
        page.select_option("#id_status", label="公開")
        assert page.locator("label[for=id_confirm_policy]").inner_text() == "転載方針を確認しました"
        save_and_continue(page)
        refused = page.locator(".field-confirm_policy .errorlist")
        assert "「転載方針を確認しました」にチェックしてから公開してください" in refused.inner_text()
        assert page.input_value("#id_title") == FIXED_HEADLINE  # the editor's edit is kept
        page.check("#id_confirm_policy")
        save_and_continue(page)
        message(page, "success", "変更しました")
        assert page.input_value("#id_title") == FIXED_HEADLINE
        assert page.locator("#id_status option:checked").inner_text() == "公開"

        # 4. The public page, from the change page's link: the new headline, the line put back.
        public = page.locator(".field-view_on_site_link a")
        assert public.inner_text() == f"/articles/{article_id}/"
        public.click()
        page.wait_for_url(f"{base}/articles/{article_id}/")
        assert page.locator("h1.headline").inner_text() == FIXED_HEADLINE
        paragraphs = page.locator("ol.paragraphs > li")
        assert paragraphs.count() == 6
        assert page.locator("li#p5").inner_text() == CREDIT_LINE
        assert page.locator("li#p6").inner_text() == SAMPLE_NOTE
        assert page.locator("dd.source-author").inner_text() == "朴志恩"
        page.screenshot(path=str(tmp_path / "04-public-page.png"), full_page=True)

        # 5. A correction: the author's name, with the note readers see.
        page.goto(change_url)
        page.fill("#id_author", "朴志恩（パク・ジウン）")
        page.select_option("#id_newsdesk_correction_kind", label="訂正")
        page.fill("#id_newsdesk_correction_note", "著者名の表記を訂正しました。")
        save_and_continue(page)
        message(page, "success", "変更しました")
        listed = page.locator("ul.revision-corrections li")
        assert re.fullmatch(
            rf"訂正（{JST_TIME}）：著者名の表記を訂正しました。（山田さん）", listed.inner_text()
        )
        page.goto(f"{base}/articles/{article_id}/")
        correction = page.locator("p.correction")
        assert re.fullmatch(rf"訂正（{JST_TIME}）：著者名の表記を訂正しました。", correction.inner_text())
        assert page.locator("dd.source-author").inner_text() == "朴志恩（パク・ジウン）"

        # 履歴: the headline's change, side by side; then back to the version before it.
        page.goto(change_url)
        page.click(".revision-summary a:text-is('履歴と差分')")
        page.wait_for_url(f"{base}/admin/articles/article/{article_id}/history/")
        rows = page.locator(".revision-history tbody tr")
        changed = rows.locator("td:nth-child(3)").all_inner_texts()
        # Newest first: the correction, the headline and publication, the line put back, and the
        # article as ingested (kept before the first edit, so that edit can be seen and undone).
        assert changed == ["（見出し・要約・本文は同じ）", "見出し", "本文（原文）", "最初の版"]
        users = rows.locator("td:nth-child(2)").all_inner_texts()
        assert users == ["山田", "山田", "山田", "自動処理など"]
        comments = rows.locator("td:nth-child(4)").all_inner_texts()
        assert "訂正：著者名の表記を訂正しました。" in comments[0]
        assert f"除去した行「{CREDIT_LINE}」を本文の第5段落に戻しました。" == comments[2]
        headline_row = 1
        page.screenshot(path=str(tmp_path / "05-history.png"), full_page=True)
        rows.nth(headline_row).locator("a:text-is('差分')").click()
        page.wait_for_selector(".revision-diff-page")
        page.screenshot(path=str(tmp_path / "06-revision-diff.png"), full_page=True)
        assert page.locator(".revision-diff-heading").first.inner_text() == "見出し"
        title_diff = page.locator("table.revision-diff").first
        assert "夏ダイヤで1日4往復に増便へ" in title_diff.locator("td.revision-diff-old").inner_text()
        assert "7月から1日4往復に" in title_diff.locator("td.revision-diff-new").inner_text()
        page.screenshot(path=str(tmp_path / "06-revision-diff.png"), full_page=True)

        page.click("a:text-is('履歴に戻る')")
        page.wait_for_url(f"{base}/admin/articles/article/{article_id}/history/")
        rows.nth(headline_row + 1).locator("a:text-is('差分')").click()
        page.wait_for_selector(".revision-diff-page")
        page.click(".revision-revert button:text-is('この版に戻す')")
        page.wait_for_url(change_url)
        message(page, "success", "の版の見出し・要約・本文に戻し")
        assert page.input_value("#id_title") == HEADLINE
        assert page.locator(".newsdesk-original-body li").all_inner_texts()[4:] == [CREDIT_LINE, SAMPLE_NOTE]

        # 6. Another editor opening the article is told who has it open.
        log_in(sato, base, "sato", f"/admin/articles/article/{article_id}/change/")
        banner = sato.locator("#edit-lock-banner")
        assert banner.is_visible()
        assert re.fullmatch(
            r"山田さんが (\d{1,2}月\d{1,2}日 )?\d{2}:\d{2} から編集中です", banner.inner_text()
        )
        assert page.locator("#edit-lock-banner").is_hidden()
        sato.screenshot(path=str(tmp_path / "07-lock-banner.png"))
        assert errors == []
    finally:
        sato_context.close()
        yamada_context.close()


def test_upload_urls_a_feed_and_poll_now(live_server, desk, site, chromium, tmp_path):
    base = live_server.url
    errors: list = []
    context, page = new_page(chromium, errors)
    try:
        log_in(page, base, "yamada", "/admin/ingest/")

        # 7. A saved page, uploaded.
        saved = tmp_path / "nankai-sample-museum.html"
        saved.write_text(html_page("museum"), encoding="utf-8")
        page.set_input_files("#id_files", str(saved))
        lines = submit_ingest(page, base)
        assert lines.count() == 1
        assert lines.first.locator(".ingest-label").inner_text() == "ファイル nankai-sample-museum.html"
        assert lines.first.locator(".status-badge").inner_text() == "作成"
        assert lines.first.locator("a").inner_text() == PAGES["museum"][0]

        # 8. A page's URL and a feed's URL: the feed's two entries come in under it.
        page.click("#content-main a.button:text-is('ほかにも取り込む')")
        page.wait_for_url(f"{base}/admin/ingest/")
        page.fill("#id_urls", f"{site.base}/news/market.html\n{site.base}/world/feed.xml")
        lines = submit_ingest(page, base)
        page.screenshot(path=str(tmp_path / "08-ingest-urls.png"), full_page=True)
        labels = lines.locator(".ingest-label").all_inner_texts()
        statuses = lines.locator(".status-badge").all_inner_texts()
        assert [label.removeprefix("└ ").strip() for label in labels] == [
            f"{site.base}/news/market.html",
            f"{site.base}/world/feed.xml",
            f"{site.base}/news/flights.html",
            f"{site.base}/news/photos.html",
        ]
        assert statuses == ["作成", "フィード", "作成", "作成"]
        assert lines.locator("a").all_inner_texts() == [
            PAGES["market"][0],
            PAGES["flights"][0],
            PAGES["photos"][0],
        ]

        # 9. フィード: add the other feed of the local site for a sample outlet, then poll it now.
        page.goto(f"{base}/admin/")
        page.click("#content-main tr.model-source a.addlink")  # フィード ＋追加
        page.wait_for_url(f"{base}/admin/sources/source/add/")
        feed_url = f"{site.base}/asia/rss.xml"
        page.fill("#id_url", feed_url)
        page.select_option("#id_outlet", label="Harbor Times")
        page.locator("input[name=_save]").click()
        page.wait_for_url(f"{base}/admin/sources/source/")
        shown = feed_url.split("://", 1)[1]  # the list shows addresses without the scheme
        row = page.locator("#result_list tbody tr", has_text=shown)
        assert row.locator("td.field-result").inner_text() == "未取得"
        row.locator("input.action-select").check()
        page.select_option("select[name=action]", label="今すぐ取得する")
        page.click("button[name=index]")
        page.wait_for_url(f"{base}/admin/sources/source/")
        message(page, "success", "1件のフィードを取得しました。新着2件を取り込みに回しました。")
        row = page.locator("#result_list tbody tr", has_text=shown)
        # Japan time, short in the list (month/day hour:minute) and whole on hover.
        assert re.fullmatch(r"\d{1,2}/\d{1,2} \d{2}:\d{2}", row.locator("td.field-polled").inner_text())
        assert re.fullmatch(JST_TIME, row.locator("td.field-polled span").get_attribute("title"))
        assert row.locator("td.field-result").inner_text() == "新着2件（3件中）"
        page.screenshot(path=str(tmp_path / "09-feeds.png"), full_page=True)

        # The two new entries are articles now, waiting for an editor.
        page.goto(f"{base}/admin/articles/article/?status__exact=review")
        headlines = page.locator(
            "#result_list td.field-headline_display, #result_list th.field-headline_display"
        )
        for key in ("ship", "films"):
            assert PAGES[key][0] in headlines.all_inner_texts()
        assert errors == []
    finally:
        context.close()
