"""The shipped samples go through the real pipeline and come out as complete, published pages."""

import io
import json

import pytest
from django.core.management import call_command

from newsdesk.articles.models import Article
from newsdesk.ops.samples import SAMPLES_DIR, load_samples, manifest

pytestmark = pytest.mark.django_db


@pytest.fixture
def samples():
    load_samples()
    return Article.objects.select_related("outlet").prefetch_related("raw_inputs")


def test_every_sample_is_published_complete(samples):
    assert samples.count() == len(manifest()) >= 8
    for article in samples:
        assert article.status == Article.Status.PUBLISHED, article.original_title
        assert article.is_sample and article.outlet.is_sample
        assert article.title and article.japanese_paragraphs and 3 <= len(article.summary) <= 10
        # A curated page names its source but, like product.md's example, no date.
        assert article.published_at is not None or article.is_curated, article.original_title
        assert article.url.startswith("https://") and ".example" in article.url


def test_every_input_shape_and_language_is_covered(samples):
    shapes = {raw.shape for article in samples for raw in article.raw_inputs.all()}
    assert shapes == {"html", "text-article", "text-byline", "curated"}
    assert {"ja", "en"} <= set(samples.values_list("language", flat=True))
    encodings = {raw.encoding for article in samples for raw in article.raw_inputs.all()}
    assert "utf-16" in encodings and encodings & {"cp932", "shift_jis"}


def test_english_samples_carry_an_aligned_editors_translation(samples):
    for entry in manifest():
        if not entry["translation"]:
            continue
        translation = json.loads((SAMPLES_DIR / entry["translation"]).read_text(encoding="utf-8"))
        article = samples.get(url=entry["url"])
        assert article.translation == translation["paragraphs"]
        assert len(article.translation) == len(article.paragraphs)
        assert article.title == translation["title"]


def test_curated_page_keeps_its_own_bullets_and_translation(samples):
    article = samples.get(is_curated=True)
    raw = article.raw_inputs.get().content
    assert all(bullet in raw for bullet in article.summary)
    assert article.original_title and article.original_title in raw and article.language == "en"
    assert article.translation and article.paragraphs == []


def test_text_copies_record_what_the_cleaner_dropped(samples):
    for article in samples:
        raw = article.raw_inputs.get()
        if raw.shape == "text-article":
            assert any("facebook" in line for line in raw.dropped_lines)
            assert article.caption and raw.content.count(article.caption) == 2  # repeated once, kept once


def test_loading_twice_adds_nothing(samples):
    count = samples.count()
    assert not any(stored.created for stored in load_samples())
    assert Article.objects.count() == count


def test_demo_prepares_the_database_and_an_editor_account():
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert Article.objects.published().count() == len(manifest())
    assert "editor" in out.getvalue()
    # The demo's オススメ opens with the samples the manifest marks as editors' picks.
    marked = {entry["url"] for entry in manifest() if entry.get("picked")}
    picks = Article.objects.filter(picked_at__isnull=False)
    assert len(marked) == 2 and {article.url or article.source_url for article in picks} == marked
