"""A local CTranslate2 model (Marian / OPUS-MT, M2M100 or NLLB style) with its SentencePiece model(s).

Local models take no glossary: its terms become placeholders the model copies through, and the
placeholders become the Japanese forms afterwards (``Glossary.protect`` / ``Glossary.restore``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from newsdesk.translation.backends.base import Backend, Result, Segment, TranslationError, Usage
from newsdesk.translation.glossary import Glossary

__all__ = ["CTranslate2Backend"]

SPM_NAMES = ("sentencepiece.bpe.model", "spm.model", "sentencepiece.model")
NLLB_CODES = {"en": "eng_Latn", "ko": "kor_Hang", "zh": "zho_Hans", "ru": "rus_Cyrl", "ja": "jpn_Jpan"}


@dataclass
class _LoadedModel:
    # ctranslate2 and sentencepiece ship no type information.
    translator: Any
    source_spm: Any
    target_spm: Any
    style: str  # marian, m2m100 or nllb


# Loaded once per process and folder: loading takes seconds and the memory of the whole model.
_models: dict[str, _LoadedModel] = {}
_models_lock = threading.Lock()


def _load_model(directory: Path) -> _LoadedModel:
    import ctranslate2
    import sentencepiece

    def spm(*names: str) -> Any:
        for name in names:
            if (directory / name).exists():
                return sentencepiece.SentencePieceProcessor(model_file=str(directory / name))
        raise ImproperlyConfigured(f"{directory} に SentencePiece モデル（{' / '.join(names)}）がありません")

    vocabulary = " ".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in directory.glob("*vocabulary*")
        if "source" not in path.name
    )
    style = "nllb" if "jpn_Jpan" in vocabulary else "m2m100" if "__ja__" in vocabulary else "marian"
    return _LoadedModel(
        translator=ctranslate2.Translator(str(directory), device="auto"),
        source_spm=spm("source.spm", *SPM_NAMES),
        target_spm=spm("target.spm", *SPM_NAMES),
        style=style,
    )


class CTranslate2Backend(Backend):
    rate_limited = False
    max_segments = 16

    def __init__(self, model_dir: str | None = None) -> None:
        self.model_dir: str = model_dir or settings.NEWSDESK["CTRANSLATE2_MODEL_DIR"]
        if not self.model_dir:
            raise ImproperlyConfigured("NEWSDESK_CTRANSLATE2_MODEL_DIR を設定してください")
        self.id = f"ctranslate2:{Path(self.model_dir.replace('{lang}', 'xx')).name}"
        self.label = f"機械翻訳（{Path(self.model_dir).name}）"

    def model(self, source_language: str) -> _LoadedModel:
        """The model for a language; ``{lang}`` in the folder name picks one per language (OPUS-MT)."""
        directory = Path(self.model_dir.replace("{lang}", source_language)).expanduser()
        with _models_lock:
            if str(directory) not in _models:
                if not (directory / "model.bin").exists():
                    raise TranslationError(f"CTranslate2 モデルがありません: {directory}")
                _models[str(directory)] = _load_model(directory)
            return _models[str(directory)]

    def translate(self, segments: Sequence[Segment], source_language: str, glossary: Glossary) -> Result:
        model = self.model(source_language)
        protected = [glossary.protect(segment.text) for segment in segments]
        sources: list[list[str]] = []
        prefix: list[str] | None = None
        for text, _mapping in protected:
            tokens = model.source_spm.encode(text, out_type=str)
            if model.style == "m2m100":
                tokens, prefix = [f"__{source_language}__", *tokens], ["__ja__"]
            elif model.style == "nllb":
                if source_language not in NLLB_CODES:
                    raise TranslationError(f"NLLB モデルが知らない言語です: {source_language}")
                tokens, prefix = [NLLB_CODES[source_language], *tokens], ["jpn_Jpan"]
            sources.append([*tokens, "</s>"])
        results = model.translator.translate_batch(
            sources,
            target_prefix=[prefix] * len(sources) if prefix else None,
            beam_size=2,
            max_decoding_length=512,
        )
        texts: list[str] = []
        output_tokens = 0
        for result, (_text, mapping) in zip(results, protected, strict=True):
            tokens = result.hypotheses[0]
            if prefix and tokens[: len(prefix)] == prefix:
                tokens = tokens[len(prefix) :]
            output_tokens += len(tokens)
            texts.append(Glossary.restore(model.target_spm.decode(tokens), mapping).strip())
        usage = Usage(
            characters=sum(len(segment.text) for segment in segments),
            input_tokens=sum(len(tokens) for tokens in sources),
            output_tokens=output_tokens,
        )
        return Result(texts, usage)
