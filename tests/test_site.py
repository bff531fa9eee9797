"""The reader site: listing, article page, short URLs, outlet pages, comments."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.comments.models import Comment
from newsdesk.site.templatetags.newsdesk_tags import jst
from newsdesk.sources.models import Outlet
from tests.images import store_image

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def positions(text: str, *needles: str) -> list[int]:
    found = [text.find(needle) for needle in needles]
    missing = [needle for needle, at in zip(needles, found, strict=True) if at < 0]
    assert not missing, f"not on the page: {missing}"
    return found


@pytest.fixture
def full_article(article_factory):
    return article_factory(
        title="ロシアと金正恩の同盟はどれほど危険か",
        original_title="How worrying is a Russia-Kim Jong Un alliance?",
        summary=["北朝鮮はロシアに砲弾を送っている。", "同盟は地域の安全保障を変える。"],
        paragraphs=["First.", "Second.", "Third."],
        translation=["第一段落。", "第二段落。", "第三段落。"],
        image_url="https://img.example.com/summit.jpg",
        caption="Kim Jong Un and Vladimir Putin in Pyongyang",
        caption_ja="平壌の金正恩氏とプーチン氏",
        author="Jane Doe",
        url="https://www.example.com/news/world-asia-123",
        published_at=dt.datetime(2024, 6, 23, 16, 6, tzinfo=dt.UTC),
        site_published_at=dt.datetime(2024, 6, 24, 0, 30, tzinfo=dt.UTC),
    )


# The article page


def test_article_page_shows_every_section_in_order(client, full_article):
    image = store_image(full_article)  # as the images stage stores it (newsdesk/images)
    response = client.get(f"/articles/{full_article.pk}/")
    assert response.status_code == 200
    page = html(response)
    assert '<html lang="ja">' in page
    order = positions(
        page,
        "KJ 東アジア+",
        "匿名コメント募集中",
        '<h1 class="headline">ロシアと金正恩の同盟はどれほど危険か</h1>',
        "2024年6月24日 01:06",  # original publication, 16:06 UTC, beside
        "2024年6月24日 09:30",  # ours, 00:30 UTC, under the headline
        "<li>北朝鮮はロシアに砲弾を送っている。</li>",
        '<p class="original-title" lang="en">How worrying is a Russia-Kim Jong Un alliance?</p>',
        f'src="{image.page_url}"',
        "Kim Jong Un and Vladimir Putin in Pyongyang",
        '<span class="caption-ja">平壌の金正恩氏とプーチン氏</span>',
        'ソース:<a href="https://www.example.com/news/world-asia-123" rel="noopener noreferrer nofollow">',
        'href="/outlets/example.com/">Example Times</a>',
        "Jane Doe",
        "<dt>当サイト更新</dt>",  # this site's time, told apart from the source's
        '<li id="p1">第一段落。</li>',
        '<li id="p2">第二段落。</li>',
        '<li id="p3">第三段落。</li>',
        "http://127.0.0.1:8000/a/",
        "https://twitter.com/intent/tweet?",
        "https://www.facebook.com/sharer/sharer.php?",
        "https://social-plugins.line.me/lineit/share?",
        "https://b.hatena.ne.jp/",
        'id="comments"',
        f'action="/articles/{full_article.pk}/comments"',
    )
    assert order == sorted(order)
    assert '<ol class="paragraphs">' in page
    assert 'property="og:title" content="ロシアと金正恩の同盟はどれほど危険か"' in page
    assert 'property="og:description" content="北朝鮮はロシアに砲弾を送っている。"' in page
    assert f'property="og:image" content="http://127.0.0.1:8000{image.page_url}"' in page
    assert "img.example.com" not in page  # the source's image is never shown or linked
    assert page.find('property="og:title"') < page.find("</head>")


def test_article_page_hides_missing_sections(client, article_factory):
    article = article_factory(
        title="同じ見出し",
        original_title="同じ見出し",
        language="ja",
        paragraphs=["日本語の本文。"],
        translation=[],
        summary=[],
        author="",
        url="",
        source_url="",
    )
    page = html(client.get(f"/articles/{article.pk}/"))
    assert 'class="original-title"' not in page
    assert "<figure" not in page
    assert 'class="summary"' not in page
    assert "ソース:" not in page
    assert "著者" not in page
    assert "原文公開" not in page
    assert "og:image" not in page
    # A Japanese article's body is its original text.
    assert '<li id="p1">日本語の本文。</li>' in page


def test_source_url_falls_back_to_the_fetched_url(client, article_factory):
    article = article_factory(url="", source_url="https://feeds.example.com/item?id=1&x=2")
    page = html(client.get(f"/articles/{article.pk}/"))
    assert 'ソース:<a href="https://feeds.example.com/item?id=1&amp;x=2"' in page


def test_html_in_titles_bullets_and_captions_is_escaped(client, article_factory):
    article = article_factory(
        title="<script>alert(1)</script>見出し",
        original_title="<b>bold</b> title",
        summary=['<img src=x onerror="alert(2)">要約'],
        translation=["<iframe>段落</iframe>", "二"],
        caption_ja="<i>cap</i>",
        image_url="https://img.example.com/a.jpg",
        author='"><script>x</script>',
    )
    page = html(client.get(f"/articles/{article.pk}/"))
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;見出し" in page
    assert "<b>bold</b>" not in page
    assert "<img src=x" not in page
    assert "<iframe>" not in page
    assert "<i>cap</i>" not in page
    assert "<script>x</script>" not in page


@pytest.mark.parametrize("status", [Article.Status.NEW, Article.Status.REVIEW, Article.Status.REJECTED])
def test_unpublished_articles_are_not_found(client, article_factory, status):
    article = article_factory(status=status)
    assert client.get(f"/articles/{article.pk}/").status_code == 404
    assert client.get(f"/a/{article.pk}").status_code == 404
    assert client.post(f"/articles/{article.pk}/comments", {"body": "こんにちは"}).status_code == 404
    assert not Comment.objects.exists()


def test_scheduled_article_is_not_found_until_its_time(client, article_factory):
    article = article_factory(site_published_at=timezone.now() + dt.timedelta(hours=1))
    assert client.get(f"/articles/{article.pk}/").status_code == 404
    assert client.get("/").content.decode().count(article.headline) == 0


def test_missing_article_gets_the_japanese_404_page(client):
    response = client.get("/articles/999999/")
    assert response.status_code == 404
    assert "ページが見つかりません" in html(response)
    assert "KJ 東アジア+" in html(response)


def test_500_page_renders_without_a_request():
    page = render_to_string("500.html")
    assert '<html lang="ja">' in page
    assert "KJ 東アジア+" in page and "匿名コメント募集中" in page
    assert "エラーが発生しました" in page


# Reuse policies


def test_full_policy_shows_the_translation(client, article_factory):
    article = article_factory(reuse_policy=Outlet.ReusePolicy.FULL)
    page = html(client.get(f"/articles/{article.pk}/"))
    assert '<li id="p1">第一段落の翻訳。</li>' in page
    assert '<li id="p2">第二段落の翻訳。</li>' in page
    assert "掲載方針により" not in page


def test_summary_policy_shows_summary_and_a_short_excerpt(client, article_factory):
    long_first = "長い第一段落。" * 60
    article = article_factory(
        outlet="summary.example.org",
        reuse_policy=Outlet.ReusePolicy.SUMMARY,
        translation=[long_first, "第二段落の翻訳。"],
    )
    page = html(client.get(f"/articles/{article.pk}/"))
    assert '<ol class="paragraphs">' not in page
    assert "第二段落の翻訳。" not in page
    assert long_first not in page
    excerpt = re.search(r"<blockquote[^>]*><p>(.*?)</p></blockquote>", page).group(1)
    assert excerpt.startswith("長い第一段落。")
    assert excerpt.endswith("…")
    assert len(excerpt) <= 200
    assert "要約と抜粋のみ" in page
    assert article.summary[0] in page


def test_link_policy_shows_only_summary_and_link(client, article_factory):
    article = article_factory(outlet="link.example.net", reuse_policy=Outlet.ReusePolicy.LINK)
    page = html(client.get(f"/articles/{article.pk}/"))
    assert '<ol class="paragraphs">' not in page
    assert "<blockquote" not in page
    assert "第一段落の翻訳。" not in page
    assert article.summary[0] in page
    assert "要約とリンクのみ" in page
    assert f'ソース:<a href="{article.url}"' in page


# JST


def test_jst_filter_adds_nine_hours_to_utc():
    assert jst(dt.datetime(2024, 6, 23, 16, 6, 25, tzinfo=dt.UTC)) == "2024年6月24日 01:06"
    assert jst(dt.datetime(2024, 12, 31, 15, 0, tzinfo=dt.UTC)) == "2025年1月1日 00:00"
    assert jst(None) == ""


def test_times_on_the_page_are_in_jst(client, article_factory):
    article = article_factory(
        published_at=dt.datetime(2024, 6, 23, 16, 6, tzinfo=dt.UTC),
        site_published_at=dt.datetime(2024, 1, 1, 0, 0, tzinfo=dt.UTC),
    )
    page = html(client.get(f"/articles/{article.pk}/"))
    assert (
        '<time class="source-published" datetime="2024-06-24T01:06:00+09:00">2024年6月24日 01:06</time>'
        in page
    )
    assert "2024年1月1日 09:00" in page


# Listings


def test_latest_is_newest_first_and_paginated(client, article_factory, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "PAGE_SIZE": 3}
    now = timezone.now()
    articles = [
        article_factory(title=f"記事{index}", site_published_at=now - dt.timedelta(hours=index))
        for index in range(7)
    ]
    article_factory(title="未公開の記事", status=Article.Status.REVIEW)

    first = html(client.get("/"))
    assert positions(first, "記事0", "記事1", "記事2") == sorted(positions(first, "記事0", "記事1", "記事2"))
    assert "記事3" not in first
    assert "未公開の記事" not in first
    assert 'rel="next" href="?page=2"' in first
    assert articles[0].outlet.name in first
    assert articles[0].summary[0] in first

    third = html(client.get("/?page=3"))
    assert "記事6" in third and "記事5" not in third
    assert 'rel="prev" href="?page=2"' in third
    assert "3 / 3" in third

    assert client.get("/?page=4").status_code == 404
    assert client.get("/?page=0").status_code == 404
    assert client.get("/?page=abc").status_code == 404


def test_latest_shows_jst_time(client, article_factory):
    article_factory(title="時刻の記事", site_published_at=dt.datetime(2024, 6, 23, 16, 6, tzinfo=dt.UTC))
    assert "2024年6月24日 01:06" in html(client.get("/"))


def test_empty_site_lists_nothing(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "まだ記事はありません" in html(response)


def test_outlet_page_lists_its_published_articles(client, article_factory, outlet_factory):
    asia = outlet_factory("asiatimes.com", name="Asia Times")
    other = outlet_factory("bbc.com", name="BBC")
    article_factory(outlet=asia, title="アジアの記事")
    article_factory(outlet=asia, title="未公開のアジアの記事", status=Article.Status.REVIEW)
    article_factory(outlet=other, title="BBCの記事")

    response = client.get("/outlets/asiatimes.com/")
    assert response.status_code == 200
    page = html(response)
    assert '<h1 class="page-title">Asia Times</h1>' in page
    assert "アジアの記事" in page
    assert "未公開のアジアの記事" not in page
    assert "BBCの記事" not in page
    assert client.get("/outlets/unknown.example/").status_code == 404
    assert client.get("/outlets/asiatimes.com/?page=2").status_code == 404


def test_short_url_redirects_permanently(client, article_factory):
    article = article_factory()
    response = client.get(f"/a/{article.pk}")
    assert response.status_code == 301
    assert response["Location"] == f"/articles/{article.pk}/"


def test_share_links_are_url_encoded(client, article_factory):
    article = article_factory(title="米韓&日 #同盟 ?")
    page = html(client.get(f"/articles/{article.pk}/"))
    href = re.search(r'class="share-x" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    query = parse_qs(urlsplit(href).query)
    assert query["text"] == ["米韓&日 #同盟 ?"]
    assert query["url"] == [f"http://127.0.0.1:8000/articles/{article.pk}/"]
    hatena = re.search(r'class="share-hatena" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(hatena).query)["title"] == ["米韓&日 #同盟 ?"]
    assert " " not in href and " " not in hatena
    # Without JavaScript the short URL is there to copy by hand.
    assert f'readonly value="http://127.0.0.1:8000/a/{article.pk}"' in page


# Comments


def post_comment(client, article, **data):
    return client.post(f"/articles/{article.pk}/comments", data)


def test_comment_post_redirect_get_and_numbering(client, article_factory):
    article = article_factory()
    first = post_comment(client, article, name="", body="最初のコメント")
    assert first.status_code == 302
    assert first["Location"] == f"/articles/{article.pk}/#c1"
    second = post_comment(client, article, name="太郎", body="二番目\n改行あり")
    assert second["Location"] == f"/articles/{article.pk}/#c2"

    comments = list(article.comments.order_by("number"))
    assert [(c.number, c.name, c.body) for c in comments] == [
        (1, "", "最初のコメント"),
        (2, "太郎", "二番目\n改行あり"),
    ]

    page = html(client.get(f"/articles/{article.pk}/"))
    assert positions(page, 'id="c1"', "名無しさん", "最初のコメント", 'id="c2"', "太郎", "二番目<br>改行あり")
    assert jst(comments[0].created_at) in page


def test_numbering_is_per_thread(client, article_factory):
    one, two = article_factory(), article_factory()
    post_comment(client, one, body="a")
    post_comment(client, one, body="b")
    assert post_comment(client, two, body="c")["Location"].endswith("#c1")


def test_comment_html_is_escaped(client, article_factory):
    article = article_factory()
    post_comment(
        client, article, name="<b>名前</b>", body='<script>alert("x")</script>\n<a href="http://x">x</a>'
    )
    page = html(client.get(f"/articles/{article.pk}/"))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>&lt;a href=" in page
    assert "<b>名前</b>" not in page
    assert "&lt;b&gt;名前&lt;/b&gt;" in page


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "本文を入力してください"),
        ("   \n  ", "本文を入力してください"),
        ("\x00\x07\x1b\u202e\u200b", "本文を入力してください"),
    ],
)
def test_empty_comments_are_rejected(client, article_factory, body, message):
    article = article_factory()
    response = post_comment(client, article, name="保存される名前", body=body)
    assert response.status_code == 400
    page = html(response)
    assert message in page
    assert 'value="保存される名前"' in page
    assert article.headline in page  # the article page, re-rendered
    assert not Comment.objects.exists()


def test_too_long_comment_keeps_the_text(client, article_factory, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "COMMENT_MAX_CHARS": 10}
    article = article_factory()
    response = post_comment(client, article, body="長すぎるコメントです。あ")
    assert response.status_code == 400
    page = html(response)
    assert "10文字以内" in page
    assert "長すぎるコメントです。あ</textarea>" in page
    assert 'maxlength="10"' in page
    assert not Comment.objects.exists()
    # Exactly at the limit is fine, and CRLF counts as one character.
    assert post_comment(client, article, body="あいうえお\r\nかきくけ").status_code == 302


def test_too_long_name_is_rejected(client, article_factory):
    article = article_factory()
    response = post_comment(client, article, name="名" * 51, body="本文")
    assert response.status_code == 400
    assert "50文字以内" in html(response)


def test_control_characters_are_stripped(client, article_factory):
    article = article_factory()
    post_comment(client, article, name="名\x00前\n", body="本\x00文\u202eです\r\n二行目\x1b")
    comment = Comment.objects.get()
    assert comment.name == "名前"
    assert comment.body == "本文です\n二行目"


def test_comments_need_post(client, article_factory):
    article = article_factory()
    assert client.get(f"/articles/{article.pk}/comments").status_code == 405


def test_a_post_from_elsewhere_is_refused(article_factory):
    # The page carries no CSRF token (it is the same for every reader): the Origin is checked.
    article = article_factory()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/articles/{article.pk}/comments", {"body": "送信元なし"})
    assert response.status_code == 403
    response = strict.post(
        f"/articles/{article.pk}/comments", {"body": "よそから"}, HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_post_from_the_page_is_accepted(article_factory):
    article = article_factory()
    browser = Client(enforce_csrf_checks=True)
    assert "csrfmiddlewaretoken" not in html(browser.get(f"/articles/{article.pk}/"))
    response = browser.post(
        f"/articles/{article.pk}/comments", {"body": "このサイトから"}, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 302


def test_hidden_comments_are_not_shown(client, article_factory):
    article = article_factory()
    Comment.objects.create(article=article, number=1, body="見えるコメント")
    Comment.objects.create(article=article, number=2, body="隠したコメント", status=Comment.Status.HIDDEN)
    page = html(client.get(f"/articles/{article.pk}/"))
    assert "見えるコメント" in page
    assert "隠したコメント" not in page
    # Numbers are not reused.
    assert post_comment(client, article, body="三")["Location"].endswith("#c3")


def test_no_address_is_stored(client, article_factory):
    article = article_factory()
    client.post(f"/articles/{article.pk}/comments", {"body": "匿名"}, REMOTE_ADDR="203.0.113.7")
    comment = Comment.objects.get()
    assert "203.0.113.7" not in repr(comment.__dict__)


def test_static_css_is_linked(client, article_factory):
    article = article_factory()
    assert 'href="/static/newsdesk/site.css"' in html(client.get(f"/articles/{article.pk}/"))


def test_original_paragraphs_shown_beside_their_translation_on_request(client, article_factory):
    article = article_factory(
        paragraphs=["First <b>paragraph</b>.", "Second one."], translation=["第一段落。", "第二段落。"]
    )
    plain = client.get(f"/articles/{article.pk}/").content.decode()
    assert "原文を並べて表示" in plain and "Second one." not in plain
    page = client.get(f"/articles/{article.pk}/?original=1").content.decode()
    assert (
        '<li id="p2"><p class="translated">第二段落。</p><p class="original" lang="en">Second one.</p></li>'
        in page
    )
    assert "First &lt;b&gt;paragraph&lt;/b&gt;." in page


def test_no_original_toggle_for_japanese_articles_or_excerpt_policies(client, article_factory):
    japanese = article_factory(language="ja", paragraphs=["日本語の本文。"], translation=[])
    assert "原文を並べて表示" not in client.get(f"/articles/{japanese.pk}/").content.decode()
    excerpt_only = article_factory(reuse_policy="summary")
    page = client.get(f"/articles/{excerpt_only.pk}/?original=1").content.decode()
    assert "原文を並べて表示" not in page and 'class="original"' not in page


def test_an_outlet_known_only_by_name_has_its_own_page(client, article_factory):
    from newsdesk.sources.models import Outlet

    outlet = Outlet.objects.create(name="東アジア経済サンプル", domain="")
    article = article_factory(outlet=outlet)
    listing = client.get("/").content.decode()
    assert f'href="/outlets/by-id/{outlet.pk}/"' in listing
    page = client.get(f"/outlets/by-id/{outlet.pk}/")
    assert page.status_code == 200 and article.headline in page.content.decode()
    assert client.get(f"/articles/{article.pk}/").status_code == 200


def test_the_site_has_an_icon(client):
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/newsdesk/favicon.svg" type="image/svg+xml">' in page
    answer = client.get("/favicon.ico")  # asked for by browsers and feed readers whatever a page says
    assert answer.status_code == 301 and answer["Location"] == "/static/newsdesk/favicon.svg"
