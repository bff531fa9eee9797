"""`newsdesk ingest` refuses hostile inputs cleanly (issue 14): a peer that drips its answer, feeds
that are empty, broken, huge or all refused, XML saved as a page, and files that are no regular
files. Every refusal is a Japanese line, a non-zero exit and nothing stored."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from newsdesk.articles.models import Article
from newsdesk.ingest import fetch, service
from newsdesk.ingest.document import IngestError
from newsdesk.ingest.models import RawInput
from tests.httpserver import send
from tests.ingest_inputs import EN_PARAGRAPHS, html_page
from tests.test_ingest import ingest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_fetch(settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "FETCH_ALLOW_PRIVATE": True}
    fetch.clear_robots_cache()


def rss(items: str) -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'.encode()
    )


def nothing_stored() -> bool:
    return not Article.objects.exists() and not RawInput.objects.exists()


# --- fetching -------------------------------------------------------------------------------


def test_a_peer_that_drips_its_headers_is_refused_at_the_deadline(dripper, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "FETCH_TIMEOUT": 1.0}
    peer = dripper("headers")
    started = time.monotonic()
    out, err, code = ingest(f"{peer.base}/news/1")
    assert time.monotonic() - started < 1.5
    assert code == 1 and "タイムアウトしました（1 秒以内に取得を終えられませんでした）" in err
    assert nothing_stored()


# --- feeds ----------------------------------------------------------------------------------


def test_a_feed_whose_every_entry_is_refused_fails_with_each_counted(server):
    items = (
        "<item><title>リンクなし</title></item><item><title>s</title><link>javascript:alert(1)</link></item>"
    )
    server.routes["/feed.xml"] = lambda h: send(h, 200, rss(items), Content_Type="application/rss+xml")
    out, err, code = ingest(f"{server.base}/feed.xml")
    assert code == 1 and "失敗 2 件" in err
    refused = "フィードの記事に http/https のリンクがないため取り込めません"
    assert f"{server.base}/feed.xml（リンクなし）\t{refused}" in err
    assert f"javascript:alert(1)\t{refused}" in err  # never taken for a path, as other text would be
    assert nothing_stored()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            rss("<item><title>a</title><link>http://127.0.0.1:1/a")[:-30],
            "フィードの XML が壊れているため読めません",
        ),
        (rss(""), "フィードに記事が見つかりませんでした"),
    ],
)
def test_a_broken_or_empty_feed_is_a_failure(server, body, message):
    server.routes["/feed.xml"] = lambda h: send(h, 200, body, Content_Type="application/rss+xml")
    out, err, code = ingest(f"{server.base}/feed.xml")
    assert code == 1 and message in err and "失敗 1 件" in err
    assert nothing_stored()


def test_a_huge_feed_is_taken_up_to_the_limit_and_the_rest_reported(server, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "FEED_MAX_ENTRIES": 3}
    for n in range(3):
        page = html_page(
            f"Port story {n}", [f"Port story {n}.", *EN_PARAGRAPHS], url=f"{server.base}/story/{n}"
        )
        server.routes[f"/story/{n}"] = lambda h, page=page: send(
            h, 200, page.encode(), Content_Type="text/html"
        )
    items = "".join(
        f"<item><title>{n}</title><link>{server.base}/story/{n}</link></item>" for n in range(10_000)
    )
    server.routes["/feed.xml"] = lambda h: send(h, 200, rss(items), Content_Type="application/rss+xml")
    out, err, code = ingest(f"{server.base}/feed.xml")
    assert code == 1
    assert "10,000 件のうち最初の 3 件だけを取り込み、残り 9,997 件は取り込んでいません" in err
    assert "取り込み 3 件" in err and "失敗 1 件" in err
    assert Article.objects.count() == 3
    assert sorted(path for path in server.paths() if path.startswith("/story/")) == [
        f"/story/{n}" for n in range(3)
    ]


@pytest.mark.parametrize(
    "content",
    [
        rss("<item><title>a</title><link>https://a.example/1</link></item>"),
        rss("<item><title>a</title><link>https://a.example/1</link>")[:-20],  # broken as well
        b'<?xml version="1.0"?><urlset><url><loc>https://a.example/1</loc></url></urlset>',
    ],
)
def test_a_feed_or_other_xml_saved_as_a_page_is_refused(tmp_path, content):
    path = tmp_path / "feed.html"
    path.write_bytes(content)
    out, err, code = ingest(str(path))
    assert code == 1 and "RSS/Atom フィードや XML の文書は記事として取り込めません" in err
    assert nothing_stored()


# --- files that are no regular files --------------------------------------------------------


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "pipe.html")
    out, err, code = ingest(str(tmp_path / "pipe.html"))
    assert code == 1 and "通常のファイルではないため読み込みません（名前付きパイプ）" in err
    assert nothing_stored()


def test_a_link_to_a_device_is_refused_unread(tmp_path):
    (tmp_path / "zero.html").symlink_to("/dev/zero")
    out, err, code = ingest(str(tmp_path / "zero.html"))
    assert code == 1 and "通常のファイルではないため読み込みません（デバイスファイル）" in err
    assert nothing_stored()


def test_in_a_folder_special_files_fail_on_their_own_lines(tmp_path):
    os.mkfifo(tmp_path / "pipe.html")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "old.html").mkdir()  # a folder named like a page is walked, not read
    (tmp_path / "old.html" / "ferry.html").write_text(html_page(), encoding="utf-8")
    out, err, code = ingest(str(tmp_path))
    assert code == 1 and "取り込み 1 件" in err and "失敗 2 件" in err
    assert f"失敗: {tmp_path / 'pipe.html'}: 通常のファイルではないため" in err
    assert f"失敗: {tmp_path / 'zero.txt'}: 通常のファイルではないため" in err


def test_a_folder_is_never_read_as_a_file(tmp_path):
    with pytest.raises(IngestError, match="通常のファイルではないため読み込みません（フォルダ）"):
        service.read_file(tmp_path)
    out, err, code = ingest(str(tmp_path))  # an empty folder: nothing to take
    assert code == 1 and "取り込むファイルが見つかりません" in err


def test_an_oversized_file_is_refused_unread(tmp_path, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "MAX_INPUT_BYTES": 1_000}
    path = tmp_path / "huge.html"
    with path.open("wb") as file:
        file.truncate(3 * 2**30)  # 3 GiB on paper, no disk used
    out, err, code = ingest(str(path))
    assert code == 1 and "大きすぎるファイルです（3,221,225,472 バイト、上限 1,000 バイト）" in err
    assert nothing_stored()


@pytest.mark.slow
def test_the_real_command_refuses_special_files_without_a_traceback(tmp_path):
    os.mkfifo(tmp_path / "pipe.html")
    (tmp_path / "zero.html").symlink_to("/dev/zero")
    env = {"NEWSDESK_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "newsdesk", "migrate", "-v0"], env=env, check=True)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsdesk",
            "ingest",
            str(tmp_path / "zero.html"),
            str(tmp_path / "pipe.html"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (
        "失敗 2 件" in done.stderr and "デバイスファイル" in done.stderr and "名前付きパイプ" in done.stderr
    )
