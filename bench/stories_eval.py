"""Scoring the clustering on a labelled set (tests and ``bench/stories.py`` share this).

The labelled set is JSON Lines, one article a line: ``id``, ``story`` (the true story label),
``duplicate_of`` (the id of the article it copies, or null), ``language``, ``title``, ``title_ja``,
``paragraphs``, ``translation``, ``outlet``, ``outlet_domain``, ``url``, ``published_at``; the hard
set (``labelled_stories_hard.jsonl``) adds ``storyline`` (the true storyline label) and
``ingested_at`` (when we got it: an undated article, ``published_at`` null, is processed then).
Stories and storylines are both scored (pairwise and BCubed); an article whose story is in no
storyline counts as a storyline of its own story.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from django.utils import timezone
from django.utils.dateparse import parse_datetime

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "labelled_stories.jsonl"
HARD = LABELLED.with_name("labelled_stories_hard.jsonl")


def read(path: Path = LABELLED) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load(rows: list[dict]) -> dict[str, object]:
    """Creates the outlets and published articles of the rows; returns {row id: Article}."""
    from newsdesk.articles.models import Article
    from newsdesk.sources.models import Outlet

    articles = {}
    for row in rows:
        outlet, _ = Outlet.objects.get_or_create(
            domain=row["outlet_domain"], defaults={"name": row["outlet"], "language": row["language"]}
        )
        japanese = row["language"] == "ja"
        published = parse_datetime(row["published_at"]) if row.get("published_at") else None
        got = parse_datetime(row.get("ingested_at") or row["published_at"])
        articles[row["id"]] = Article.objects.create(
            outlet=outlet,
            url=row["url"],
            original_title=row["title"],
            title=row["title"] if japanese else row.get("title_ja") or "",
            language=row["language"],
            paragraphs=row.get("paragraphs") or [],
            translation=row.get("translation") or [],
            author=row.get("author", ""),
            published_at=published,
            created_at=got,
            status=Article.Status.PUBLISHED,
            site_published_at=min(got, timezone.now()),
            content_hash=hashlib.sha256(row["url"].encode()).hexdigest(),
        )
    return articles


def process(articles: Iterable) -> None:
    """Runs the entities and stories stages on the articles in the order we got them."""
    from newsdesk.pipeline.stages import stage

    for article in sorted(articles, key=lambda a: (a.created_at, a.pk)):
        for name in ("entities", "stories"):
            stage(name).run(article)  # both write only their own tables


def predicted(articles: dict[str, object]) -> tuple[dict[str, int], dict[str, str | None]]:
    """{row id: story id} and {row id: row id of the copy it duplicates}."""
    from newsdesk.stories.models import StoryMembership

    by_pk = {article.pk: key for key, article in articles.items()}
    memberships = StoryMembership.objects.filter(article_id__in=by_pk)
    stories = {by_pk[m.article_id]: m.story_id for m in memberships}
    copies = {by_pk[m.article_id]: by_pk.get(m.duplicate_of_id) for m in memberships}
    return stories, copies


def predicted_storylines(articles: dict[str, object]) -> dict[str, object]:
    """{row id: storyline id}, or ("story", story id) for an article whose story is in none."""
    from newsdesk.stories.models import StoryMembership

    by_pk = {article.pk: key for key, article in articles.items()}
    rows = StoryMembership.objects.filter(article_id__in=by_pk).values_list(
        "article_id", "story_id", "story__storyline_id"
    )
    return {by_pk[pk]: line if line is not None else ("story", story) for pk, story, line in rows}


def pairwise(truth: dict[str, str], guess: dict[str, object]) -> dict[str, float]:
    """Pairwise precision, recall and F1: over pairs of items put in one cluster."""
    keys = sorted(truth)
    same_truth = {p for p in itertools.combinations(keys, 2) if truth[p[0]] == truth[p[1]]}
    same_guess = {
        p for p in itertools.combinations(keys, 2) if guess.get(p[0], p[0]) == guess.get(p[1], p[1])
    }
    return _prf(len(same_truth & same_guess), len(same_guess), len(same_truth))


def bcubed(truth: dict[str, str], guess: dict[str, object]) -> dict[str, float]:
    """BCubed precision, recall and F1 (averaged over items)."""
    keys = sorted(truth)
    guess = {key: guess.get(key, ("alone", key)) for key in keys}
    pairs = Counter((truth[k], guess[k]) for k in keys)
    truth_sizes, guess_sizes = Counter(truth[k] for k in keys), Counter(guess[k] for k in keys)
    precision = sum(pairs[(truth[k], guess[k])] / guess_sizes[guess[k]] for k in keys) / len(keys)
    recall = sum(pairs[(truth[k], guess[k])] / truth_sizes[truth[k]] for k in keys) / len(keys)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def duplicates(truth: dict[str, str | None], guess: dict[str, str | None]) -> dict[str, float]:
    """Precision and recall of "these two are the same copy", over unordered pairs."""
    truth_pairs = {frozenset((k, v)) for k, v in truth.items() if v}
    guess_pairs = {frozenset((k, v)) for k, v in guess.items() if v}
    return _prf(len(truth_pairs & guess_pairs), len(guess_pairs), len(truth_pairs))


def _prf(hits: int, guessed: int, true: int) -> dict[str, float]:
    precision = hits / guessed if guessed else 1.0
    recall = hits / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def evaluate(path: Path = LABELLED) -> dict:
    """Loads the labelled set into the (empty, test or scratch) database, clusters it, scores it."""
    rows = read(path)
    articles = load(rows)
    process(articles.values())
    stories, copies = predicted(articles)
    truth = {row["id"]: row["story"] for row in rows}
    lines = predicted_storylines(articles)
    line_truth = {row["id"]: row.get("storyline") or ("story", row["story"]) for row in rows}
    return {
        "articles": len(rows),
        "stories": len(set(truth.values())),
        "predicted_stories": len(set(stories.values())),
        "pairwise": pairwise(truth, stories),
        "bcubed": bcubed(truth, stories),
        "duplicates": duplicates({row["id"]: row.get("duplicate_of") for row in rows}, copies),
        "storylines": len(set(line_truth.values())),
        "predicted_storylines": len(set(lines.values())),
        "storyline_pairwise": pairwise(line_truth, lines),
        "storyline_bcubed": bcubed(line_truth, lines),
        "undated": sum(1 for row in rows if not row.get("published_at")),
        "assignments": stories,
        "truth": truth,
    }
