"""The admin's ingest page (/admin/ingest/): every kind of input through the page, one result line
each, bad inputs failing alone, the batch's JSON, the index's desk and the permission.

The test queue runs tasks at once (Huey's immediate mode), so a submitted batch is processed
before the redirect; tests/test_ingest_worker.py does the same through a real worker.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsdesk.articles.models import Article
from newsdesk.ingest.models import RawInput
from newsdesk.pipeline import batches, intake
from newsdesk.pipeline.models import IntakeBatch, IntakeItem
from tests.httpserver import send
from tests.ingest_inputs import EN_PARAGRAPHS, JA_PARAGRAPHS, html_page, ja_text

pytestmark = pytest.mark.django_db
Status = IntakeItem.Status
INGEST = "/admin/ingest/"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


@pytest.fixture
def local_fetches(settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "FETCH_ALLOW_PRIVATE": True}


def submit(client, **fields):
    """Posts the form and follows the redirect to the batch page; returns (batch, page html)."""
    data = {"urls": "", "text": "", "url": "", **fields}
    response = client.post(INGEST, data)
    assert response.status_code == 302, response.content.decode()
    batch = IntakeBatch.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert response["Location"] == reverse("admin:ingest_batch", args=[batch.pk])
    return batch, client.get(response["Location"]).content.decode()


def page(server, path: str, title: str) -> str:
    url = f"{server.base}{path}"
    html = html_page(title=title, paragraphs=[f"{title}, officials said on Monday.", *EN_PARAGRAPHS], url=url)
    server.routes[path] = lambda h: send(h, 200, html.encode(), Content_Type="text/html; charset=utf-8")
    return url


def line(html: str, item: IntakeItem) -> str:
    """The result line of ``item`` on the batch page, as text (HTML escapes undone)."""
    found = re.search(rf'<tr id="ingest-item-{item.pk}".*?</tr>', html, re.S)
    assert found, html
    return found.group(0).replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")


def test_pasted_text_becomes_an_article_linked_from_its_result_line(admin_client, admin_user):
    batch, html = submit(admin_client, text=ja_text(), url="https://sample-tsushin.example/news/1")
    [item] = batch.items.all()
    article = Article.objects.get()
    assert (item.status, item.article, item.kind) == (Status.CREATED, article, IntakeItem.Kind.TEXT)
    assert article.source_url == "https://sample-tsushin.example/news/1"
    assert article.paragraphs[0] == JA_PARAGRAPHS[0]
    assert item.text == "" and batch.created_by == admin_user  # the input is gone once processed
    result = line(html, item)
    assert "作成" in result and "貼り付けたテキスト" in result
    assert f'href="{reverse("admin:articles_article_change", args=[article.pk])}"' in result
    assert "取り込み" in html and 'id="site-name"' in html  # the admin's own page around it
    # The same text again is found, not stored twice.
    again, html = submit(admin_client, text=ja_text())
    assert again.items.get().status == Status.EXISTING and "登録済み" in html
    assert Article.objects.count() == 1


def test_two_uploads_one_binary_fails_alone_with_its_reason(admin_client):
    good = SimpleUploadedFile("ferry.txt", ja_text().encode("shift_jis"), content_type="text/plain")
    binary = SimpleUploadedFile("scan.html", PNG, content_type="text/html")
    batch, html = submit(admin_client, files=[good, binary], publish="on")
    first, second = batch.items.all()
    assert (first.label, first.status) == ("ferry.txt", Status.CREATED)
    assert first.article.status == Article.Status.PUBLISHED  # 準備ができたら公開
    assert (second.label, second.status, second.article) == ("scan.html", Status.FAILED, None)
    assert "バイナリ" in second.message and second.message in line(html, second)
    # Nothing is stored for the binary file: one article, one raw input, no bytes kept.
    assert Article.objects.count() == 1 and RawInput.objects.count() == 1
    assert bytes(first.data) == bytes(second.data) == b""


def test_what_the_form_can_tell_fails_on_its_line_and_the_rest_goes_on(admin_client, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "MAX_INPUT_BYTES": 2000}
    files = [
        SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff" * 10, content_type="image/jpeg"),
        SimpleUploadedFile("huge.html", b"<p>" + b"a" * 3000 + b"</p>", content_type="text/html"),
        SimpleUploadedFile("empty.txt", b"", content_type="text/plain"),
    ]
    short = "\n\n".join(["フェリー再開へ", *JA_PARAGRAPHS[:3]])
    batch, html = submit(
        admin_client, urls="not a url\nftp://example.com/x\n/etc/passwd", text=short, files=files
    )
    results = {item.label: item for item in batch.items.all()}
    for label, reason in [
        ("not a url", "URLの形式"),
        ("ftp://example.com/x", "URLの形式"),
        ("/etc/passwd", "URLの形式"),
        ("photo.jpg", ".html .htm .txt のみ"),
        ("huge.html", "大きすぎます"),
        ("empty.txt", "空のファイル"),
    ]:
        item = results[label]
        assert item.status == Status.FAILED and reason in item.message, (label, item.message)
        assert item.message in line(html, item) and item.text == "" and bytes(item.data) == b""
    assert results["貼り付けたテキスト"].status == Status.CREATED
    assert Article.objects.count() == 1


def test_urls_a_page_and_a_feed_with_its_entries(admin_client, server, local_fetches):
    single = page(server, "/news/port", "Port reopens")
    first, second = page(server, "/news/one", "Ferry returns"), page(server, "/news/two", "Terminal rebuilt")
    items = "".join(
        f"<item><title>t</title><link>{u}</link></item>" for u in (first, f"{server.base}/gone", second)
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'
    server.routes["/feed.xml"] = lambda h: send(h, 200, feed.encode(), Content_Type="application/rss+xml")
    batch, html = submit(admin_client, urls=f"{single}\n\n{server.base}/feed.xml\n{single}")
    top = list(batch.items.filter(feed=None))
    assert [(i.label, i.status) for i in top] == [
        (single, Status.CREATED),
        (f"{server.base}/feed.xml", Status.FEED),
    ]
    entries = list(top[1].entries.all())
    assert [(e.label, e.status) for e in entries] == [
        (first, Status.CREATED),
        (f"{server.base}/gone", Status.FAILED),
        (second, Status.CREATED),
    ]
    assert "404" in entries[1].message and entries[1].message in line(html, entries[1])
    assert "記事 3 件" in line(html, top[1])
    assert Article.objects.count() == 3
    for entry in (entries[0], entries[2]):
        assert reverse("admin:articles_article_change", args=[entry.article.pk]) in line(html, entry)


def test_a_private_address_is_refused(admin_client, server):
    url = page(server, "/news/inside", "Inside story")
    batch, html = submit(admin_client, urls=url)
    item = batch.items.get()
    assert item.status == Status.FAILED and "プライベート" in item.message
    assert item.message in line(html, item)
    assert not Article.objects.exists() and server.requests == []


def test_a_page_without_an_article_fails_with_its_reason(admin_client):
    batch, html = submit(admin_client, text="ホーム\nログイン\n")
    item = batch.items.get()
    assert item.status == Status.FAILED and item.message and item.message in line(html, item)
    assert not Article.objects.exists()


def test_a_failing_input_never_stops_the_others(admin_client, monkeypatch):
    real = intake.ingest

    def broken_for_urls(item, options):
        if isinstance(item, str):
            raise RuntimeError("boom")
        return real(item, options)

    monkeypatch.setattr(intake, "ingest", broken_for_urls)
    batch, html = submit(admin_client, urls="https://example.com/news/1", text=ja_text())
    url_item, text_item = batch.items.all()
    assert url_item.status == Status.FAILED and url_item.message == batches.UNEXPECTED
    assert "boom" not in html
    assert text_item.status == Status.CREATED


def test_inputs_wait_in_their_rows_while_no_worker_runs(admin_client, monkeypatch):
    monkeypatch.setattr(batches, "enqueue", lambda item_id: None)  # nothing takes the tasks
    upload = SimpleUploadedFile("ferry.txt", ja_text().encode(), content_type="text/plain")
    batch, html = submit(admin_client, text=ja_text(JA_PARAGRAPHS[1:]), files=[upload])
    pasted, saved = batch.items.all()
    assert pasted.text == ja_text(JA_PARAGRAPHS[1:]) and bytes(saved.data) == ja_text().encode()
    assert "処理待ち" in line(html, pasted) and "再読み込み" in html
    assert admin_client.get(reverse("admin:ingest_batch_status", args=[batch.pk])).json()["pending"] is True
    for item in (pasted, saved):  # the worker comes back
        batches.process(item.pk)
        batches.process(item.pk)  # a second delivery of the same task does nothing
    statuses = [(i.status, i.text, bytes(i.data)) for i in batch.items.all()]
    assert statuses == [(Status.CREATED, "", b""), (Status.CREATED, "", b"")]
    assert Article.objects.count() == 2


def test_the_batch_as_json(admin_client):
    batch, _ = submit(admin_client, text=ja_text(), urls="nonsense")
    response = admin_client.get(reverse("admin:ingest_batch_status", args=[batch.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    article = Article.objects.get()
    assert data["batch"] == batch.pk and data["pending"] is False
    bad, good = data["items"]
    assert (bad["label"], bad["status"], bad["status_label"], bad["article"]) == (
        "nonsense",
        "failed",
        "失敗",
        None,
    )
    assert good["status"] == "created" and good["status_label"] == "作成"
    assert good["article"] == {
        "id": article.pk,
        "title": str(article),
        "url": reverse("admin:articles_article_change", args=[article.pk]),
    }
    assert 'id="ingest-item-' in data["html"] and "作成" in data["html"]
    assert admin_client.get(reverse("admin:ingest_batch_status", args=[batch.pk + 1])).status_code == 404


def test_an_empty_form_is_an_error_and_stores_nothing(admin_client):
    response = admin_client.post(INGEST, {"urls": "\n  \n", "text": "   \n", "url": ""})
    assert response.status_code == 200
    assert "取り込むものがありません" in response.content.decode()
    assert not IntakeBatch.objects.exists()


def test_the_original_url_is_only_for_a_single_text_or_file(admin_client):
    upload = SimpleUploadedFile("ferry.txt", ja_text().encode(), content_type="text/plain")
    response = admin_client.post(
        INGEST, {"urls": "", "text": ja_text(), "files": [upload], "url": "https://example.com/a"}
    )
    assert response.status_code == 200 and "1件だけのとき" in response.content.decode()
    assert not IntakeBatch.objects.exists()


def test_the_ingest_page_in_japanese_with_the_recent_batches(admin_client):
    html = admin_client.get(INGEST).content.decode()
    for text in [
        "URL",
        "ページのテキスト",
        "ファイル",
        "元記事のURL",
        "準備ができたら公開",
        "まだ取り込みはありません",
    ]:
        assert text in html
    assert (
        'type="file" name="files"' in html and "multiple" in html and 'enctype="multipart/form-data"' in html
    )
    batch, _ = submit(admin_client, text=ja_text())
    html = admin_client.get(INGEST).content.decode()
    local = batch.created_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    assert reverse("admin:ingest_batch", args=[batch.pk]) in html
    assert f"{local:%Y}年{local.month}月{local.day}日 {local:%H:%M}" in html  # JST
    assert "作成 1" in html


def test_the_index_shows_the_way_in_and_the_counts_by_status(admin_client, article_factory):
    article_factory(status=Article.Status.REVIEW)
    article_factory(status=Article.Status.REVIEW)
    article_factory()
    html = admin_client.get("/admin/").content.decode()
    assert f'href="{INGEST}"' in html and "取り込み" in html
    assert html.index(INGEST) < html.index("app-articles")  # at the top, before the apps
    changelist = reverse("admin:articles_article_changelist")
    for status, count in [("new", 0), ("review", 2), ("published", 1), ("rejected", 0)]:
        found = re.search(rf'href="{changelist}\?status__exact={status}">(.*?)</a>', html, re.S)
        assert found and f">{count}</strong>" in found.group(1), status
        assert Article.Status(status).label in found.group(1)
    filtered = admin_client.get(f"{changelist}?status__exact=review")
    assert filtered.status_code == 200 and filtered.context["cl"].result_count == 2


def test_staff_without_the_add_permission_get_403(client, admin_client):
    batch, _ = submit(admin_client, text=ja_text())
    staff = User.objects.create_user("reader", password="pw", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(staff)
    for url in [
        INGEST,
        reverse("admin:ingest_batch", args=[batch.pk]),
        reverse("admin:ingest_batch_status", args=[batch.pk]),
    ]:
        assert client.get(url).status_code == 403
    assert client.post(INGEST, {"text": ja_text()}).status_code == 403
    html = client.get("/admin/").content.decode()
    assert INGEST not in html and "status__exact=review" in html  # counts, but no way in
    staff.user_permissions.add(Permission.objects.get(codename="add_article"))
    staff = User.objects.get(pk=staff.pk)  # permissions are cached on the instance
    client.force_login(staff)
    assert client.get(INGEST).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(INGEST)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
