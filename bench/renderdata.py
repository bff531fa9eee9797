"""A synthetic archive for bench/render.py: ``fill(size)`` bulk-writes ``size`` published articles
with what the pipeline and readers leave beside them.

Articles arrive at ``PER_DAY`` a day up to now, so 100,000 span about three years where 1,000
span ten days, and the last week (what the rankings read) holds as many in both. Each article has
a story (half of them alone in theirs; a few stories run to dozens of articles, and copies of a
wire story at other outlets are marked as such), 3-8 entity mentions drawn so that a handful of
countries are named in a third of all articles, a few key figures and dated events, 0-3 tags,
a stored lead image on half of them, comments on one in twenty, and page views in the ranking
window. ``fixed`` objects are the same in both sizes (a story of ``BIG_STORY`` articles, a
storyline of ``LINE_STORIES`` stories, a thread of ``BIG_THREAD`` comments), so the pages the
bench measures show as much at 1,000 as at 100,000 and only what they look past grows.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

PER_DAY = 100
OUTLETS = 40
ENTITIES = 2000
TAGS = 30
BIG_STORY = 60
LINE_STORIES = 12
BIG_THREAD = 300
KANJI = "政府首相大統領会談合意発表経済金融市場輸出輸入関税軍事演習防衛安全保障選挙議会法案外交協議首脳訪問制裁核実験台風地震被害避難半導体工場投資企業株価為替"
KATAKANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
# The first entities of the gazetteer (日本, 中国, 韓国 ...) are named in a third of the articles.
COUNTRIES = 8
RARE_ENTITY = 450


def _words(rng: random.Random, count: int) -> str:
    parts = []
    for _ in range(count):
        alphabet = KANJI if rng.random() < 0.6 else KATAKANA
        parts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(2, 4))))
        parts.append(rng.choice("はがをにでと、の"))
    return "".join(parts) + "。"


def _story_sizes(rng: random.Random, size: int) -> list[int]:
    """Sizes of the stories, in order of their first article, summing to ``size``."""
    sizes, left = [BIG_STORY], size - BIG_STORY
    while left > 0:
        roll = rng.random()
        story = 1 if roll < 0.5 else rng.randint(2, 5) if roll < 0.85 else rng.randint(6, 25)
        sizes.append(min(story, left))
        left -= sizes[-1]
    rng.shuffle(sizes)
    return sizes


def _story_of_each(rng: random.Random, size: int) -> list[int]:
    """The story number of each article, oldest first; a story's articles lie within a few days."""
    labels = [number for number, count in enumerate(_story_sizes(rng, size)) for _ in range(count)]
    window = 3 * PER_DAY
    for start in range(0, size, window):
        chunk = labels[start : start + window]
        rng.shuffle(chunk)
        labels[start : start + window] = chunk
    return labels


def fill(size: int, seed: int = 13) -> dict:
    """Writes the archive; returns the ids of what the bench asks for (see ``fixed``)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from newsdesk.articles.models import Article, ArticleViews
    from newsdesk.comments.models import Comment, Thread
    from newsdesk.editorial.models import Correction
    from newsdesk.entities.models import Entity, Event, Figure, Mention
    from newsdesk.images.models import ArticleImage
    from newsdesk.sources.models import Outlet
    from newsdesk.stories.models import Story, Storyline, StoryMembership
    from newsdesk.tags.models import ArticleTag, Tag

    rng = random.Random(seed)
    now = timezone.now()
    pool = [_words(rng, rng.randint(8, 14)) for _ in range(400)]
    english = [f"Paragraph {n} of the original report, with the details and quotes." * 2 for n in range(50)]
    with transaction.atomic():
        policies = ["full"] * 6 + ["summary"] * 3 + ["link"]
        outlets = Outlet.objects.bulk_create(
            Outlet(
                name=f"媒体{n}",
                name_en=f"Outlet {n}",
                domain=f"outlet{n}.example",
                language="en",
                reuse_policy=policies[n % len(policies)],
                policy_reviewed=True,
            )
            for n in range(OUTLETS)
        )
        # The gazetteer the migrations load (countries first), then people to make ENTITIES.
        entities = list(Entity.objects.order_by("pk"))
        entities += Entity.objects.bulk_create(
            Entity(name=f"人物{n}", kind="person", slug=f"person-{n}" if n % 3 == 0 else "")
            for n in range(ENTITIES - len(entities))
        )
        tags = Tag.objects.bulk_create(
            Tag(name=f"話題{n}", slug=f"topic-{n}", keywords=f"語{n}") for n in range(TAGS)
        )
        Tag.entities.through.objects.bulk_create(
            Tag.entities.through(tag=tag, entity=entities[n]) for n, tag in enumerate(tags[:8])
        )
        labels = _story_of_each(rng, size)
        step = dt.timedelta(days=1) / PER_DAY
        articles = Article.objects.bulk_create(
            (
                Article(
                    outlet=outlets[rng.randrange(OUTLETS)],
                    url=f"https://outlet.example/news/{n}",
                    original_title=f"Original headline {n}",
                    title=f"{pool[n % 400][:30]}{n}",
                    lead=english[n % 50],
                    lead_ja=pool[(n + 1) % 400],
                    language="en",
                    paragraphs=[english[(n + k) % 50] for k in range(8)],
                    translation=[pool[(n * 7 + k) % 400] for k in range(8)],
                    summary=[pool[(n * 3 + k) % 400] for k in range(3)],
                    image_url=f"https://outlet.example/img/{n}.jpg" if n % 2 else "",
                    published_at=now - (size - n) * step - dt.timedelta(hours=2),
                    site_published_at=now - (size - n) * step,
                    status=Article.Status.PUBLISHED,
                    content_hash=f"render-{n}",
                    picked_at=now - (size - n) * step if n > size - 300 and n % 25 == 0 else None,
                )
                for n in range(size)
            ),
            batch_size=2000,
        )
        members: dict[int, list[Article]] = {}
        for article, label in zip(articles, labels, strict=True):
            members.setdefault(label, []).append(article)
        story_numbers = sorted(members, key=lambda label: members[label][0].pk)
        # Storylines of LINE_STORIES stories each, a few running side by side, so each spans weeks.
        big_stories = [label for label in story_numbers if len(members[label]) >= 3]
        chosen = [label for label in big_stories if rng.random() < 0.3]
        chosen = chosen if len(chosen) >= LINE_STORIES else big_stories
        side_by_side = max(1, min(20, len(chosen) // LINE_STORIES))
        number_of = {
            label: k // (LINE_STORIES * side_by_side) * side_by_side + k % side_by_side
            for k, label in enumerate(chosen)
        }
        spans: dict[int, list] = {}
        for label, number in number_of.items():
            spans.setdefault(number, []).extend(a.site_published_at for a in members[label])
        lines = Storyline.objects.bulk_create(
            Storyline(title=f"ストーリーライン{n}", first_seen=min(spans[n]), last_seen=max(spans[n]))
            for n in range(len(spans))
        )
        line_of = {label: lines[number] for label, number in number_of.items()}
        stories = Story.objects.bulk_create(
            (
                Story(
                    title=members[label][0].title,
                    first_seen=members[label][0].site_published_at,
                    last_seen=members[label][-1].site_published_at,
                    article_count=len(members[label]),
                    storyline=line_of.get(label),
                )
                for label in story_numbers
            ),
            batch_size=2000,
        )
        story_rows = dict(zip(story_numbers, stories, strict=True))
        memberships = []
        for label, group in members.items():
            for position, article in enumerate(group):
                copy = position > 0 and rng.random() < 0.1 and group[0].outlet_id != article.outlet_id
                memberships.append(
                    StoryMembership(
                        article=article,
                        story=story_rows[label],
                        duplicate_of=group[0] if copy else None,
                        related_story_ids=[s.pk for s in rng.sample(stories, 3)] if position == 0 else [],
                    )
                )
        StoryMembership.objects.bulk_create(memberships, batch_size=5000)
        # Each country in about a third of the articles; the others from about 4% (the ninth)
        # down to 1 in 5,000 (a Zipf tail).
        weights = list(itertools.accumulate(0.87 if n < COUNTRIES else 1 / (n + 1) for n in range(ENTITIES)))
        Mention.objects.bulk_create(
            (
                Mention(
                    article=article, entity=entities[index], count=rng.randint(1, 5), first_position=position
                )
                for article in articles
                for position, index in enumerate(
                    sorted(set(rng.choices(range(ENTITIES), cum_weights=weights, k=rng.randint(3, 8))))
                )
            ),
            batch_size=5000,
        )
        Figure.objects.bulk_create(
            (
                Figure(article=a, text=f"{v}人", value=v, unit="人", sentence=pool[v % 400], position=k)
                for a in articles
                for k, v in enumerate(rng.choices(range(1, 200), k=rng.randint(0, 4)))
            ),
            batch_size=5000,
        )
        Event.objects.bulk_create(
            (
                Event(
                    article=article,
                    date=article.site_published_at.date() - dt.timedelta(days=k),
                    precision="day",
                    text=f"{k}日",
                    sentence=pool[(article.pk + k) % 400],
                    position=k,
                )
                for article in articles
                for k in range(rng.randint(0, 3))
            ),
            batch_size=5000,
        )
        tag_weights = list(itertools.accumulate(1 / (n + 1) for n in range(TAGS)))
        ArticleTag.objects.bulk_create(
            (
                ArticleTag(article=article, tag=tags[index], source="auto")
                for article in articles
                for index in set(rng.choices(range(TAGS), cum_weights=tag_weights, k=rng.randint(0, 3)))
            ),
            batch_size=5000,
        )
        ArticleImage.objects.bulk_create(
            (
                ArticleImage(
                    article=article,
                    source_url=article.image_url,
                    width=960,
                    height=540,
                    page_file=f"images/{article.pk}/page-a.jpg",
                    thumbnail_file=f"images/{article.pk}/thumb-a.jpg",
                )
                for article in articles
                if article.image_url
            ),
            batch_size=5000,
        )
        Correction.objects.bulk_create(
            Correction(article=article, kind="correction", note="数字を訂正しました。", created_at=now)
            for article in articles[::200]
        )
        big_thread = articles[-50]
        threads = {big_thread.pk: BIG_THREAD}
        threads.update(
            {article.pk: rng.randint(1, 20) for article in articles[::20] if article.pk != big_thread.pk}
        )
        Thread.objects.bulk_create(Thread(article_id=pk, last_number=count) for pk, count in threads.items())
        Comment.objects.bulk_create(
            (
                Comment(
                    article_id=pk,
                    number=number,
                    body=pool[number % 400],
                    body_html=f"<p>{pool[number % 400]}</p>",
                    id_tag=f"id{number % 7}",
                    status="visible" if number % 17 else "deleted",
                    empathy=number % 5,
                )
                for pk, count in threads.items()
                for number in range(1, count + 1)
            ),
            batch_size=5000,
        )
        ranked = [article for article in articles if article.site_published_at > now - dt.timedelta(days=7)]
        today = timezone.localdate(now)
        ArticleViews.objects.bulk_create(
            (
                ArticleViews(article=a, day=today - dt.timedelta(days=day), views=rng.randint(1, 500))
                for a in ranked
                for day in range(rng.randint(1, 2))
            ),
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    big = max(members, key=lambda label: len(members[label]))  # BIG_STORY: every other is smaller
    return {
        "big_story": story_rows[big].pk,
        "storyline": lines[0].pk,
        "in_big_story": members[big][BIG_STORY // 2].pk,
        "big_thread": big_thread.pk,
        "recent": articles[-3].pk,
        "older": articles[size // 2].pk,
        "with_comments": articles[-20].pk,
        "outlet": outlets[1].domain,
        "entity": entities[0].slug,
        # Named in about 1 article in 1,000 (none at all in the small archive, perhaps).
        "rare_entity": entities[RARE_ENTITY].slug or str(entities[RARE_ENTITY].pk),
        "tag": tags[0].slug,
    }
