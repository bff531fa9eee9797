"""Entities, key figures and timeline events of articles: what other apps call.

Reading (for the article page, story pages, search):

* ``entities_of(article) -> list[tuple[Entity, int]]``: the gazetteer entities the article names,
  with how often, in order of first appearance.
* ``figures_of(article) -> list[Figure]``: its key figures in text order; each has ``text``
  (as written: 年間1400万発), ``value`` (Decimal or None), ``unit`` (発, ドル, %, ...) and ``sentence``.
* ``key_figures(article) -> list[dict]``: the same grouped by sentence, most telling first (the panel).
* ``events_of(article) -> list[Event]``: dated events, oldest first; each has ``date``,
  ``precision`` (day/month/year), ``label`` (2023年9月13日 / 2024年6月 / 2020年) and ``sentence``.
* ``entity_ids(article) -> set[int]``: the ids of the entities it names (for story clustering).
* ``mentions_by_article``, ``figures_by_article``, ``events_by_article`` (articles): the same as
  ``entities_of``, ``figures_of`` and ``events_of`` for many articles in one query each, by
  article id (a story page reads them for all its articles).
* ``articles_of(entity, walk)``: the published articles naming an entity, newest first.

Writing:

* ``process(article)``: extracts all of the above from ``article.japanese_paragraphs`` and replaces
  the article's rows (the "entities" pipeline stage; running it again gives the same rows).
* ``approve(candidates)`` / ``reject(candidates)``: the editors' review of proper nouns the gazetteer
  did not know. Approving makes (or finds) the entity and links the articles that named it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.core.remembered import Remembered
from newsdesk.entities.figures import find_dates, find_figures, salience, sentence_at, sentences_with_offsets
from newsdesk.entities.models import Alias, Candidate, CandidateMention, Entity, Event, Figure, Kind, Mention
from newsdesk.entities.names import Gazetteer, article_entities
from newsdesk.japanese.dates import ERA_PATTERN, JST
from newsdesk.japanese.normalize import nfkc_with_offsets

# A place's alias that is its name less the level (福岡 of 福岡県, 大阪 of 大阪府) names the city as
# often as the prefecture: the matcher leaves it to the tokenizer, which keeps it as written.
_PLACE_LEVELS = ("県", "府", "都", "道", "省", "州")


def gazetteer() -> Gazetteer:
    """The matcher for every entity name and alias, made from the rows now (``known_names`` keeps one)."""
    names = list(Entity.objects.values_list("pk", "name"))
    places = {
        pk: name for pk, name, kind in Entity.objects.values_list("pk", "name", "kind") if kind == Kind.PLACE
    }
    for entity_id, alias in Alias.objects.values_list("entity_id", "name"):
        place = places.get(entity_id)
        if place and place.endswith(_PLACE_LEVELS) and place[:-1] == alias:
            continue
        names.append((entity_id, alias))
    return Gazetteer(names)


_WRITTEN_YEAR = re.compile(rf"(?:19|20)\d{{2}}|(?:{ERA_PATTERN})")


def kinds() -> dict[int, str]:
    return dict(Entity.objects.values_list("pk", "kind"))


def reference_date(article: Article) -> dt.date:
    """The article's own date in Japan time: a year-less date in its text is read against it."""
    moment = article.published_at or article.site_published_at or article.created_at or timezone.now()
    return timezone.localtime(moment, JST).date() if timezone.is_aware(moment) else moment.date()


_known_names = Remembered("entities:names")


def known_names() -> tuple[Gazetteer, dict[int, str]]:
    """``gazetteer()`` and ``kinds()``, made once per process and again after an entity or alias
    changes (newsdesk.core.remembered): making the matcher from every name took ~8 ms an article."""
    return _known_names.lookup("matcher", lambda: (gazetteer(), kinds()), keep=lambda _: True)


def connect() -> None:
    """Every process's saves and deletions of entities and aliases move the names' number
    (EntitiesConfig.ready)."""
    for model in (Entity, Alias):
        for signal in (post_save, post_delete):
            signal.connect(
                _known_names.changed,
                sender=model,
                weak=False,
                dispatch_uid=f"entities.names.{model.__name__}",
            )


def process(article: Article, paragraphs: list[str] | None = None) -> None:
    """Finds entities, candidates, figures and events in the article and replaces its rows."""
    paragraphs = article.japanese_paragraphs if paragraphs is None else paragraphs
    matcher, entity_kinds = known_names()
    found = article_entities(paragraphs, matcher, entity_kinds)
    rejected = set(Candidate.objects.filter(status=Candidate.Status.REJECTED).values_list("name", flat=True))
    reference = reference_date(article)

    mentions: Counter[int] = Counter()
    first: dict[int, int] = {}
    found_candidates: Counter[str] = Counter()
    candidate_kind: dict[str, str] = {}
    candidate_first: dict[str, int] = {}
    figures: list[Figure] = []
    events: list[Event] = []
    seen_events: set[tuple] = set()
    offset = 0  # position in the whole text, for ordering
    context_year = None
    for number, paragraph in enumerate(paragraphs):
        sentences = sentences_with_offsets(paragraph)
        for _, entity in (item for item in found if item[0] == number):
            if entity.entity is not None:
                mentions[entity.entity] += 1
                first.setdefault(entity.entity, offset + entity.begin)
                continue
            name = entity.name
            if name in rejected:
                continue
            found_candidates[name] += 1
            candidate_kind.setdefault(name, entity.kind)
            candidate_first.setdefault(name, offset + entity.begin)
        for match in find_figures(paragraph):
            figures.append(
                Figure(
                    article=article,
                    text=match.text[:100],
                    value=match.value,
                    unit=match.unit,
                    sentence=sentence_at(sentences, match.begin, paragraph),
                    paragraph=number,
                    position=len(figures),
                )
            )
        dates = find_dates(paragraph, reference, context_year)
        for when in dates:
            sentence = sentence_at(sentences, when.begin, paragraph)
            key = (when.date, when.precision, sentence)
            if key in seen_events:
                continue
            seen_events.add(key)
            events.append(
                Event(
                    article=article,
                    date=when.date,
                    precision=when.precision,
                    text=when.text[:50],
                    sentence=sentence,
                    paragraph=number,
                    position=offset + when.begin,
                )
            )
        # 同年 refers to a year written out (2019年, 令和元年), not to 昨年 or 先週.
        years = [m.date.year for m in dates if _WRITTEN_YEAR.match(nfkc_with_offsets(m.text)[0])]
        context_year = years[-1] if years else context_year
        offset += len(paragraph) + 1

    with transaction.atomic():
        Mention.objects.filter(article=article).delete()
        CandidateMention.objects.filter(article=article).delete()
        Figure.objects.filter(article=article).delete()
        Event.objects.filter(article=article).delete()
        Mention.objects.bulk_create(
            Mention(article=article, entity_id=key, count=count, first_position=first[key])
            for key, count in mentions.items()
        )
        # A fixed number of queries whatever the number of new names (another worker may add one too).
        Candidate.objects.bulk_create(
            [Candidate(name=name, kind=candidate_kind[name]) for name in found_candidates],
            ignore_conflicts=True,
        )
        known = {c.name: c for c in Candidate.objects.filter(name__in=list(found_candidates))}
        CandidateMention.objects.bulk_create(
            CandidateMention(
                article=article, candidate=known[name], count=count, first_position=candidate_first[name]
            )
            for name, count in found_candidates.items()
            if known[name].status == Candidate.Status.PENDING
        )
        Figure.objects.bulk_create(figures)
        Event.objects.bulk_create(events)


# Reading


def _by_article(rows) -> dict:
    found: dict = {}
    for row in rows:
        found.setdefault(row.article_id, []).append(row)
    return found


def mentions_by_article(articles) -> dict[int, list[Mention]]:
    rows = Mention.objects.filter(article__in=[a.pk for a in articles]).select_related("entity")
    return _by_article(rows.order_by("article_id", "first_position"))


def figures_by_article(articles) -> dict[int, list[Figure]]:
    return _by_article(
        Figure.objects.filter(article__in=[a.pk for a in articles]).order_by("article_id", "position")
    )


def events_by_article(articles) -> dict[int, list[Event]]:
    rows = Event.objects.filter(article__in=[a.pk for a in articles])
    return _by_article(rows.order_by("article_id", "date", "position"))


def entities_of(article: Article) -> list[tuple[Entity, int]]:
    return [(row.entity, row.count) for row in mentions_by_article([article]).get(article.pk, [])]


def figures_of(article: Article) -> list[Figure]:
    return figures_by_article([article]).get(article.pk, [])


def key_figures(article: Article, limit: int | None = None) -> list[dict]:
    """The article's figures for readers, grouped by sentence (each sentence once), most telling
    first: {sentence, figures}. Money, totals, people and shares lead; ordinals, schedules and
    durations (2隻目, 週5日, 1時間) come last, so a short panel leaves them out."""
    groups: dict[str, dict] = {}
    for figure in figures_of(article):
        rank = (salience(figure.text, figure.unit, figure.value), figure.position)
        group = groups.setdefault(figure.sentence, {"sentence": figure.sentence, "figures": [], "rank": rank})
        group["figures"].append(figure)
        group["rank"] = min(group["rank"], rank)
    ordered = sorted(groups.values(), key=lambda group: group["rank"])
    for group in ordered:
        group["figures"].sort(key=lambda f: (salience(f.text, f.unit, f.value), f.position))
    return ordered[:limit] if limit is not None else ordered


def events_of(article: Article) -> list[Event]:
    return events_by_article([article]).get(article.pk, [])


def entity_ids(article: Article) -> set[int]:
    return set(Mention.objects.filter(article=article).values_list("entity_id", flat=True))


def articles_of(entity: Entity, walk: bool = False):
    """``walk``: found by walking the newest articles, each checked, which costs less than
    reading and sorting every article of an entity named in a good share of them."""
    articles = (
        Article.objects.published().select_related("outlet").order_by("-site_published_at", "-created_at")
    )
    if walk:
        return articles.filter(Exists(Mention.objects.filter(article=OuterRef("pk"), entity=entity)))
    return articles.filter(entity_mentions__entity=entity)


# The editors' review


def candidate_sentence(candidate: Candidate) -> str:
    """The sentence a pending candidate first appears in (its first article), for the review."""
    row = CandidateMention.objects.filter(candidate=candidate).select_related("article").first()
    if row is None:
        return ""
    offset = 0
    for paragraph in row.article.japanese_paragraphs:
        if offset <= row.first_position <= offset + len(paragraph):
            return sentence_at(sentences_with_offsets(paragraph), row.first_position - offset, paragraph)
        offset += len(paragraph) + 1
    return ""


def _existing_entity(name: str) -> Entity | None:
    norm = nfkc_with_offsets(name)[0]
    entity = Entity.objects.filter(name__in={name, norm}).first()
    if entity is None:
        alias = Alias.objects.filter(name__in={name, norm}).select_related("entity").first()
        entity = alias.entity if alias else None
    return entity


@transaction.atomic
def approve(candidates) -> list[Entity]:
    """Adds each pending candidate to the gazetteer (or to the entity of that name) and links the
    articles that named it, without running their stage again."""
    entities = []
    for candidate in candidates:
        if candidate.status == Candidate.Status.APPROVED and candidate.entity_id:
            continue
        entity = _existing_entity(candidate.name) or Entity.objects.create(
            name=candidate.name, kind=candidate.kind
        )
        for row in CandidateMention.objects.filter(candidate=candidate):
            mention, created = Mention.objects.get_or_create(
                article_id=row.article_id,
                entity=entity,
                defaults={"count": row.count, "first_position": row.first_position},
            )
            if not created:
                Mention.objects.filter(pk=mention.pk).update(count=F("count") + row.count)
        _reviewed(candidate, Candidate.Status.APPROVED, entity)
        entities.append(entity)
    return entities


def _reviewed(candidate, status, entity) -> None:
    """The review is done: its recorded mentions go, the decision and its time stay."""
    CandidateMention.objects.filter(candidate=candidate).delete()
    candidate.status, candidate.entity, candidate.reviewed_at = status, entity, timezone.now()
    candidate.save(update_fields=["status", "entity", "reviewed_at"])


@transaction.atomic
def reject(candidates) -> int:
    """Marks candidates rejected: the stage no longer proposes them."""
    count = 0
    for candidate in candidates:
        _reviewed(candidate, Candidate.Status.REJECTED, None)
        count += 1
    return count
