"""Cost of adding one article to the stories clustering, on corpora of 1,000 and 100,000 articles.

    .venv/bin/python bench/stories.py [--sizes 1000 100000] [--probes 40]

Each size runs in its own process on a fresh SQLite database in a temporary data dir. The corpus is
synthetic Japanese news arriving at the same rate whatever its size (50 articles a day, about five
per story), so the 100,000-article corpus spans 2,000 days where the 1,000-article one spans 20:
the stories active in the time window are as many in both, and any growth of the cost with the
corpus would show. Old articles, their stored vectors, MinHash signatures and LSH band keys, the
stories and the document frequencies are written in bulk; then ``probes`` new articles are put
through the real "stories" stage one by one and timed (median). Each story names three synthetic
actors (entity ids; one of a few very common ones, two of 2,000), kept in the entity index as the
stage would, and the probes name their story's: the entity lookup beyond the window is exercised.
Every lead names its day (「…5日、…」), so the probes' best candidates are checked for the days
their own leads report, as real articles are. The goal: the larger cost at most twice the smaller. Last, the clustering is scored on the labelled set (tests/data).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PER_DAY = 50
PER_STORY = 5
ACTORS = 2000  # synthetic entities; each story names three, the first 20 are named everywhere
KANJI = "政府首相大統領会談合意発表経済金融市場輸出輸入関税軍事演習防衛安全保障選挙議会法案外交協議首脳訪問制裁核実験ミサイル発射台風地震被害避難半導体工場投資企業株価為替"
KATAKANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
GLUE = ["は", "が", "を", "に", "で", "と", "した。", "する方針だ。", "と述べた。", "によると、", "の"]


def _word(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "".join(rng.choice(KANJI) for _ in range(rng.randint(2, 4)))
    return "".join(rng.choice(KATAKANA) for _ in range(rng.randint(3, 6)))


def _article_text(rng: random.Random, topic: list[str], common: list[str], day: int) -> list[str]:
    """Three paragraphs, the first a lead naming its day (「…は5日、…」) as news leads do."""
    paragraphs = []
    for number in range(3):
        parts = []
        for _ in range(12):
            parts.append(rng.choice(topic) if rng.random() < 0.6 else rng.choice(common))
            parts.append(rng.choice(GLUE))
        parts.append(f"{rng.randint(1, 999)}人")
        if number == 0:
            parts.insert(2, f"{day}日、")
        paragraphs.append("".join(parts) + "。")
    return paragraphs


def _setup(workdir: Path):
    os.environ["NEWSDESK_DATA_DIR"] = str(workdir)
    os.environ["NEWSDESK_QUEUE_URL"] = "immediate"
    os.environ["NEWSDESK_DATABASE_URL"] = ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsdesk.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(size: int, rng: random.Random, common: list[str]):
    """Bulk-writes ``size`` old articles with everything the stories stage stored for them."""
    import datetime as dt

    import numpy as np
    from django.db import connection, transaction

    from newsdesk.articles.models import Article
    from newsdesk.sources.models import Outlet
    from newsdesk.stories import vectors
    from newsdesk.stories.models import ArticleSignature, Story, StoryEntity, StoryMembership, TermStat

    outlets = Outlet.objects.bulk_create(
        Outlet(name=f"媒体{i}", domain=f"outlet{i}.example", language="ja") for i in range(20)
    )
    end = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    start = end - dt.timedelta(days=size / PER_DAY)
    stories, rows = [], []
    for index in range(size):
        if index % PER_STORY == 0:
            topic = [_word(rng) for _ in range(12)]
            actors = sorted({rng.randrange(20), rng.randrange(20, ACTORS), rng.randrange(20, ACTORS)})
            stories.append({"topic": topic, "members": [], "actors": actors})
        moment = start + dt.timedelta(days=index / PER_DAY)
        rows.append((moment, _article_text(rng, stories[-1]["topic"], common, moment.day), len(stories) - 1))
    t0 = time.perf_counter()
    texts = ["\n".join(paragraphs) for _, paragraphs, _ in rows]
    term_vectors = vectors.term_vectors(texts)
    df = np.zeros(vectors.N_FEATURES, dtype=np.int64)
    for ids, _ in term_vectors:
        df[ids] += 1
    idf_all = vectors.idf(df.astype(np.float32), size)
    with transaction.atomic():
        articles = Article.objects.bulk_create(
            (
                Article(
                    outlet=outlets[i % len(outlets)],
                    original_title=paragraphs[0][:40],
                    title=paragraphs[0][:40],
                    language="ja",
                    paragraphs=paragraphs,
                    summary=[paragraphs[0][:60]],
                    published_at=moment,
                    site_published_at=moment,
                    status=Article.Status.PUBLISHED,
                    content_hash=f"bench-{i}",
                )
                for i, (moment, paragraphs, _) in enumerate(rows)
            ),
            batch_size=2000,
        )
        story_rows = []
        for number, story in enumerate(stories):
            members = [i for i, row in enumerate(rows) if row[2] == number] if size <= 2000 else None
            story["members"] = members
        # members of story n are articles n*PER_STORY .. n*PER_STORY+PER_STORY-1
        for number, _story in enumerate(stories):
            members = range(number * PER_STORY, min(size, (number + 1) * PER_STORY))
            profile = (np.zeros(0, np.int32), np.zeros(0, np.float32))
            for k, i in enumerate(members):
                ids, weights = term_vectors[i]
                profile = vectors.merge(
                    profile, (ids, vectors.weigh(weights, idf_all[ids])), k / (k + 1), 1 / (k + 1)
                )
            story_rows.append(
                Story(
                    title=rows[members[0]][1][0][:40],
                    first_seen=rows[members[0]][0],
                    last_seen=rows[members[-1]][0],
                    article_count=len(members),
                    profile=vectors.pack(*profile),
                    entity_counts={str(e): len(members) for e in stories[number]["actors"]},
                )
            )
        story_rows = Story.objects.bulk_create(story_rows, batch_size=2000)
        StoryEntity.objects.bulk_create(
            (
                StoryEntity(story=row, entity_id=e, count=row.article_count)
                for number, row in enumerate(story_rows)
                for e in stories[number]["actors"]
            ),
            batch_size=5000,
        )
        entity_df: dict[int, int] = {}
        for number, story in enumerate(stories):
            for e in story["actors"]:
                entity_df[e] = entity_df.get(e, 0) + min(size, (number + 1) * PER_STORY) - number * PER_STORY
        StoryMembership.objects.bulk_create(
            (StoryMembership(article=a, story=story_rows[i // PER_STORY]) for i, a in enumerate(articles)),
            batch_size=5000,
        )
        # Random MinHash values: synthetic articles are no copies of each other.
        hash_rng = np.random.default_rng(size)
        signatures = hash_rng.integers(0, 2**61 - 1, size=(size, vectors.NUM_PERM), dtype=np.uint64)
        ArticleSignature.objects.bulk_create(
            (
                ArticleSignature(
                    article=a,
                    fingerprint="bench",
                    minhash=vectors.minhash_bytes(signatures[i]),
                    shingle_count=300,
                    vector=vectors.pack(*term_vectors[i]),
                    entity_ids=stories[rows[i][2]]["actors"],
                    seen_at=rows[i][0],
                )
                for i, a in enumerate(articles)
            ),
            batch_size=2000,
        )
        with connection.cursor() as cursor:
            band_rows = [
                (a.pk, band, key)
                for i, a in enumerate(articles)
                for band, key in vectors.band_keys(signatures[i])
            ]
            cursor.executemany(
                "INSERT INTO stories_duplicateband (article_id, band, key) VALUES (%s, %s, %s)", band_rows
            )
        features = np.nonzero(df)[0]
        TermStat.objects.bulk_create(
            [TermStat(feature=int(f), df=int(df[f])) for f in features]
            + [TermStat(feature=vectors.entity_feature(e), df=n) for e, n in entity_df.items()]
            + [TermStat(feature=vectors.DOC_COUNT, df=size)],
            batch_size=5000,
        )
    connection.cursor().execute("ANALYZE")
    return stories, end, outlets, time.perf_counter() - t0


def measure(size: int, probes: int) -> dict:
    import datetime as dt

    from newsdesk.articles.models import Article
    from newsdesk.stories import linked, ranking
    from newsdesk.stories.models import StoryMembership
    from newsdesk.stories.stage import StoriesStage

    rng = random.Random(7)
    common = [_word(rng) for _ in range(300)]
    stories, end, outlets, built = build(size, rng, common)
    timings, cpu, joined = [], [], 0
    recent = stories[-30:]
    actors: dict[int, list[int]] = {}
    linked.entity_ids = lambda article: set(actors.get(article.pk, []))  # the probes name their story's
    for probe in range(probes):
        story = recent[probe % len(recent)]
        moment = end + dt.timedelta(minutes=probe)
        paragraphs = _article_text(rng, story["topic"], common, moment.day)
        article = Article.objects.create(
            outlet=outlets[probe % len(outlets)],
            original_title=paragraphs[0][:40],
            title=paragraphs[0][:40],
            language="ja",
            paragraphs=paragraphs,
            published_at=moment,
            site_published_at=moment,
            status=Article.Status.PUBLISHED,
            content_hash=f"probe-{probe}",
        )
        actors[article.pk] = story["actors"]
        started, started_cpu = time.perf_counter(), time.process_time()
        StoriesStage().run(article)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        membership = StoryMembership.objects.get(article=article)
        joined += membership.story.article_count > 1
    active = ranking.active_stories(end).count()
    return {
        "size": size,
        "build_s": round(built, 1),
        "median_ms": round(statistics.median(timings) * 1000, 2),
        "p90_ms": round(sorted(timings)[int(len(timings) * 0.9) - 1] * 1000, 2),
        "median_cpu_ms": round(statistics.median(cpu) * 1000, 2),
        "active_stories": active,
        "joined_existing": joined,
        "probes": probes,
    }


def labelled(hard: bool = False) -> dict:
    from bench import stories_eval

    result = stories_eval.evaluate(stories_eval.HARD if hard else stories_eval.LABELLED)
    keys = ["articles", "stories", "predicted_stories", "pairwise", "bcubed", "duplicates"]
    if hard:
        keys += ["storylines", "predicted_storylines", "storyline_pairwise", "storyline_bcubed", "undated"]
    return {key: result[key] for key in keys}


def child(args) -> None:
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-stories-") as workdir:
        _setup(Path(workdir))
        result = labelled(args.hard) if args.labelled else measure(args.size, args.probes)
        print(json.dumps(result, ensure_ascii=False))


def run_child(*extra: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", *extra], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--probes", type=int, default=40)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--labelled", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--hard", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    results = []
    for size in args.sizes:
        result = run_child("--size", str(size), "--probes", str(args.probes))
        results.append(result)
        print(
            f"corpus {size:>7,}: one article {result['median_ms']:.1f} ms median "
            f"({result['median_cpu_ms']:.1f} ms CPU; p90 {result['p90_ms']:.1f} ms; "
            f"{result['active_stories']} stories in the window; "
            f"{result['joined_existing']}/{result['probes']} joined a story; corpus built in {result['build_s']} s)"
        )
    if len(results) >= 2:
        ratio = results[-1]["median_ms"] / results[0]["median_ms"]
        verdict = "ok" if ratio <= 2 else "TOO SLOW"
        cpu_ratio = results[-1]["median_cpu_ms"] / results[0]["median_cpu_ms"]
        print(
            f"ratio {results[-1]['size']:,} / {results[0]['size']:,}: {ratio:.2f} (goal ≤ 2: {verdict}); "
            f"CPU {cpu_ratio:.2f} (wall time suffers from other work on a shared machine, CPU time less)"
        )
    score = run_child("--labelled")
    print(
        f"labelled set: {score['articles']} articles, {score['stories']} stories, {score['predicted_stories']} found; "
        f"pairwise F1 {score['pairwise']['f1']:.3f}, BCubed F1 {score['bcubed']['f1']:.3f}; "
        f"duplicates precision {score['duplicates']['precision']:.2f} recall {score['duplicates']['recall']:.2f}"
    )
    hard = run_child("--labelled", "--hard")
    print(
        f"hard set: {hard['articles']} articles ({hard['undated']} undated), {hard['stories']} stories, "
        f"{hard['predicted_stories']} found; pairwise F1 {hard['pairwise']['f1']:.3f}, "
        f"BCubed F1 {hard['bcubed']['f1']:.3f}; {hard['storylines']} storylines, "
        f"{hard['predicted_storylines']} found; pairwise F1 {hard['storyline_pairwise']['f1']:.3f}, "
        f"BCubed F1 {hard['storyline_bcubed']['f1']:.3f}"
    )


if __name__ == "__main__":
    main()
