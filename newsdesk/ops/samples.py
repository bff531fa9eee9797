"""The sample articles shipped for the demo site and the tests, loaded through the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.articles.signals import picks_changed
from newsdesk.ingest import service
from newsdesk.ingest.models import RawInput
from newsdesk.pipeline import runner
from newsdesk.pipeline.stages import stage_names
from newsdesk.tags.samples import add_sample_tags

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"
SAMPLE_TRANSLATOR = "編集部（サンプル）"


def manifest() -> list[dict]:
    return json.loads((SAMPLES_DIR / "manifest.json").read_text(encoding="utf-8"))


def apply_translation(article: Article, translation: dict, translator: str) -> None:
    """An editor's translation: headline, lead, caption and one paragraph per original paragraph."""
    paragraphs = translation["paragraphs"]
    if len(paragraphs) != len(article.paragraphs):
        raise ValueError(
            f"翻訳の段落数 {len(paragraphs)} が原文の段落数 {len(article.paragraphs)} と一致しません（記事 {article.pk}）"
        )
    article.title = translation["title"]
    article.lead_ja = translation.get("lead", "")
    article.caption_ja = translation.get("caption", "")
    article.translation = paragraphs
    article.translator = translator
    article.save()


def load_samples(publish: bool = True) -> list[service.Stored]:
    add_sample_tags()  # first, so that the pipeline tags the samples as it stores them
    loaded = []
    for entry in manifest():
        # One sample is stored whole or not at all, translation and stages included.
        with transaction.atomic():
            # Not through the one way in: the editor's translation goes in before the stages run.
            path = SAMPLES_DIR / entry["file"]
            stored = service.ingest_bytes(
                service.read_file(path),
                kind=RawInput.Kind.FILE,
                location=str(path),
                url=entry["url"],
                stages=stage_names(),
                sample=True,
            )
            article = stored.article
            if stored.created:
                # The samples' outlets are fictional and their text ours: full translation is allowed.
                outlet = article.outlet
                outlet.is_sample, outlet.policy_reviewed = True, True
                outlet.reuse_policy = outlet.ReusePolicy.FULL
                outlet.save(update_fields=["is_sample", "policy_reviewed", "reuse_policy"])
                if entry.get("translation"):
                    data = json.loads((SAMPLES_DIR / entry["translation"]).read_text(encoding="utf-8"))
                    apply_translation(article, data, SAMPLE_TRANSLATOR)
                runner.run(article, publish=publish)
                if publish and entry.get("picked"):
                    # The demo's オススメ opens with editors' picks, as a staffed site's would.
                    Article.objects.filter(pk=article.pk).update(picked_at=timezone.now())
                    picks_changed.send(sender=Article)
        loaded.append(stored)
    return loaded
