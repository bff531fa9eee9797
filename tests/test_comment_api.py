"""The JSON comment API: status codes, JSON errors, paging, caching, and no address at rest."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from newsdesk.comments.models import Ban, Comment, NGWord, Thread

ADDRESS = "203.0.113.77"
ADDRESS6 = "2001:db8::77"


def client_for(address: str = ADDRESS) -> Client:
    return Client(REMOTE_ADDR=address)


def url(article, *parts) -> str:
    tail = "/".join(str(part) for part in parts)
    return f"/api/articles/{article.pk}/comments" + (f"/{tail}" if tail else "")


def send(method, path, data=None, *, address=ADDRESS, **extra):
    client = client_for(address)
    # The test client drops the Content-Type of an empty body, so "no data" is sent as {}.
    body = json.dumps(data if data is not None else {}, ensure_ascii=False)
    return getattr(client, method)(path, body, content_type="application/json", **extra)


def post(article, body, name=None, address=ADDRESS):
    return send("post", url(article), {"name": name, "body": body}, address=address)


def newsdesk(settings, **values):
    settings.NEWSDESK = {**settings.NEWSDESK, **values}


def error_of(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    message = response.json()["error"]
    assert message and "<" not in message
    return message


def test_post_answers_201_with_number_id_and_token(article):
    response = post(article, "最初のコメント", name="山田#鍵")
    assert response.status_code == 201
    data = response.json()
    assert data["no"] == 1 and len(data["id_tag"]) == 8 and data["delete_token"]
    assert data["held"] is False
    listing = client_for().get(url(article)).json()
    assert listing["count"] == 1 and listing["page"] == 1 and listing["pages"] == 1
    (comment,) = listing["comments"]
    assert comment["no"] == 1 and comment["name"] == "山田" and comment["trip"].startswith("◆")
    assert comment["id_tag"] == data["id_tag"]
    assert comment["body_html"] == "最初のコメント"
    assert comment["reactions"] == {"共感した": 0, "なるほど": 0, "うーん": 0}
    assert comment["replies_to"] == []
    assert dt.datetime.fromisoformat(comment["created_at"]).utcoffset() == dt.timedelta(hours=9)


def test_anonymous_name_and_anchor(article):
    post(article, "一")
    post(article, ">>1 <script>x</script>", address="198.51.100.1")
    comments = client_for().get(url(article)).json()["comments"]
    assert comments[0]["name"] == "名無しさん"
    assert comments[1]["replies_to"] == [1]
    assert '<a class="anchor" href="#c1" data-no="1">&gt;&gt;1</a>' in comments[1]["body_html"]
    assert "<script>" not in comments[1]["body_html"]


@pytest.mark.parametrize(
    ("body", "word"),
    [("", "本文"), ("   \n ", "本文"), ("あ" * 2001, "2000文字"), ("bell\x07", "制御")],
)
def test_bad_bodies_are_400(article, body, word):
    assert word in error_of(post(article, body), 400)


def test_wrong_types_malformed_and_oversized_json_are_400(article):
    error_of(send("post", url(article), {"body": 5}), 400)
    error_of(send("post", url(article), ["not", "an", "object"]), 400)
    malformed = client_for().post(url(article), '{"body": "閉じてない', content_type="application/json")
    assert "JSON" in error_of(malformed, 400)
    latin1 = client_for().post(url(article), b'{"body": "\xff"}', content_type="application/json")
    error_of(latin1, 400)
    big = client_for().post(url(article), json.dumps({"body": "x" * 17000}), content_type="application/json")
    assert "大きすぎ" in error_of(big, 400)
    assert not Comment.objects.exists()


def test_post_needs_a_json_content_type(article):
    # A cross-site HTML form can send these; a JSON content type needs a CORS preflight.
    form = client_for().post(url(article), {"body": "フォーム"})
    error_of(form, 415)
    text = client_for().post(url(article), json.dumps({"body": "x"}), content_type="text/plain")
    error_of(text, 415)
    assert not Comment.objects.exists()


def test_unknown_or_unpublished_article_is_404(article_factory):
    draft = article_factory(status="review")
    future = article_factory(site_published_at=timezone.now() + dt.timedelta(days=1))
    for target in (draft, future):
        error_of(post(target, "本文"), 404)
        error_of(client_for().get(url(target)), 404)
    error_of(client_for().get("/api/articles/999999/comments"), 404)
    error_of(send("post", "/api/articles/999999/comments", {"body": "本文"}), 404)
    huge = "/api/articles/99999999999999999999999/comments"  # past any key the database holds
    error_of(client_for().get(huge), 404)
    error_of(send("post", huge, {"body": "本文"}), 404)
    error_of(send("post", huge, {"body": ""}), 404)


def test_unknown_api_paths_and_methods_answer_json(article):
    error_of(client_for().get("/api/nothing/here"), 404)
    response = client_for().put(url(article), "{}", content_type="application/json")
    error_of(response, 405)
    assert "GET" in response["Allow"]


def test_locked_thread_403_and_hold_all_202(article):
    Thread.objects.create(article=article, hold_all=True)
    response = post(article, "承認待ちの本文")
    assert response.status_code == 202
    assert response.json()["held"] is True and response.json()["delete_token"]
    assert client_for().get(url(article)).json()["count"] == 0
    Thread.objects.filter(article=article).update(locked=True)
    error_of(post(article, "停止中"), 403)


def test_ban_is_403(article):
    from newsdesk.comments.identity import source_hash

    Ban.objects.create(source_hash=source_hash(ADDRESS), until=timezone.now() + dt.timedelta(days=1))
    error_of(post(article, "禁止中"), 403)
    assert post(article, "別の人", address="198.51.100.2").status_code == 201


def test_rate_limit_429_with_retry_after_and_another_address_still_posts(article, settings):
    newsdesk(settings, COMMENT_RATE_THREAD="5/60")
    for index in range(5):
        assert post(article, f"連投{index}").status_code == 201
    response = post(article, "連投5")
    error_of(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["retry_after"] == int(response["Retry-After"])
    assert post(article, "別の人", address="198.51.100.3").status_code == 201


def test_site_wide_rate_limit(article_factory, settings):
    newsdesk(settings, COMMENT_RATE_THREAD="100/60", COMMENT_RATE_SITE="3/600")
    for index in range(3):
        assert post(article_factory(), f"あちこち{index}").status_code == 201
    response = post(article_factory(), "あちこち3")
    error_of(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 600


def test_duplicate_links_ng_words_and_spam(article, settings):
    assert post(article, "同じ文").status_code == 201
    assert "同じ内容" in error_of(post(article, "同じ文"), 400)
    newsdesk(settings, COMMENT_MAX_LINKS=1)
    error_of(post(article, "https://a.example/ https://b.example/"), 400)
    NGWord.objects.create(word="拒否語", action=NGWord.Action.REJECT)
    NGWord.objects.create(word="保留語", action=NGWord.Action.HOLD)
    error_of(post(article, "拒否語を含む"), 400)
    assert post(article, "保留語を含む").status_code == 202
    assert post(article, "オンラインカジノで即金！無料登録", address="198.51.100.4").status_code == 202


def test_custom_scorer_by_setting(article, settings):
    newsdesk(settings, SPAM_SCORER="tests.test_comment_posting.AlwaysSpam")
    assert post(article, "ふつう").status_code == 202


def test_reactions_idempotent_and_invalid_400(article):
    post(article, "本文")
    path = url(article, 1, "reactions")
    first = send("post", path, {"reaction": "共感した"}, address="198.51.100.5")
    assert first.status_code == 200
    assert first.json()["reactions"] == {"共感した": 1, "なるほど": 0, "うーん": 0}
    again = send("post", path, {"reaction": "共感した"}, address="198.51.100.5")
    assert again.json()["reactions"]["共感した"] == 1
    send("post", path, {"reaction": "なるほど"}, address="198.51.100.5")
    other = send("post", path, {"reaction": "共感した"}, address="198.51.100.6")
    assert other.json()["reactions"] == {"共感した": 2, "なるほど": 1, "うーん": 0}
    error_of(send("post", path, {"reaction": "いいね"}), 400)
    error_of(send("post", path, {}), 400)
    error_of(send("post", url(article, 7, "reactions"), {"reaction": "うーん"}), 404)
    # the cached page shows the new counts at once
    assert client_for().get(url(article)).json()["comments"][0]["reactions"]["共感した"] == 2


def test_delete_with_right_wrong_and_expired_token(article, settings):
    token = post(article, "消す本文").json()["delete_token"]
    error_of(send("delete", url(article, 1), {"delete_token": "wrong"}), 403)
    error_of(send("delete", url(article, 1), HTTP_X_DELETE_TOKEN="wrong"), 403)
    error_of(send("delete", url(article, 1)), 403)
    assert client_for().get(url(article)).json()["count"] == 1
    response = send("delete", url(article, 1), HTTP_X_DELETE_TOKEN=token)
    assert response.status_code == 200 and response.json() == {"no": 1, "deleted": True}
    assert client_for().get(url(article)).json()["count"] == 0
    assert "消す本文" not in Comment.objects.get(number=1).body

    token = post(article, "古い本文").json()["delete_token"]
    Comment.objects.filter(number=2).update(created_at=timezone.now() - dt.timedelta(hours=1))
    newsdesk(settings, COMMENT_DELETE_SECONDS=60)
    assert "時間" in error_of(send("delete", url(article, 2), {"delete_token": token}), 403)


def test_delete_with_a_body_needs_json_content_type_and_without_needs_none(article):
    token = post(article, "本文").json()["delete_token"]
    text = client_for().delete(url(article, 1), token, content_type="text/plain")
    error_of(text, 415)
    # No body, no Content-Type: DELETE is never sent cross-site without a preflight anyway.
    response = client_for().delete(url(article, 1), HTTP_X_DELETE_TOKEN=token)
    assert response.status_code == 200 and response.json() == {"no": 1, "deleted": True}


def test_report_is_202(article):
    post(article, "本文")
    response = send("post", url(article, 1, "report"), {"reason": "荒らし"}, address="198.51.100.7")
    assert response.status_code == 202
    send("post", url(article, 1, "report"), address="198.51.100.7")
    send("post", url(article, 1, "report"), address="198.51.100.8")
    assert Comment.objects.get(number=1).report_count == 2
    error_of(send("post", url(article, 9, "report")), 404)


def test_sorts_and_paging(article, settings):
    newsdesk(settings, COMMENT_PAGE_SIZE=2, COMMENT_RATE_THREAD="100/60", COMMENT_RATE_SITE="100/60")
    for index in range(5):
        post(article, f"{index + 1}番")
    send("post", url(article, 2, "reactions"), {"reaction": "うーん"}, address="198.51.100.9")
    client = client_for()

    def numbers(**query):
        data = client.get(url(article), query).json()
        return [comment["no"] for comment in data["comments"]], data

    got, data = numbers()
    assert got == [1, 2] and (data["count"], data["page"], data["pages"]) == (5, 1, 3)
    assert numbers(page=3)[0] == [5]
    assert numbers(sort="new")[0] == [5, 4]
    assert numbers(sort="popular")[0] == [2, 1]
    assert numbers(sort="new", page=2)[0] == [3, 2]
    error_of(client.get(url(article), {"sort": "random"}), 400)
    error_of(client.get(url(article), {"page": "x"}), 400)
    error_of(client.get(url(article), {"page": "0"}), 400)


def test_thousand_comment_thread_pages_are_cached(article, settings, django_assert_max_num_queries):
    newsdesk(settings, COMMENT_PAGE_SIZE=50)
    thread = Thread.objects.create(article=article, last_number=1000)
    Comment.objects.bulk_create(
        Comment(article=article, number=n, body=f"{n}", body_html=f"{n}", id_tag="abcdefgh")
        for n in range(1, 1001)
    )
    client = client_for()
    first = client.get(url(article), {"page": 20})
    assert first.json()["comments"][0]["no"] == 951
    # The article lookup and the thread's version: the version lives in the database, so every
    # web process sees a change however its cache is configured.
    with django_assert_max_num_queries(2):
        again = client.get(url(article), {"page": 20})
    assert again.json() == first.json()
    post(article, "1001番目")
    assert thread.pk and client.get(url(article), {"page": 21}).json()["comments"][0]["no"] == 1001


def test_moderation_makes_cached_pages_stale(article):
    from newsdesk.comments import moderation

    post(article, "消される予定のコメント")
    post(article, "残るコメント")
    client = client_for()
    assert len(client.get(url(article)).json()["comments"]) == 2
    moderation.hide(Comment.objects.filter(article=article, number=1))
    assert [c["no"] for c in client.get(url(article)).json()["comments"]] == [2]


def test_openapi_document_describes_every_endpoint():
    response = client_for().get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    paths = document["paths"]
    comments = paths["/articles/{article_id}/comments"]
    assert set(comments) >= {"get", "post"}
    assert set(comments["post"]["responses"]) >= {"201", "202", "400", "403", "404", "429"}
    assert "Retry-After" in comments["post"]["responses"]["429"]["headers"]
    assert "delete" in paths["/articles/{article_id}/comments/{no}"]
    assert "post" in paths["/articles/{article_id}/comments/{no}/reactions"]
    assert "202" in paths["/articles/{article_id}/comments/{no}/report"]["post"]["responses"]


def _every_row() -> str:
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(rows)


def test_no_raw_address_at_rest(article, caplog, settings):
    caplog.set_level(logging.DEBUG)
    newsdesk(settings, TRUSTED_PROXIES=["10.0.0.1"])
    NGWord.objects.create(word="保留語", action=NGWord.Action.HOLD)
    for address in (ADDRESS, ADDRESS6):
        assert post(article, f"{address}からの投稿", name="名#鍵", address=address).status_code == 201
        assert post(article, "保留語です", address=address).status_code == 202
        send("post", url(article, 1, "reactions"), {"reaction": "なるほど"}, address=address)
        send("post", url(article, 1, "report"), {"reason": "通報"}, address=address)
        assert post(article, "x\x00", address=address).status_code == 400
    forwarded = client_for("10.0.0.1").post(
        url(article),
        json.dumps({"body": "プロキシ経由"}),
        content_type="application/json",
        HTTP_X_FORWARDED_FOR="203.0.113.78",
    )
    assert forwarded.status_code == 201
    # The poster's own text may contain anything; what must not be there is what we derived.
    Comment.objects.filter(body__contains="からの投稿").delete()

    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    stored = dump.getvalue() + "\n" + _every_row() + "\n" + caplog.text
    for needle in (ADDRESS, ADDRESS6, "2001:db8::", "2001:0db8", "203.0.113.78"):
        assert needle not in stored
    assert Comment.objects.exclude(source_hash="").count() == Comment.objects.count() > 0


def test_pages_past_the_end_share_one_cache_entry(article):
    post(article, "ひとつだけのコメント")
    client = client_for()
    answers = [client.get(url(article), {"page": n}).json() for n in (1, 7, 10**20)]
    assert all(answer["page"] == 1 and len(answer["comments"]) == 1 for answer in answers)
