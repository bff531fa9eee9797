"""The editor's own translation in the admin: machine translation does nothing."""

from __future__ import annotations

from collections.abc import Sequence

from newsdesk.translation.backends.base import Backend, Result, Segment, TranslationError
from newsdesk.translation.glossary import Glossary


class ManualBackend(Backend):
    id = "manual"
    label = "編集者"
    manual = True

    def translate(self, segments: Sequence[Segment], source_language: str, glossary: Glossary) -> Result:
        raise TranslationError("翻訳エンジンが manual（編集者の翻訳）です")
