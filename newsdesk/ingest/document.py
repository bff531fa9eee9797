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
    outlet: str = ""  # the outlet's name as the input gives it (site name, publisher, masthead)
    outlet_domain: str = ""
    raw_title: str = ""  # the page's title before its site name was cut off ("… - BBC News")
    url: str = ""
    published_at: datetime | None = None  # timezone-aware when known
    published_date_only: bool = False  # the input gives the day of publication but no time of day
    image_url: str = ""
    caption: str = ""
    language: str = ""  # as declared by the page (html lang, og:locale), not detected
    dropped_lines: list[str] = field(default_factory=list)
    # Why the extractor dropped each line: drop_reasons[i] is the rule that dropped dropped_lines[i]
    # (a key of newsdesk.ingest.drops.REASONS), "" where none was given. Use ``drop`` to add both.
    drop_reasons: list[str] = field(default_factory=list)
    # Only for the curated shape: what the page already carries.
    original_title: str = ""
    summary: list[str] = field(default_factory=list)
    translation: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The article's text: the body, else (curated) the translation, else the summary, so that
        no article is read as empty text (which every such article would share as its hash)."""
        return "\n\n".join(self.paragraphs or self.translation or self.summary)

    def drop(self, text: str, reason: str) -> None:
        """Records a line of the input that is in no field and not in the body, and why."""
        self.drop_reasons += [""] * (len(self.dropped_lines) - len(self.drop_reasons))
        self.dropped_lines.append(text)
        self.drop_reasons.append(reason)

    @property
    def dropped(self) -> list[tuple[str, str]]:
        """(line, reason) for every dropped line, in order; the reason is "" where none was given."""
        reasons = self.drop_reasons + [""] * (len(self.dropped_lines) - len(self.drop_reasons))
        return list(zip(self.dropped_lines, reasons, strict=False))
