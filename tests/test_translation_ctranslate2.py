"""A local CTranslate2 model: a tiny random Transformer and a SentencePiece model built here.

The model's output is nonsense; what is tested is the plumbing (one output per paragraph, the
M2M100 language tokens), the glossary's placeholders, the memory and the usage.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from newsdesk.articles.models import PipelineStage
from newsdesk.pipeline import runner
from newsdesk.translation import backends
from newsdesk.translation.backends import Segment
from newsdesk.translation.backends.ctranslate2 import CTranslate2Backend
from newsdesk.translation.glossary import Glossary
from newsdesk.translation.models import ArticleTranslation, TranslationUsage
from tests.test_translation_openai import PARAGRAPHS, stage, untranslated

ctranslate2 = pytest.importorskip("ctranslate2")
sentencepiece = pytest.importorskip("sentencepiece")

pytestmark = pytest.mark.django_db
State = PipelineStage.State

SENTENCES = [
    "The ferry to Busan resumes next month, the operator said.",
    "Kim Jong Un met Russian officials in Pyongyang on Tuesday.",
    "Investigators said ZX1 and ZX2 stole 1.5 billion dollars in 2025.",
    "Port officials spent about 10 million on the terminal.",
    "北朝鮮の指導者が平壌で会談した。港の改修に15億円を投じた。",
    "Паромное сообщение возобновится в следующем месяце.",
]


def build_model(directory: Path, extra_tokens: tuple[str, ...] = ()) -> Path:
    directory.mkdir(parents=True)
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(SENTENCES * 20),
        model_prefix=str(directory / "sp"),
        vocab_size=120,
        character_coverage=1.0,
        model_type="bpe",
        minloglevel=2,
    )
    processor = sentencepiece.SentencePieceProcessor(model_file=str(directory / "sp.model"))
    vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())] + list(extra_tokens)
    spec = ctranslate2.specs.TransformerSpec.from_config((1, 1), 2)
    d_model, ffn, size = 16, 32, len(vocabulary)
    rng = np.random.default_rng(7)

    def shape(name: str) -> tuple[int, ...]:
        if name.endswith(("gamma", "beta")):
            return (d_model,)
        if "embeddings" in name or "projection" in name:
            return (size, d_model)
        if "self_attention/linear_0" in name:
            return (3 * d_model, d_model)
        if "/attention/linear_1" in name:
            return (2 * d_model, d_model)
        if "ffn/linear_0" in name:
            return (ffn, d_model)
        if "ffn/linear_1" in name:
            return (d_model, ffn)
        return (d_model, d_model)

    def fill(layer, prefix: str = "") -> None:
        for key, value in list(vars(layer).items()):
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, ctranslate2.specs.model_spec.LayerSpec):
                        fill(item, f"{prefix}{key}_{i}/")
            elif isinstance(value, ctranslate2.specs.model_spec.LayerSpec):
                fill(value, f"{prefix}{key}/")
            elif value is None and not key.startswith("_"):
                name = f"{prefix}{key}"
                weights = rng.standard_normal(shape(name)).astype(np.float32) * 0.1
                setattr(layer, key, np.ones(shape(name), np.float32) if name.endswith("gamma") else weights)

    fill(spec)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.save(str(directory))
    shutil.move(
        directory / "sp.model", directory / ("source.spm" if not extra_tokens else "sentencepiece.bpe.model")
    )
    if not extra_tokens:
        shutil.copy(directory / "source.spm", directory / "target.spm")
    return directory


@pytest.fixture(scope="session")
def marian_dir(tmp_path_factory) -> Path:
    return build_model(tmp_path_factory.mktemp("ct2") / "opus-mt-en-ja")


@pytest.fixture(scope="session")
def m2m_dir(tmp_path_factory) -> Path:
    return build_model(tmp_path_factory.mktemp("ct2") / "m2m100", ("__en__", "__ko__", "__ja__"))


@pytest.fixture
def use_ct2(settings, marian_dir):
    settings.NEWSDESK = {
        **settings.NEWSDESK,
        "TRANSLATOR": "ctranslate2",
        "CTRANSLATE2_MODEL_DIR": str(marian_dir),
    }
    return marian_dir


def test_the_pipeline_translates_with_a_local_model(use_ct2, article_factory):
    article = untranslated(article_factory)
    runner.run(article)
    article.refresh_from_db()
    assert stage(article).state == State.DONE
    assert len(article.translation) == len(PARAGRAPHS) and all(
        isinstance(t, str) for t in article.translation
    )
    assert article.title and article.translator == "機械翻訳（opus-mt-en-ja）"
    usage = TranslationUsage.objects.get(article=article)
    assert usage.backend == "ctranslate2:opus-mt-en-ja" and usage.input_tokens > 0 and usage.requests >= 1
    # The model's nonsense has no 金正恩: the glossary check says so.
    assert any(
        flag["term"] == "Kim Jong Un" for flag in ArticleTranslation.objects.get(article=article).flags
    )
    # The memory: a second article with the same text runs nothing.
    again = untranslated(article_factory, content_hash="again", url="https://example.com/again")
    runner.run(again)
    assert TranslationUsage.objects.get(article=again).requests == 0


class Recorder:
    """Stands in for the ctranslate2.Translator: records tokens, echoes them as the "translation"."""

    def __init__(self, prefix=None):
        self.calls = []
        self.prefix = prefix

    def translate_batch(self, sources, target_prefix=None, **kwargs):
        self.calls.append((sources, target_prefix))

        class Hypothesis:
            def __init__(self, tokens):
                self.hypotheses = [tokens]

        out = []
        for tokens, prefix in zip(sources, target_prefix or [None] * len(sources), strict=True):
            body = [t for t in tokens if t != "</s>" and not t.startswith("__")]
            out.append(Hypothesis([*(prefix or []), *body]))
        return out


def test_glossary_terms_go_through_as_placeholders_and_come_back_japanese(marian_dir):
    backend = CTranslate2Backend(str(marian_dir))
    model = backend.model("en")
    recorder = Recorder()
    real, model.translator = model.translator, recorder
    try:
        glossary = Glossary.of("en", [("Kim Jong Un", "金正恩"), ("Lazarus Group", "ラザロ・グループ")])
        segments = [
            Segment("paragraph", "Kim Jong Un met officials.", 1),
            Segment("paragraph", "Investigators said the Lazarus Group stole it.", 2),
        ]
        result = backend.translate(segments, "en", glossary)
    finally:
        model.translator = real
    ((sources, _prefix),) = recorder.calls
    sent = ["".join(tokens).replace("▁", " ") for tokens in sources]
    assert "ZX1" in sent[0] and "Kim" not in sent[0] and "ZX1" in sent[1] and "Lazarus" not in sent[1]
    assert result.texts[0].startswith("金正恩") and "ラザロ・グループ" in result.texts[1]
    assert "Kim" not in result.texts[0] and "Lazarus" not in result.texts[1]


def test_m2m100_style_models_get_language_tokens(m2m_dir):
    backend = CTranslate2Backend(str(m2m_dir))
    model = backend.model("en")
    assert model.style == "m2m100"
    recorder, real = Recorder(), model.translator
    model.translator = recorder
    try:
        result = backend.translate([Segment("paragraph", "The ferry resumes.", 1)], "en", Glossary("en"))
    finally:
        model.translator = real
    ((sources, prefix),) = recorder.calls
    assert sources[0][0] == "__en__" and sources[0][-1] == "</s>" and prefix == [["__ja__"]]
    assert "__ja__" not in result.texts[0] and result.texts[0].replace(" ", "") == "Theferryresumes."
    # And the real tiny model runs with those tokens.
    real_result = backend.translate([Segment("paragraph", "The ferry resumes.", 1)] * 3, "en", Glossary("en"))
    assert len(real_result.texts) == 3


def test_a_folder_per_language(marian_dir, settings):
    template = str(marian_dir).replace("opus-mt-en-ja", "opus-mt-{lang}-ja")
    backend = CTranslate2Backend(template)
    assert backend.model("en") is not None
    with pytest.raises(backends.TranslationError, match="opus-mt-ko-ja"):
        backend.model("ko")
