"""Where stored images show: listings, feeds, the admin, the samples; and where they stop showing."""

from __future__ import annotations

import pytest

from newsdesk.articles.models import Article
from newsdesk.images.models import ArticleImage
from newsdesk.images.samples import DRAWINGS
from newsdesk.ops.samples import load_samples
from newsdesk.tags.models import ArticleTag, Tag
from tests.images import png, store_image

pytestmark = pytest.mark.django_db
SITE = "http://127.0.0.1:8000"


def thumbnail_tag(image: ArticleImage) -> str:
    return f'<img src="{image.thumbnail_url}" width="320" height="180" alt="" loading="lazy"'


def test_every_listing_shows_the_thumbnail(client, article_factory):
    article = article_factory(
        title="港湾の再開を伝える記事",
        image_url="https://img.example.com/port.jpg",
        translation=["港湾の再開。"],
    )
    image = store_image(article)
    tag = Tag.objects.create(name="港湾", slug="ports", keywords="港湾")
    ArticleTag.objects.create(article=article, tag=tag, source=ArticleTag.Source.EDITOR)
    for path in ["/", "/outlets/example.com/", "/tags/ports/", "/search/?q=港湾の再開"]:
        page = client.get(path).content.decode()
        assert thumbnail_tag(image) in page, path
        assert "has-thumb" in page and "img.example.com" not in page, path


def test_a_listing_loads_its_thumbnails_in_one_query(client, article_factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    for _ in range(2):
        store_image(article_factory(image_url="https://img.example.com/a.jpg"))
    queries()  # the rankings beside the list are cached by the first request
    few = queries()
    for _ in range(4):
        store_image(article_factory(image_url="https://img.example.com/a.jpg"))
    queries()  # the list's count, kept until an article changes (newsdesk/site/listings.py)
    assert queries() == few


def test_feeds_carry_the_stored_image_as_an_enclosure(client, article_factory):
    article = article_factory(image_url="https://img.example.com/port.jpg")
    image = store_image(article)
    rss = client.get("/feeds/latest.rss").content.decode()
    assert f'<enclosure length="{image.page_bytes}" type="image/jpeg" url="{SITE}{image.page_url}"' in rss
    atom = client.get("/feeds/latest.atom").content.decode()
    assert f'href="{SITE}{image.page_url}" length="{image.page_bytes}" rel="enclosure"' in atom
    assert "img.example.com" not in rss + atom


def test_an_image_the_article_no_longer_names_is_not_shown(client, article_factory):
    article = article_factory(image_url="https://img.example.com/old.jpg", caption="Old caption")
    store_image(article)
    Article.objects.filter(pk=article.pk).update(image_url="https://img.example.com/new.jpg")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<img" not in page and "og:image" not in page and "Old caption" in page
    assert "<img" not in client.get("/").content.decode()


def test_the_admin_shows_the_stored_image_or_why_there_is_none(admin_client, article_factory):
    shown = article_factory(image_url="https://img.example.com/a.jpg")
    image = store_image(shown)
    page = admin_client.get(f"/admin/articles/article/{shown.pk}/change/").content.decode()
    assert "保存した画像" in page and f'src="{image.page_url}"' in page and "1200×675 px" in page
    assert admin_client.get(image.page_url).status_code == 200

    refused = article_factory(image_url="https://img.example.com/b.svg")
    store_image(refused, b"<svg/>")
    page = admin_client.get(f"/admin/articles/article/{refused.pk}/change/").content.decode()
    assert "画像として読めません" in page and "画像はありません" in page


def test_samples_draw_their_own_images_and_fetch_none(settings, client):
    settings.NEWSDESK = {**settings.NEWSDESK, "IMAGES": True}
    load_samples()
    drawn = Article.objects.filter(url__in=DRAWINGS)
    assert drawn.count() == len(DRAWINGS) == 2
    for article in drawn:
        image = article.stored_image
        assert image.usable and image.width == 1200, article.url
        page = client.get(article.get_absolute_url()).content.decode()
        assert f'src="{image.page_url}"' in page and article.caption in page
    for article in Article.objects.exclude(url__in=DRAWINGS).exclude(image_url=""):
        assert "架空のサイト" in article.stored_image.error, article.url
        page = client.get(article.get_absolute_url()).content.decode()
        assert "<img" not in page, article.url
        if article.caption:
            assert "caption-only" in page, article.url
    assert client.get("/").content.decode().count('class="item-thumb"') == 2


def test_transparent_png_listing_thumbnail(client, article_factory):
    image = store_image(article_factory(image_url="https://img.example.com/a.png"), png())
    assert (image.width, image.height) == (800, 600)
    assert thumbnail_tag(image) in client.get("/").content.decode()
