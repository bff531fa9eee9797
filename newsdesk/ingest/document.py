"""What every extractor hands to the pipeline, whatever the input looked like."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class IngestError(Exception):
    """An input that cannot become an article; the message is shown to the operator as one line."""


@dataclass
class ExtractedArticle:
    """An article as read from one input, in its original language.

    ``shape`` names the input form: ``html``, ``text-article`` (title, lead, body with page chrome),
    ``text-byline`` (title, standfirst, author/outlet/date block, body, biography, bare domain) or
    ``curated`` (an already made Japanese page with bullets, original headline and numbered
    translation).
    """

    shape: str
    title: str
    paragraphs: list[str]
    lead: str = ""
    author: str = ""
    author_bio: str = ""
    outlet: str = ""
    outlet_domain: str = ""
    url: str = ""
    published_at: datetime | None = None  # timezone-aware when known
    image_url: str = ""
    caption: str = ""
    language: str = ""  # as declared by the page (html lang, og:locale), not detected
    dropped_lines: list[str] = field(default_factory=list)
    # Only for the curated shape: what the page already carries.
    original_title: str = ""
    summary: list[str] = field(default_factory=list)
    translation: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs or self.translation)
