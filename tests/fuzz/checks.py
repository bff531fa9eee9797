"""Invariants every extracted article keeps, whatever the input was."""

from __future__ import annotations

from datetime import UTC

from newsdesk.ingest.document import ExtractedArticle

SHAPES = {"html", "text-article", "text-byline", "curated"}


def check_article(art: ExtractedArticle, source: str) -> None:
    """``source`` is the text the article was read from."""
    assert art.shape in SHAPES
    assert art.paragraphs or art.translation or art.summary, "an article without text must be refused"
    assert all(isinstance(p, str) and p.strip() for p in art.paragraphs)
    assert art.text.strip()
    for name in ("title", "lead", "author", "outlet", "outlet_domain", "url", "caption", "image_url"):
        assert isinstance(getattr(art, name), str), name
    if art.published_at is not None:
        assert art.published_at.utcoffset() is not None, "a publication time must be aware"
        art.published_at.astimezone(UTC)  # storable: the database keeps UTC
    assert len(art.drop_reasons) <= len(art.dropped_lines)
    # What is stored must be UTF-8 (SQLite and PostgreSQL both refuse a lone surrogate): decoded
    # bytes never hold one, and the extractors must not make one.
    if not is_utf8(source):
        return
    for text in [art.text, art.title, art.lead, art.author, art.caption, art.url, *art.dropped_lines]:
        text.encode("utf-8")


def is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
