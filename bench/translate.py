"""Machine translation throughput against a local OpenAI-compatible server that answers in 200 ms.

50 English articles of 20 paragraphs (plus headline, lead and caption) go through the translate
stage one after another, as `newsdesk translate --all-pending` does. Printed beside the wall time:
the sequential time (one paragraph per request, one request at a time: paragraphs x 200 ms), the
requests sent, and the most requests the server saw in any one second (the backend's rate limit,
NEWSDESK_TRANSLATION_RATE_LIMIT, must hold).

    .venv/bin/python bench/translate.py [--articles 50] [--paragraphs 20] [--delay 0.2] [--workers 1]

``--workers N`` runs N articles at a time, as N queue worker threads would, under the same limiter.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEXT = (
    "officials said the ferry route between the two ports would resume next month after a long pause "
    "while the operator expects more passengers from both countries and the city plans new services "
    "for travellers arriving at the renovated terminal during the busy summer season"
)
WORDS = TEXT.split()


def paragraph(article: int, number: int) -> str:
    """About 250 characters of English, different for every article and paragraph (no memory hits)."""
    words = [WORDS[(article * 7 + number * 3 + i) % len(WORDS)] for i in range(40)]
    return f"In report {article}-{number}, " + " ".join(words).capitalize() + "."


def serve(conn, delay: float) -> None:
    """The fake server in its own process, so its clock is not held up by the client's threads."""
    from tests.translation_servers import OpenAIServer

    server = OpenAIServer(delay=delay).start()
    conn.send(server.base)
    conn.recv()  # stop
    server.stop()
    conn.send((server.count, server.max_per_second()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--paragraphs", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.2, help="seconds the server takes per request")
    parser.add_argument("--workers", type=int, default=1, help="articles translated at a time")
    args = parser.parse_args()

    import multiprocessing

    conn, child = multiprocessing.Pipe()
    process = multiprocessing.Process(target=serve, args=(child, args.delay), daemon=True)
    process.start()
    base = conn.recv()
    data_dir = tempfile.mkdtemp(prefix="newsdesk-bench-translate-")
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    os.environ.update(
        {
            "NEWSDESK_DATA_DIR": data_dir,
            "NEWSDESK_QUEUE_URL": "immediate",
            "NEWSDESK_TRANSLATOR": "openai",
            "NEWSDESK_OPENAI_BASE_URL": base + "/v1",
            "NEWSDESK_OPENAI_MODEL": "bench-model",
            "NEWSDESK_OPENAI_API_KEY": "local",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from newsdesk.articles.models import Article, PipelineStage
    from newsdesk.pipeline import runner
    from newsdesk.sources.models import Outlet
    from newsdesk.translation.backends import get_backend

    call_command("migrate", verbosity=0)
    outlet = Outlet.objects.create(name="Bench Wire", domain="bench.example", language="en")
    articles = []
    for n in range(args.articles):
        article = Article.objects.create(
            outlet=outlet,
            url=f"https://bench.example/{n}",
            original_title=f"Ferry route {n} to resume after a long pause",
            lead=f"The operator of route {n} announced the plan on Wednesday.",
            caption=f"A ferry of route {n} enters the port.",
            language="en",
            paragraphs=[paragraph(n, i) for i in range(args.paragraphs)],
            content_hash=f"bench-{n}",
        )
        for name in ("extract", "language"):
            PipelineStage.objects.create(article=article, name=name, state=PipelineStage.State.DONE)
        articles.append(article)
    get_backend()  # the client is made once per process, not per article
    config = settings.NEWSDESK

    def translate(article) -> str:
        try:
            return runner.run_stage(article, "translate")
        finally:
            if args.workers > 1:
                connection.close()

    started = time.monotonic()
    if args.workers > 1:
        with ThreadPoolExecutor(args.workers) as pool:
            states = list(pool.map(translate, articles))
    else:
        states = [translate(article) for article in articles]
    wall = time.monotonic() - started
    conn.send("stop")
    count, max_per_second = conn.recv()
    process.join()

    paragraphs = args.articles * args.paragraphs
    sequential = paragraphs * args.delay
    segments = args.articles * (args.paragraphs + 3)
    done = sum(state == PipelineStage.State.DONE for state in states)
    aligned = all(
        len(a.translation) == len(a.paragraphs)
        for a in Article.objects.filter(pk__in=[a.pk for a in articles])
    )
    print(
        f"articles                 {args.articles} x {args.paragraphs} paragraphs, {done} translated, aligned={aligned}"
    )
    print(
        f"settings                 concurrency={config['TRANSLATION_CONCURRENCY']} "
        f"rate_limit={config['TRANSLATION_RATE_LIMIT']:g}/s batch_chars={config['TRANSLATION_BATCH_CHARS']} "
        f"workers={args.workers}"
    )
    print(f"server delay             {args.delay * 1000:.0f} ms per request")
    print(f"requests sent            {count} ({segments} segments incl. headline/lead/caption)")
    print(f"max requests in 1 s      {max_per_second} (limit {config['TRANSLATION_RATE_LIMIT']:g})")
    print(f"sequential (paragraphs)  {sequential:.1f} s  ({paragraphs} x {args.delay * 1000:.0f} ms)")
    print(f"wall time                {wall:.1f} s")
    print(f"speed-up                 {sequential / wall:.1f}x")
    if done != args.articles or not aligned:
        sys.exit(1)


if __name__ == "__main__":
    main()
