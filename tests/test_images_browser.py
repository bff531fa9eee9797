"""The demo's sample pages in a real Chromium: every image on them loads, none is broken."""

from __future__ import annotations

import pytest

from tests.browser import BROWSER_MARKS

pytestmark = BROWSER_MARKS

# Every <img> once loaded (lazy ones are asked to load now): its natural width, 0 when broken.
NATURAL_WIDTHS = """() => Promise.all([...document.images].map((img) => {
  img.loading = "eager";
  return img.decode().then(() => img.naturalWidth, () => 0);
}))"""


@pytest.fixture
def samples(settings):
    from newsdesk.articles.models import Article
    from newsdesk.ops.samples import load_samples

    settings.NEWSDESK = {**settings.NEWSDESK, "IMAGES": True}  # drawn for two samples, fetched for none
    load_samples()
    return list(Article.objects.published().values_list("pk", "caption", "caption_ja"))


def test_sample_pages_have_no_broken_image(live_server, samples, chromium, tmp_path):
    page = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP").new_page()
    shown = 0
    try:
        for pk, caption, caption_ja in samples:
            page.goto(f"{live_server.url}/articles/{pk}/", wait_until="load")
            widths = page.evaluate(NATURAL_WIDTHS)
            page.screenshot(path=str(tmp_path / f"article-{pk}.png"))
            assert all(width > 0 for width in widths), (pk, widths)
            shown += len(widths)
            figure = page.locator("figure.lead-image figcaption")
            if caption or caption_ja:  # the caption shows with or without its image
                assert figure.is_visible(), pk
                assert (caption_ja or caption).split()[0] in figure.inner_text(), pk
        page.goto(f"{live_server.url}/", wait_until="load")
        thumbnails = page.evaluate(NATURAL_WIDTHS)
        assert len(thumbnails) == 2 and all(width == 320 for width in thumbnails), thumbnails
        page.screenshot(path=str(tmp_path / "latest.png"), full_page=True)
    finally:
        page.context.close()
    assert shown == 2  # the two drawn sample images; the others show their caption alone
