"""The comment thread as readers see it without JavaScript: the form, reactions, reports, paging, the feed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from newsdesk.comments.models import Comment, Thread
from newsdesk.comments.posting import post_comment, react

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def loose_limits(settings):
    settings.NEWSDESK = {
        **settings.NEWSDESK,
        "COMMENT_RATE_THREAD": "1000/60",
        "COMMENT_RATE_SITE": "1000/60",
        "SPAM_THRESHOLD": 2.0,
    }


@pytest.fixture
def article(article_factory):
    return article_factory(title="港湾協定が物流を変える")


def html(response) -> str:
    return response.content.decode()


def page_url(article, **query) -> str:
    url = f"/articles/{article.pk}/"
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def submit(client, article, body, name=""):
    return client.post(f"/articles/{article.pk}/comments", {"name": name, "body": body})


def add(article, body, *, name="", address="203.0.113.1", **fields):
    comment = post_comment(article, name=name, body=body, address=address).comment
    if fields:
        Comment.objects.filter(pk=comment.pk).update(**fields)
        comment.refresh_from_db()
    return comment


def numbers_on(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<li class="comment" id="c(\d+)"', page)]


# Posting through the form


def test_post_redirects_to_the_new_comment_and_shows_id_and_trip(client, article, loose_limits):
    response = submit(client, article, "最初のコメント\n>>1 自分へのアンカー", name="太郎#ひみつ")
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{article.pk}/#c1"
    comment = Comment.objects.get()
    assert comment.name == "太郎"
    assert comment.trip.lstrip("◆") and "ひみつ" not in comment.trip

    page = html(client.get(page_url(article)))
    assert f'id="c1" data-no="1" data-id="{comment.id_tag}"' in page
    assert f"ID:{comment.id_tag}" in page
    assert f'太郎<span class="comment-trip">◆{comment.trip.lstrip("◆")}</span>' in page
    assert "ひみつ" not in page
    # The stored HTML is served as it is: line breaks and the >>N anchor are markup.
    assert '最初のコメント<br><a class="anchor" href="#c1" data-no="1">&gt;&gt;1</a> 自分へのアンカー' in page
    assert '<span class="comment-count-number">1</span>' in page


def test_the_same_key_gives_the_same_trip(client, article_factory, loose_limits):
    one, two = article_factory(), article_factory()
    submit(client, one, "一つ目", name="名無し#key")
    submit(client, two, "二つ目", name="別名#key")
    trips = set(Comment.objects.values_list("trip", flat=True))
    assert len(trips) == 1 and trips != {""}


def test_post_on_a_later_page_redirects_to_that_page(client, article, settings, loose_limits):
    settings.NEWSDESK = {**settings.NEWSDESK, "COMMENT_PAGE_SIZE": 2}
    for n in range(2):
        add(article, f"既存{n}", address=f"198.51.100.{n}")
    response = submit(client, article, "三番目")
    assert response["Location"] == f"/articles/{article.pk}/?page=2#c3"
    assert "三番目" in html(client.get(page_url(article, page=2)))


def test_held_post_is_not_shown_and_the_reader_is_told(client, article):
    Thread.objects.create(article=article, hold_all=True)
    response = submit(client, article, "承認待ちのコメント")
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{article.pk}/#comments"
    assert Comment.objects.get().status == Comment.Status.HELD
    page = html(client.get(response["Location"]))
    assert "コメントは確認後に表示されます" in page
    assert "承認待ちのコメント" not in page
    # The message is shown once.
    assert "コメントは確認後に表示されます" not in html(client.get(page_url(article)))


def test_empty_body_is_a_400_and_keeps_the_name(client, article):
    response = submit(client, article, " \n ", name="残る名前")
    assert response.status_code == 400
    page = html(response)
    assert "本文を入力してください" in page
    assert 'value="残る名前"' in page
    assert not Comment.objects.exists()


def test_rate_limit_is_a_429_with_retry_after_and_keeps_the_text(client, article, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "COMMENT_RATE_THREAD": "1/60"}
    assert submit(client, article, "一回目").status_code == 302
    response = submit(client, article, "二回目の<b>長い</b>文章", name="名前")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    page = html(response)
    assert "連続投稿はできません" in page
    assert "二回目の&lt;b&gt;長い&lt;/b&gt;文章</textarea>" in page
    assert 'value="名前"' in page
    assert Comment.objects.count() == 1


def test_locked_thread_is_a_403_and_keeps_the_text(client, article):
    Thread.objects.create(article=article, locked=True)
    response = submit(client, article, "停止中の書き込み")
    assert response.status_code == 403
    page = html(response)
    assert "書き込みが停止されています" in page
    assert "停止中の書き込み</textarea>" in page
    assert not Comment.objects.exists()


def test_duplicate_is_a_400(client, article, loose_limits):
    submit(client, article, "同じ文章")
    response = submit(client, article, "同じ文章")
    assert response.status_code == 400
    assert "同じ内容がすでに投稿されています" in html(response)


def test_unpublished_article_is_a_404(client, article_factory):
    draft = article_factory(status="review")
    assert submit(client, draft, "下書きへ").status_code == 404
    assert (
        client.post(f"/articles/{draft.pk}/comments/1/reactions", {"reaction": "共感した"}).status_code == 404
    )
    assert client.post(f"/articles/{draft.pk}/comments/1/report").status_code == 404
    assert client.get(f"/articles/{draft.pk}/comments.atom").status_code == 404


def test_every_form_is_refused_from_another_origin(article):
    add(article, "対象")
    browser = Client(enforce_csrf_checks=True, HTTP_ORIGIN="https://evil.example")
    assert browser.post(f"/articles/{article.pk}/comments", {"body": "よそから"}).status_code == 403
    assert (
        browser.post(f"/articles/{article.pk}/comments/1/reactions", {"reaction": "共感した"}).status_code
        == 403
    )
    assert browser.post(f"/articles/{article.pk}/comments/1/report").status_code == 403
    comment = Comment.objects.get()
    assert (Comment.objects.count(), comment.empathy, comment.report_count) == (1, 0, 0)


def test_the_small_forms_work_from_the_page(article):
    add(article, "対象")
    browser = Client(enforce_csrf_checks=True)
    assert "csrfmiddlewaretoken" not in html(browser.get(page_url(article)))
    response = browser.post(
        f"/articles/{article.pk}/comments/1/reactions",
        {"reaction": "なるほど"},
        HTTP_REFERER=f"http://testserver{page_url(article)}",  # a browser that sends no Origin
    )
    assert response.status_code == 302
    assert Comment.objects.get().insight == 1


# Reactions and reports without JavaScript


def test_reaction_form_counts_once_per_reader_and_returns_to_the_post(
    client, article, settings, loose_limits
):
    settings.NEWSDESK = {**settings.NEWSDESK, "COMMENT_PAGE_SIZE": 1}
    add(article, "一つ目")
    add(article, "二つ目", address="203.0.113.2")
    url = f"/articles/{article.pk}/comments/2/reactions"
    response = client.post(url, {"reaction": "共感した", "sort": "new", "page": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{article.pk}/?sort=new#c2"
    client.post(url, {"reaction": "共感した", "sort": "old", "page": "2"})
    client.post(url, {"reaction": "うーん", "sort": "old", "page": "2"})
    second = Comment.objects.get(number=2)
    assert (second.empathy, second.insight, second.doubt) == (1, 0, 1)

    page = html(client.get(page_url(article, page=2)))
    assert re.search(
        r'value="共感した" data-reaction="共感した">共感した <span class="reaction-count">1</span>', page
    )
    assert re.search(
        r'value="うーん" data-reaction="うーん">うーん <span class="reaction-count">1</span>', page
    )


def test_bad_reactions_are_refused(client, article):
    add(article, "対象")
    response = client.post(f"/articles/{article.pk}/comments/1/reactions", {"reaction": "最高"})
    assert response.status_code == 400
    assert "リアクションの種類が正しくありません" in html(response)
    response = client.post(f"/articles/{article.pk}/comments/9/reactions", {"reaction": "共感した"})
    assert response.status_code == 404
    assert "コメントが見つかりません" in html(response)
    assert client.get(f"/articles/{article.pk}/comments/1/reactions").status_code == 405


def test_report_form(client, article):
    add(article, "通報される")
    response = client.post(f"/articles/{article.pk}/comments/1/report", {"page": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{article.pk}/#c1"
    assert "通報しました" in html(client.get(response["Location"]))
    client.post(f"/articles/{article.pk}/comments/1/report")
    assert Comment.objects.get().report_count == 1  # one per reader


# Reading the thread


def test_sort_and_paging(client, article, settings, loose_limits):
    settings.NEWSDESK = {**settings.NEWSDESK, "COMMENT_PAGE_SIZE": 2}
    for n in range(1, 6):
        add(article, f"コメント{n}", address=f"198.51.100.{n}")
    react(article, 3, "共感した", "192.0.2.1")
    react(article, 3, "なるほど", "192.0.2.1")
    react(article, 4, "うーん", "192.0.2.1")

    first = html(client.get(page_url(article)))
    assert numbers_on(first) == [1, 2]
    assert '<span class="comment-count-number">5</span>' in first
    assert '<span aria-current="true">古い順</span>' in first
    assert f'href="/articles/{article.pk}/?sort=new#comments">新しい順</a>' in first
    assert f'href="/articles/{article.pk}/?sort=popular#comments">人気順</a>' in first
    assert f'rel="next" href="/articles/{article.pk}/?page=2#comments"' in first
    assert numbers_on(html(client.get(page_url(article, page=3)))) == [5]

    newest = html(client.get(page_url(article, sort="new")))
    assert numbers_on(newest) == [5, 4]
    assert f'rel="next" href="/articles/{article.pk}/?sort=new&amp;page=2#comments"' in newest
    assert '<span aria-current="true">新しい順</span>' in newest
    assert 'name="sort" value="new"' in newest  # the small forms come back to the same view
    assert numbers_on(html(client.get(page_url(article, sort="popular")))) == [3, 4]
    assert numbers_on(html(client.get(page_url(article, sort="popular", page=3)))) == [5]

    # An unknown sort is the default order; a page that is not a number is a 404.
    assert numbers_on(html(client.get(page_url(article, sort="bogus")))) == [1, 2]
    assert client.get(page_url(article, page="x")).status_code == 404
    assert client.get(page_url(article, page="0")).status_code == 404


def test_empty_thread(client, article):
    page = html(client.get(page_url(article)))
    assert "まだコメントはありません" in page
    assert '<span class="comment-count-number">0</span>' in page
    assert 'class="comment-sort"' not in page
    assert 'placeholder="名無しさん"' in page
    assert "名前#キー" in page


def test_held_hidden_and_deleted_comments_are_not_shown(client, article, loose_limits):
    add(article, "見えるコメント")
    add(article, "保留中のコメント", address="203.0.113.2", status=Comment.Status.HELD)
    add(article, "隠したコメント", address="203.0.113.3", status=Comment.Status.HIDDEN)
    add(article, "削除したコメント", address="203.0.113.4", status=Comment.Status.DELETED)
    page = html(client.get(page_url(article)))
    assert "見えるコメント" in page
    for text in ("保留中のコメント", "隠したコメント", "削除したコメント"):
        assert text not in page
    assert numbers_on(page) == [1]
    assert '<span class="comment-count-number">1</span>' in page
    # Numbers are never reused.
    assert submit(client, article, "五番目")["Location"].endswith("#c5")


def test_comment_text_is_escaped_on_the_page(client, article, loose_limits):
    submit(
        client,
        article,
        "<script>alert(1)</script>\n<img src=x onerror=alert(1)> javascript:alert(1)",
        name="<b>x</b>",
    )
    page = html(client.get(page_url(article)))
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;<br>&lt;img src=x onerror=alert(1)&gt; javascript:alert(1)"
        in page
    )
    assert 'href="javascript' not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page


def test_comment_without_stored_html_falls_back_to_escaped_text(client, article):
    Thread.objects.create(article=article, last_number=1)
    Comment.objects.create(article=article, number=1, body="<i>古い</i>\n二行目")
    page = html(client.get(page_url(article)))
    assert "&lt;i&gt;古い&lt;/i&gt;<br>二行目" in page


def test_page_links_the_feed_and_the_script(client, article):
    page = html(client.get(page_url(article)))
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="「{article.headline}」へのコメント" '
        f'href="/articles/{article.pk}/comments.atom">'
    ) in page
    assert 'src="/static/comments/comments.js" defer' in page
    assert f'data-api="/api/articles/{article.pk}/comments"' in page


# The feed


def feed(client, article) -> ET.Element:
    response = client.get(f"/articles/{article.pk}/comments.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_feed_lists_visible_comments_newest_first(client, article_factory, loose_limits):
    article = article_factory(title="見出し<b>&</b>")
    one = add(article, "一つ目\n>>1", name="太郎#key")
    add(article, "保留", address="203.0.113.2", status=Comment.Status.HELD)
    add(article, "隠した", address="203.0.113.3", status=Comment.Status.HIDDEN)
    add(article, "<script>alert(1)</script>", address="203.0.113.4")

    root = feed(client, article)
    assert root.findtext(f"{ATOM}title") == "「見出し<b>&</b>」へのコメント"
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title").split()[0] for entry in entries] == ["4", "1"]
    last, first = entries
    assert first.findtext(f"{ATOM}title") == f"1 太郎{one.trip} ID:{one.id_tag}"
    assert first.findtext(f"{ATOM}author/{ATOM}name") == f"太郎{one.trip} ID:{one.id_tag}"
    assert first.find(f"{ATOM}link").get("href").endswith(f"/articles/{article.pk}/#c1")
    assert re.match(r"\d{4}-\d\d-\d\dT", first.findtext(f"{ATOM}updated"))
    # The entry's HTML is the page's HTML; the payload stays escaped text inside it.
    assert first.findtext(f"{ATOM}summary") == one.body_html
    summary = last.findtext(f"{ATOM}summary")
    assert summary == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert b"<script>" not in client.get(f"/articles/{article.pk}/comments.atom").content


def test_feed_entries_link_to_their_page(client, article, settings, loose_limits):
    settings.NEWSDESK = {**settings.NEWSDESK, "COMMENT_PAGE_SIZE": 2}
    for n in range(1, 4):
        add(article, f"コメント{n}", address=f"198.51.100.{n}")
    links = [entry.find(f"{ATOM}link").get("href") for entry in feed(client, article).findall(f"{ATOM}entry")]
    assert [link.split(f"/articles/{article.pk}/")[1] for link in links] == ["?page=2#c3", "#c2", "#c1"]


def test_feed_of_an_empty_thread(client, article):
    root = feed(client, article)
    assert root.findall(f"{ATOM}entry") == []
    assert client.get("/articles/999999/comments.atom").status_code == 404
