"""Lead images: fetched from a real HTTP server on 127.0.0.1 by the images stage, stored as two
copies, served by the site; every refusal leaves the article done, without an image."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.images.models import ArticleImage
from newsdesk.pipeline import intake, runner
from newsdesk.pipeline.intake import Options
from tests.httpserver import send
from tests.images import SVG, bomb_png, jpeg, png
from tests.ingest_inputs import JA_PARAGRAPHS, html_page
from tests.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db
CAPTION, CAPTION_JA = "A passenger ferry enters Busan port.", "釜山港に入る旅客フェリー"


@pytest.fixture
def images_on(settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "IMAGES": True, "FETCH_ALLOW_PRIVATE": True}


def serve(server, path: str, body: bytes, content_type: str) -> None:
    server.routes[path] = lambda h: send(h, 200, body, Content_Type=content_type)


def stored(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as file:
        image = Image.open(io.BytesIO(file.read()))
        image.load()
    return image


def run_images_stage(article: Article) -> PipelineStage:
    runner.run_stage(article, "images")
    return article.stages.get(name="images")


def test_a_fetched_jpeg_becomes_a_page_copy_and_a_thumbnail_shown_on_the_pages(server, images_on, client):
    page_url = f"{server.base}/news/ferry"
    html = html_page(
        title="日韓フェリー航路、4年ぶりに再開へ", paragraphs=JA_PARAGRAPHS, lang="ja", url=page_url
    )
    server.routes["/news/ferry"] = lambda h: send(
        h, 200, html.encode(), Content_Type="text/html; charset=utf-8"
    )
    serve(server, "/images/ferry.jpg", jpeg((1600, 900)), "image/jpeg")
    [result] = intake.ingest(page_url, Options(publish=True))  # the whole pipeline, the images stage in it
    article = result.article
    assert article.status == Article.Status.PUBLISHED
    assert article.stages.get(name="images").state == PipelineStage.State.DONE
    image = ArticleImage.objects.get(article=article)
    assert image.source_url == f"{server.base}/images/ferry.jpg" and image.error == ""
    assert (image.width, image.height) == (1200, 675)

    page_copy, thumbnail = stored(image.page_file.name), stored(image.thumbnail_file.name)
    assert (page_copy.format, page_copy.size) == ("JPEG", (1200, 675))
    assert (thumbnail.format, thumbnail.size) == ("WEBP", (320, 180))
    for copy in (page_copy, thumbnail):  # no camera, no GPS position, no profile
        assert not copy.getexif() and "icc_profile" not in copy.info and "exif" not in copy.info
    with default_storage.open(image.page_file.name, "rb") as file:
        assert b"SecretCam" not in file.read()

    detail = client.get(article.get_absolute_url()).content.decode()
    assert f'<img src="{image.page_url}" width="1200" height="675" alt="{CAPTION}"' in detail
    assert CAPTION in detail and "/images/ferry.jpg" not in detail  # never the source's address
    listing = client.get("/").content.decode()
    assert f'<img src="{image.thumbnail_url}" width="320" height="180" alt="" loading="lazy"' in listing


def test_a_png_keeps_its_size_and_loses_its_text_and_transparency(server, images_on, article_factory):
    serve(server, "/img/map.png", png((800, 600)), "image/png")
    article = article_factory(url=f"{server.base}/news/1", image_url="/img/map.png")
    assert run_images_stage(article).state == PipelineStage.State.DONE
    image = article.stored_image
    assert (image.width, image.height) == (800, 600) and image.page_bytes > 0
    page_copy = stored(image.page_file.name)
    assert page_copy.mode == "RGB" and page_copy.getpixel((5, 5)) == (255, 255, 255)  # on white
    assert stored(image.thumbnail_file.name).size == (320, 180)
    for name in (image.page_file.name, image.thumbnail_file.name):
        with default_storage.open(name, "rb") as file:
            assert b"Secret Photographer" not in file.read()


def test_a_turned_photo_is_stored_upright():
    from newsdesk.images import processing

    copies = processing.process(jpeg((1600, 900), orientation=6), 25_000_000)
    assert (copies.page.width, copies.page.height) == (900, 1600)


def test_stored_copies_are_served_with_long_cache_headers(server, images_on, article_factory, client):
    serve(server, "/a.jpg", jpeg(), "image/jpeg")
    article = article_factory(url=f"{server.base}/news/2", image_url=f"{server.base}/a.jpg")
    run_images_stage(article)
    image = article.stored_image
    response = client.get(image.page_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Vary" not in response or "Cookie" not in response["Vary"]
    with default_storage.open(image.page_file.name, "rb") as file:
        assert b"".join(response.streaming_content) == file.read()
    etag = response["ETag"]
    again = client.get(image.page_url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and "immutable" in again["Cache-Control"]
    thumbnail = client.get(image.thumbnail_url)
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/webp"
    head = client.head(image.page_url)
    assert head.status_code == 200 and int(head["Content-Length"]) == image.page_bytes


def test_only_the_rows_own_files_are_served(server, images_on, article_factory, client, admin_client):
    serve(server, "/a.jpg", jpeg(), "image/jpeg")
    article = article_factory(url=f"{server.base}/news/3", image_url="/a.jpg")
    run_images_stage(article)
    base = f"/media/images/{article.pk}/"
    for name in ["secret_key", "..%2F..%2Fsecret_key", "%2E%2E", "newsdesk.sqlite3"]:
        assert client.get(base + name).status_code == 404, name
    other = article_factory()
    name = article.stored_image.page_url.rsplit("/", 1)[1]
    assert client.get(f"/media/images/{other.pk}/{name}").status_code == 404
    # An article not yet published: its image is for editors only, never kept by a shared cache.
    Article.objects.filter(pk=article.pk).update(status=Article.Status.REVIEW)
    assert client.get(base + name).status_code == 404
    response = admin_client.get(base + name)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-cache"


REFUSALS = {
    "not found": (None, "", "HTTP 404"),
    "html as jpeg": (b"<!doctype html><title>Not found</title>", "image/jpeg", "画像として読めません"),
    "svg": (SVG, "image/svg+xml", "SVG"),
    "svg unlabelled": (SVG, "application/octet-stream", "画像として読めません"),
    "text": (jpeg(), "text/html", "画像ではありません"),
    "bomb": (bomb_png(), "image/png", "画素数が多すぎます"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_a_refused_image_is_recorded_and_the_page_shows_the_caption_alone(
    case, server, images_on, article_factory, client
):
    body, content_type, message = REFUSALS[case]
    if body is not None:
        serve(server, "/photo.jpg", body, content_type)
    article = article_factory(
        url=f"{server.base}/news/4", image_url="/photo.jpg", caption=CAPTION, caption_ja=CAPTION_JA
    )
    assert run_images_stage(article).state == PipelineStage.State.DONE  # never waits on its image
    image = ArticleImage.objects.get(article=article)
    assert message in image.error and not image.page_file and not image.thumbnail_file
    assert_caption_without_image(client, article)


def assert_caption_without_image(client, article: Article) -> None:
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<img" not in page and "og:image" not in page
    assert '<figure class="lead-image caption-only">' in page
    assert CAPTION in page and CAPTION_JA in page


@pytest.mark.parametrize(
    ("limit", "message"), [("IMAGE_MAX_BYTES", "大きすぎます"), ("IMAGE_MAX_PIXELS", "画素数が多すぎます")]
)
def test_an_image_over_a_limit_is_refused(
    limit, message, server, images_on, settings, article_factory, client
):
    settings.NEWSDESK = {**settings.NEWSDESK, limit: 1000}
    serve(server, "/big.jpg", jpeg((1600, 900)), "image/jpeg")
    article = article_factory(
        url=f"{server.base}/news/5", image_url="/big.jpg", caption=CAPTION, caption_ja=CAPTION_JA
    )
    assert run_images_stage(article).state == PipelineStage.State.DONE
    assert message in article.stored_image.error
    assert_caption_without_image(client, article)


def test_a_private_address_is_refused_without_a_request(server, settings, article_factory, client):
    settings.NEWSDESK = {**settings.NEWSDESK, "IMAGES": True, "FETCH_ALLOW_PRIVATE": False}
    serve(server, "/a.jpg", jpeg(), "image/jpeg")
    article = article_factory(image_url=f"{server.base}/a.jpg", caption=CAPTION, caption_ja=CAPTION_JA)
    assert run_images_stage(article).state == PipelineStage.State.DONE
    assert "プライベート" in article.stored_image.error
    assert server.requests == []
    assert_caption_without_image(client, article)


def test_images_off_fetches_nothing(server, settings, article_factory):
    settings.NEWSDESK = {**settings.NEWSDESK, "IMAGES": False, "FETCH_ALLOW_PRIVATE": True}
    serve(server, "/a.jpg", jpeg(), "image/jpeg")
    article = article_factory(url=f"{server.base}/news/6", image_url="/a.jpg")
    assert run_images_stage(article).state == PipelineStage.State.DONE
    assert server.requests == [] and not ArticleImage.objects.exists()


def test_a_stored_image_is_fetched_once_and_goes_with_its_article(
    server, images_on, article_factory, django_capture_on_commit_callbacks
):
    serve(server, "/a.jpg", jpeg(), "image/jpeg")
    article = article_factory(url=f"{server.base}/news/7", image_url="/a.jpg")
    run_images_stage(article)
    runner.rerun(article, ["images"])
    assert server.paths().count("/a.jpg") == 1
    names = [article.stored_image.page_file.name, article.stored_image.thumbnail_file.name]
    assert all(default_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert not any(default_storage.exists(name) for name in names)


def test_an_editor_changing_the_image_address_fetches_the_new_image(
    server, images_on, article_factory, admin_client
):
    serve(server, "/old.jpg", jpeg((1600, 900)), "image/jpeg")
    serve(server, "/new.jpg", jpeg((1000, 1000)), "image/jpeg")
    article = article_factory(url=f"{server.base}/news/9", image_url=f"{server.base}/old.jpg")
    run_images_stage(article)
    response = admin_client.post(change_url(article), form_data(article, image_url=f"{server.base}/new.jpg"))
    assert response.status_code == 302
    image = ArticleImage.objects.get(article=article)
    assert image.source_url == f"{server.base}/new.jpg" and (image.width, image.height) == (1000, 1000)
