"""`newsdesk ingest` end to end: files, folders, URLs and feeds into stored, processed articles."""

import io
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.ingest import service
from newsdesk.ingest.models import RawInput
from tests.httpserver import send
from tests.ingest_inputs import EN_PARAGRAPHS, JA_PARAGRAPHS, html_page, ja_text

pytestmark = pytest.mark.django_db


def ingest(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue() + str(exc), exc.returncode
    return out.getvalue(), err.getvalue(), 0


@pytest.fixture
def local_fetch(settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "FETCH_ALLOW_PRIVATE": True}


def test_html_file_becomes_an_article_with_its_raw_input(tmp_path):
    path = tmp_path / "ferry.html"
    path.write_text(html_page(), encoding="utf-8")
    out, err, code = ingest(str(path))
    assert code == 0
    article = Article.objects.get()
    assert out.split("\t")[0] == str(article.pk)
    assert article.url == "https://harbor-times.example/news/2025/03/12/ferry-link"
    assert article.outlet.domain == "harbor-times.example"
    assert article.original_title == "Ferry link to resume after four years"
    assert article.language == "en"
    assert article.paragraphs == EN_PARAGRAPHS
    assert article.caption == "A passenger ferry enters Busan port."
    # An English article with no translation waits in review, its translate stage says why.
    assert article.status == Article.Status.REVIEW
    assert article.stages.get(name="translate").state == PipelineStage.State.WAITING
    raw = RawInput.objects.get()
    assert raw.article == article and raw.shape == "html" and raw.location == str(path)


def test_japanese_text_is_summarized_and_published_with_publish_flag(tmp_path):
    path = tmp_path / "ferry.txt"
    path.write_text(ja_text(), encoding="utf-8")
    out, err, code = ingest(str(path), "--publish", "--url", "https://sample-tsushin.example/a/1")
    assert code == 0, err
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED and article.site_published_at
    assert article.title == article.original_title == "日韓フェリー航路、4年ぶりに再開へ"
    assert article.author == "山田花子"
    assert 3 <= len(article.summary) <= 10  # 3 to 10 bullets by length (this article is short)
    body = "".join(article.paragraphs)
    assert all(bullet in body for bullet in article.summary)
    assert set(article.stages.values_list("state", flat=True)) == {PipelineStage.State.DONE}
    assert out.startswith(f"{article.pk}\tpublished\t")


def test_without_publish_flag_a_finished_article_waits_for_an_editor(tmp_path):
    path = tmp_path / "ferry.txt"
    path.write_text(ja_text(), encoding="utf-8")
    ingest(str(path))
    assert Article.objects.get().status == Article.Status.REVIEW


def test_reingest_prints_the_existing_id_and_creates_nothing(tmp_path):
    first, copy = tmp_path / "a.html", tmp_path / "b.html"
    first.write_text(html_page(), encoding="utf-8")
    # Same article saved again with other spacing: same content, no new article.
    copy.write_text(html_page().replace("<p>", "<p>  "), encoding="utf-8")
    ingest(str(first))
    out, err, code = ingest(str(first), str(copy))
    article = Article.objects.get()
    assert code == 0
    assert out.splitlines() == [f"{article.pk}\texisting\t{first}", f"{article.pk}\texisting\t{copy}"]
    assert RawInput.objects.count() == 1


def test_folders_are_read_recursively_in_every_encoding(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "a.html").write_text(html_page(), encoding="utf-8")
    (tmp_path / "sub" / "b.txt").write_bytes(ja_text().encode("shift_jis"))
    (tmp_path / "sub" / "deeper" / "c.txt").write_bytes(
        ja_text(JA_PARAGRAPHS[::-1]).encode("utf-16")
    )  # utf-16 writes a BOM
    (tmp_path / "sub" / "ignored.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    out, err, code = ingest(str(tmp_path))
    assert code == 0, err
    assert Article.objects.count() == 3
    encodings = set(RawInput.objects.values_list("encoding", flat=True))
    assert "utf-16" in encodings and ({"cp932", "shift_jis"} & encodings)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "空"),
        ("picture.html", b"\x89PNG\r\n\x1a\n" + bytes(300), "バイナリ"),
        ("nothing.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "本文"),
        ("garbled.txt", bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xFF, 0xFE, 0x80]) * 40, "文字コード"),
    ],
)
def test_bad_files_fail_with_one_line_and_store_nothing(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    out, err, code = ingest(str(path))
    assert code == 1
    assert message in err
    assert Article.objects.count() == 0 and RawInput.objects.count() == 0


def test_file_over_the_size_limit_is_refused(tmp_path, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "MAX_INPUT_BYTES": 1000}
    path = tmp_path / "big.html"
    path.write_text(html_page(), encoding="utf-8")
    out, err, code = ingest(str(path))
    assert code == 1 and "大きすぎ" in err and not Article.objects.exists()


def test_batch_goes_on_after_a_failure_and_lists_it_at_the_end(tmp_path):
    good, bad = tmp_path / "good.html", tmp_path / "bad.txt"
    good.write_text(html_page(), encoding="utf-8")
    bad.write_bytes(b"")
    out, err, code = ingest(str(bad), str(good), str(tmp_path / "missing.txt"))
    assert code == 1
    assert Article.objects.count() == 1
    assert f"失敗: {bad}" in err and f"失敗: {tmp_path / 'missing.txt'}" in err
    assert "失敗 2 件" in err


def test_url_is_fetched_and_stored(server, local_fetch):
    server.routes["/news/ferry"] = lambda h: send(
        h, 200, html_page().encode(), Content_Type="text/html; charset=utf-8"
    )
    url = f"{server.base}/news/ferry"
    out, err, code = ingest(url)
    assert code == 0, err
    article = Article.objects.get()
    assert article.source_url == url and article.paragraphs == EN_PARAGRAPHS
    assert RawInput.objects.get().kind == RawInput.Kind.URL
    # Asking again for the same URL does not fetch it again.
    before = len(server.requests)
    out, err, code = ingest(url)
    assert out.startswith(f"{article.pk}\texisting") and len(server.requests) == before


def test_feed_entries_are_each_ingested(server, local_fetch):
    pages = {
        f"/story/{n}": html_page(
            title=f"Ferry story {n}",
            paragraphs=EN_PARAGRAPHS[n:] + [f"Part {n}."],
            url=f"{server.base}/story/{n}",
        )
        for n in (1, 2)
    }
    for path, page in pages.items():
        server.routes[path] = lambda h, page=page: send(h, 200, page.encode(), Content_Type="text/html")
    items = "".join(f"<item><title>t</title><link>{server.base}{path}</link></item>" for path in pages)
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'
    server.routes["/feed.xml"] = lambda h: send(h, 200, feed.encode(), Content_Type="application/rss+xml")
    out, err, code = ingest(f"{server.base}/feed.xml")
    assert code == 0, err
    assert sorted(Article.objects.values_list("original_title", flat=True)) == [
        "Ferry story 1",
        "Ferry story 2",
    ]
    assert len(out.splitlines()) == 2


def test_failing_url_stores_nothing(server, local_fetch):
    out, err, code = ingest(f"{server.base}/gone")
    assert code == 1 and "404" in err and not Article.objects.exists()


def test_private_addresses_are_refused_by_default(server):
    server.routes["/x"] = lambda h: send(h, 200, html_page().encode(), Content_Type="text/html")
    out, err, code = ingest(f"{server.base}/x")
    assert code == 1 and not Article.objects.exists() and server.requests == []


def test_enqueue_runs_through_the_queue(tmp_path, server, local_fetch):
    server.routes["/q"] = lambda h: send(h, 200, html_page().encode(), Content_Type="text/html")
    path = tmp_path / "ja.txt"
    path.write_text(ja_text(), encoding="utf-8")
    out, err, code = ingest("--enqueue", "--publish", str(path), f"{server.base}/q")
    assert code == 0, err
    assert "queued" in out
    # The test queue runs tasks at once, so both are processed by the time the command returns.
    statuses = dict(Article.objects.values_list("language", "status"))
    assert statuses == {"ja": Article.Status.PUBLISHED, "en": Article.Status.REVIEW}


def test_url_option_needs_exactly_one_file(tmp_path):
    with pytest.raises(CommandError, match="--url"):
        call_command("ingest", str(tmp_path), "http://a.example/", "--url", "https://x.example/")


@pytest.mark.slow
def test_the_real_command_exits_non_zero_with_a_one_line_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    env = {"NEWSDESK_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "newsdesk", "migrate", "-v0"], env=env, check=True)
    done = subprocess.run(
        [sys.executable, "-m", "newsdesk", "ingest", str(empty)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"error\t{empty}\t空の入力です" in done.stderr


def test_articles_sharing_a_section_level_canonical_stay_separate(tmp_path):
    # A CMS that gives every article of a section og:url=/news/ must not merge them into one.
    for n in range(3):
        page = html_page(
            title=f"Port story {n}",
            paragraphs=[f"Story {n}: " + p for p in EN_PARAGRAPHS],
            url="https://harbor-times.example/news/",
        )
        (tmp_path / f"{n}.html").write_text(page, encoding="utf-8")
        ingest(str(tmp_path / f"{n}.html"), "--url", f"https://harbor-times.example/news/2025/story-{n}")
    assert sorted(Article.objects.values_list("url", flat=True)) == [
        f"https://harbor-times.example/news/2025/story-{n}" for n in range(3)
    ]


def test_overlong_fields_are_cut_to_fit_and_overlong_urls_refused(tmp_path):
    long_title = "Ferry " * 150
    path = tmp_path / "long.html"
    path.write_text(html_page(title=long_title.strip()), encoding="utf-8")
    out, err, code = ingest(str(path))
    assert code == 0, err
    assert len(Article.objects.get().original_title) == 500
    far = tmp_path / "far.html"
    far.write_text(html_page(url="https://harbor-times.example/" + "x" * 1200), encoding="utf-8")
    out, err, code = ingest(str(far))
    assert code == 1 and "URLが長すぎます" in err and Article.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_finding_an_earlier_copy_looks_up_indexes_without_walking_the_articles(article_factory):
    article = article_factory(url="https://example.com/a", source_url="https://example.com/a?ref=x")
    with CaptureQueriesContext(connection) as captured:
        assert service.find_existing(url="https://example.com/a?ref=x", digest="0" * 64) == article
        assert service.find_existing(url="https://example.com/a") == article
        assert service.find_existing(url="https://example.com/b", digest=article.content_hash) == article
        assert service.find_existing(url="https://example.com/b") is None
    for query in captured.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "SCAN articles_article" not in plan, plan
