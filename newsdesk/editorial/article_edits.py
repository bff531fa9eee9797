"""What the article page's check-and-fix tools do: put a dropped line back, take a body line out.

Every line of an input is in the article (a field or the body) or in a raw input's
``dropped_lines`` (see ``newsdesk/ingest/plaintext.py``): no text is ever lost. These edits keep
it so. A line put back leaves the dropped lines; a field it replaces (the old caption, author or
biography) and a body line taken out go to the article's ``EDITOR`` raw input, which records that
an editor, not the cleaner, dropped them.

The body is ``paragraphs`` (for a page made elsewhere that carries no original, ``translation``).
``translation[i]`` is the translation of ``paragraphs[i]``: a line inserted into or taken out of
the body inserts or takes out its translation slot, so the two stay aligned.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from newsdesk.articles.models import Article
from newsdesk.ingest import drops
from newsdesk.ingest.bylines import parse_byline
from newsdesk.ingest.models import RawInput
from newsdesk.pipeline import stages as pipeline_stages

# What a dropped line can become, with the words the page and its messages use.
ROLES = {"body": "本文", "caption": "キャプション", "author": "著者", "author_bio": "著者紹介"}
EDITOR_LOCATION = "管理画面"


class EditError(Exception):
    """An edit that cannot be made; the message is shown to the editor."""


def digest(text: str) -> str:
    """A short fingerprint of a line: a form refers to a line by its place and this, so a page
    left open while the line moved acts on nothing rather than on the wrong line."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class DroppedLine:
    raw: RawInput
    index: int
    text: str

    @property
    def by_editor(self) -> bool:
        return self.raw.kind == RawInput.Kind.EDITOR

    @property
    def reason(self) -> str:
        """Why the cleaner dropped the line, in words; empty for a line an editor took out."""
        if self.by_editor:
            return ""
        reasons = self.raw.drop_reasons or []
        return drops.label(reasons[self.index] if self.index < len(reasons) else "")

    @property
    def key(self) -> str:
        return f"{self.raw.pk}-{self.index}-{digest(self.text)}"


def dropped_lines(article: Article) -> list[DroppedLine]:
    """The article's dropped lines, the cleaner's first (input by input), then the editors'."""
    raws = sorted(article.raw_inputs.all(), key=lambda raw: (raw.kind == RawInput.Kind.EDITOR, raw.pk))
    return [
        DroppedLine(raw, index, str(text))
        for raw in raws
        for index, text in enumerate(raw.dropped_lines or [])
        if str(text).strip()
    ]


def find_dropped(article: Article, key: str) -> DroppedLine:
    for line in dropped_lines(article):
        if line.key == key:
            return line
    raise EditError("その行は見つかりません。ページを読み込み直してください。")


def body_field(article: Article) -> str:
    """The list that holds the article's body: its original paragraphs, or for a page that came
    without them (a curated page) the Japanese paragraphs."""
    return "translation" if not article.paragraphs and article.translation else "paragraphs"


def body_lines(article: Article) -> list[str]:
    return list(getattr(article, body_field(article)) or [])


def body_stages(translate: bool) -> list[str]:
    """The stages that read the body, in pipeline order: the translation (when asked), the summary,
    entities, tags, stories and the index. The language is not detected again."""
    return [
        name for name in pipeline_stages.stages() if name != "language" and (translate or name != "translate")
    ]


def record_dropped(article: Article, text: str) -> None:
    """Keeps ``text`` as a line an editor dropped, in the article's one EDITOR raw input."""
    if not text.strip():
        return
    raw = article.raw_inputs.filter(kind=RawInput.Kind.EDITOR).order_by("pk").first()
    if raw is None:
        raw = RawInput(
            article=article, kind=RawInput.Kind.EDITOR, location=EDITOR_LOCATION, shape="", content=""
        )
    raw.dropped_lines = [*(raw.dropped_lines or []), text]
    raw.save()


def _forget(line: DroppedLine) -> None:
    raw = line.raw
    lines, reasons = list(raw.dropped_lines or []), list(raw.drop_reasons or [])
    del lines[line.index]
    if line.index < len(reasons):
        del reasons[line.index]
    raw.dropped_lines, raw.drop_reasons = lines, reasons
    raw.save(update_fields=["dropped_lines", "drop_reasons"])


@dataclass
class Outcome:
    """What an edit changed: the article's fields to save, the stages to run again, and the words
    for the editor."""

    fields: list[str]
    stages: list[str]
    message: str
    warning: str = ""


def put_back(
    article: Article, line: DroppedLine, role: str, position: int = 0, translation: str = ""
) -> Outcome:
    """Puts a dropped line back as a body paragraph (before the 1-based ``position``; 0 or past the
    end: last), the caption, the author or the biography; the field's old text becomes a dropped line."""
    if role not in ROLES:
        raise EditError("戻し先を選んでください。")
    _forget(line)
    text = line.text.strip()
    if role == "body":
        return _insert(article, text, position, translation.strip())
    new = (parse_byline(text)[0] or text) if role == "author" else text
    old = getattr(article, role)
    setattr(article, role, new)
    if old.strip() and old != new:
        record_dropped(article, old)
    message = f"除去した行「{text}」を{ROLES[role]}にしました。"
    warning = ""
    if role == "caption" and not article.is_japanese and article.caption_ja:
        warning = "日本語のキャプションは前のキャプションの訳のままです。確かめてください。"
    return Outcome([role], [], message, warning)


def _insert(article: Article, text: str, position: int, translation: str) -> Outcome:
    field = body_field(article)
    body = body_lines(article)
    index = len(body) if position < 1 or position > len(body) else position - 1
    body.insert(index, text)
    fields = [field]
    translate = False
    if field == "paragraphs":
        slots = list(article.translation or [])
        if slots or (translation and not article.is_japanese):
            slots += [""] * (len(article.paragraphs) - len(slots))
            slots.insert(index, translation)
            article.translation = slots
            fields.append("translation")
        translate = not article.is_japanese and not translation
    setattr(article, field, body)
    message = f"除去した行「{text}」を本文の第{index + 1}段落に戻しました。"
    warning = ""
    if translate:
        warning = (
            f"第{index + 1}段落の訳はまだありません。翻訳の段階が訳すか、翻訳欄に訳を入れて保存してください。"
        )
    return Outcome(fields, body_stages(translate), message, warning)


def take_out(article: Article, number: int) -> Outcome:
    """Takes the 1-based body paragraph ``number`` out (with its translation slot); it becomes a
    line the editor dropped."""
    field = body_field(article)
    body = body_lines(article)
    if not 1 <= number <= len(body):
        raise EditError("本文の段落を選んでください。")
    if len(body) == 1:
        raise EditError("本文の最後の段落は除けません。")
    text = body.pop(number - 1)
    setattr(article, field, body)
    fields = [field]
    if field == "paragraphs" and number - 1 < len(article.translation or []):
        article.translation = [slot for i, slot in enumerate(article.translation) if i != number - 1]
        fields.append("translation")
    record_dropped(article, text)
    message = f"本文の第{number}段落「{text}」を除き、編集者が除いた行にしました。"
    return Outcome(fields, body_stages(False), message)


def stages_after_form(changed: list[str], article: Article) -> list[str]:
    """The stages a save of the change form runs again, besides those still to do: every stage
    that reads the body when the translation or the language changed, the summary when the editor
    emptied it (the summarizer writes new bullets; it never replaces an editor's), and the image
    when its address changed."""
    stages: list[str] = []
    if {"translation", "language"} & set(changed):
        stages += body_stages(translate=True)
    elif "summary" in changed and not article.summary:
        stages.append("summarize")
    if "image_url" in changed:
        stages.append("images")
    return stages
