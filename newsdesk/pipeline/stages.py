"""The pipeline's stages, in the order ``settings.NEWSDESK_PIPELINE`` lists them (like MIDDLEWARE).

A stage is a class whose instances have a ``name`` (the PipelineStage row it owns), a ``label``
(its Japanese name, shown to editors), optionally a ``waiting`` message shown while it waits, and
``run(article)``: it changes the article in memory and returns ``(state, fields it changed)``;
the runner writes the article and the stage rows together. A stage may have ``warm_up()``: the
one-off work of its first run (loading a dictionary, importing a library), which workers do at
start. Each stage lives in the app whose work
it does (``<app>/stage.py``). "extract" is not a stage here: an article exists only once its
input has been extracted.
"""

from __future__ import annotations

import functools
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from newsdesk.articles.models import Article
from newsdesk.ingest import html

EXTRACT = "extract"
EXTRACT_LABEL = "抽出"


class Stage(Protocol):
    name: str
    label: str

    def run(self, article: Article) -> tuple[str, list[str]]: ...


@functools.cache
def _load(paths: tuple[str, ...]) -> dict[str, Stage]:
    stages = [import_string(path)() for path in paths]
    return {stage.name: stage for stage in stages}


def stages() -> dict[str, Stage]:
    """The configured stages by name, in order (made once per configuration)."""
    return _load(tuple(settings.NEWSDESK_PIPELINE))


def stage_names() -> list[str]:
    """Every PipelineStage row an article has, in order: extraction, then the configured stages."""
    return [EXTRACT, *stages()]


def stage(name: str) -> Stage:
    return stages()[name]


def label(name: str) -> str:
    """The Japanese name editors see for a stage (抽出 for extraction); the name itself for a stage
    no longer configured."""
    if name == EXTRACT:
        return EXTRACT_LABEL
    found = stages().get(name)
    return getattr(found, "label", name) if found is not None else name


def stages_from(name: str) -> list[str]:
    """``name`` and every configured stage after it: what reads what ``name`` writes."""
    names = list(stages())
    return names[names.index(name) :] if name in names else []


def waiting_message(name: str) -> str:
    return getattr(stage(name), "waiting", "")


def warm_up() -> None:
    """The one-off work of a first article, done now: extraction's and every stage's that has one.
    Workers run it as they start, so that the first article after a (re)start is not the slow one."""
    html.warm_up()
    for each in stages().values():
        if (warm := getattr(each, "warm_up", None)) is not None:
            warm()
