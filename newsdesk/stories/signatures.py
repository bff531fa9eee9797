"""What of an article is compared, and the statistics stored for comparing it.

An article's signature holds its MinHash (for copies), the LSH band keys derived from it, and its
hashed character n-gram vector (for stories). Document frequencies of terms and entities are kept in
the database (TermStat), so weighting one article's vector costs one indexed lookup of its own terms.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.entities.figures import find_dates
from newsdesk.japanese.normalize import normalize
from newsdesk.stories import vectors
from newsdesk.stories.models import ArticleSignature, DuplicateBand, TermStat

CHUNK = 500  # terms per query (SQLite's variable limit)


def article_time(article: Article) -> dt.datetime:
    return article.published_at or article.created_at


def headline(article: Article) -> str:
    return article.title or article.original_title or ""


# A day of the month alone (7日、 7日夜 4日未明), as a news lead gives the day of its event; not 3日間,
# 週5日, 1日あたり or the 13日 of 9月13日 (find_dates reads whole dates).
_BARE_DAY = re.compile(r"(?<![0-9年月週毎約第数～~-])([0-9]{1,2})日(?=[、,夜朝未午深夕昼にのま])")


def event_day(article: Article) -> dt.date | None:
    """The day of the event the article reports: the latest day named in its lead (the first paragraph
    of its Japanese text) that is not after the article's own day (a later one is a schedule, 8月1日から).

    A lead names its event's day (「北朝鮮は7日、…」; in a translation, 7日 for "on Tuesday"), and
    background before it (5月31日に続き). None when the lead names no day. Read against the day the
    article was published, or we got it when it has no date.
    """
    paragraphs = [p for p in article.japanese_paragraphs or [] if isinstance(p, str) and p.strip()]
    if not paragraphs:
        return None
    moment = article_time(article)
    if moment is None:
        return None
    own = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    lead = paragraphs[0]
    days = [match.date for match in find_dates(lead, own) if match.precision == "day"]
    for match in _BARE_DAY.finditer(normalize(lead)):
        day = int(match.group(1))
        month_start = own.replace(day=1) if day <= own.day else (own.replace(day=1) - dt.timedelta(days=1))
        try:
            days.append(month_start.replace(day=day))
        except ValueError:
            continue
    days = [day for day in days if day <= own]
    return max(days) if days else None


def texts(article: Article) -> tuple[str, str]:
    """(Japanese text compared for stories, text compared for copies)."""
    japanese = "\n".join(p for p in article.japanese_paragraphs or [] if isinstance(p, str))
    story_text = "\n".join([headline(article), headline(article), japanese])  # the headline counts twice
    copy_text = "\n".join(p for p in article.paragraphs or [] if isinstance(p, str)) or japanese
    return story_text, copy_text


def _count_terms(ids: Iterable[int], entity_ids: Iterable[int], delta: int) -> None:
    """Adds ``delta`` to the document frequency of each term and entity, and to the document count."""
    table = connection.ops.quote_name(TermStat._meta.db_table)
    features = {int(i) for i in ids} | {vectors.entity_feature(e) for e in entity_ids} | {vectors.DOC_COUNT}
    terms = sorted(features)  # one order for every writer: no deadlocks
    with connection.cursor() as cursor:
        for start in range(0, len(terms), CHUNK):
            chunk = terms[start : start + CHUNK]
            rows = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (feature, df) VALUES {rows} "
                f"ON CONFLICT (feature) DO UPDATE SET df = {table}.df + excluded.df",
                [value for term in chunk for value in (term, delta)],
            )


def _frequencies(features: list[int]) -> tuple[dict[int, int], int]:
    found: dict[int, int] = {}
    for start in range(0, len(features), CHUNK):
        chunk = features[start : start + CHUNK]
        found.update(TermStat.objects.filter(feature__in=chunk).values_list("feature", "df"))
    documents = TermStat.objects.filter(feature=vectors.DOC_COUNT).values_list("df", flat=True).first() or 0
    return found, max(documents, 1)


def idf_for(ids: np.ndarray) -> np.ndarray:
    wanted = [int(i) for i in ids]
    found, documents = _frequencies(wanted)
    return vectors.idf(np.array([found.get(i, 0) for i in wanted], dtype=np.float32), documents)


def entity_weights(entity_ids: Iterable[int]) -> dict[int, float]:
    """IDF of each entity: one named by every article (中国, 日本) weighs little."""
    wanted = sorted({int(e) for e in entity_ids})
    found, documents = _frequencies([vectors.entity_feature(e) for e in wanted])
    df = np.array([found.get(vectors.entity_feature(e), 0) for e in wanted], dtype=np.float32)
    return dict(zip(wanted, vectors.idf(df, documents).tolist(), strict=True))


def weighted_vector(signature: ArticleSignature) -> tuple[np.ndarray, np.ndarray]:
    """The article's TF-IDF vector under the current document frequencies."""
    ids, weights = vectors.unpack(signature.vector)
    return ids, vectors.weigh(weights, idf_for(ids))


def store_signature(article: Article, entity_ids: list[int], signature: ArticleSignature | None = None):
    """Computes and stores the article's signature, band keys and term counts (replacing old ones)."""
    story_text, copy_text = texts(article)
    fingerprint = vectors.fingerprint(story_text, copy_text, json.dumps(entity_ids))
    values, shingle_count = vectors.minhash(copy_text)
    ids, weights = vectors.term_vector(story_text)
    if signature is not None:
        _count_terms(vectors.unpack(signature.vector)[0], signature.entity_ids, -1)
        DuplicateBand.objects.filter(article=article).delete()
    else:
        signature = ArticleSignature(article=article)
    signature.fingerprint = fingerprint
    signature.minhash = vectors.minhash_bytes(values)
    signature.shingle_count = shingle_count
    signature.vector = vectors.pack(ids, weights)
    signature.entity_ids = entity_ids
    signature.seen_at = article_time(article)
    signature.save()
    _count_terms(ids, entity_ids, 1)
    if values is not None:
        DuplicateBand.objects.bulk_create(
            DuplicateBand(article=article, band=band, key=key) for band, key in vectors.band_keys(values)
        )
    return signature


def rebuild_index() -> int:
    """Recomputes every LSH band key and the document frequencies from the stored signatures."""
    with transaction.atomic():
        DuplicateBand.objects.all().delete()
        TermStat.objects.all().delete()
        counts: dict[int, int] = {}
        documents = 0
        bands = []
        for pk, values, vector in ArticleSignature.objects.values_list(
            "article_id", "minhash", "vector"
        ).iterator(chunk_size=2000):
            documents += 1
            for term in vectors.unpack(vector)[0]:
                counts[int(term)] = counts.get(int(term), 0) + 1
            signature = vectors.minhash_from_bytes(values)
            if signature is not None:
                bands.extend(
                    DuplicateBand(article_id=pk, band=band, key=key)
                    for band, key in vectors.band_keys(signature)
                )
        DuplicateBand.objects.bulk_create(bands, batch_size=2000)
        counts[vectors.DOC_COUNT] = documents
        TermStat.objects.bulk_create((TermStat(feature=f, df=n) for f, n in counts.items()), batch_size=2000)
    return documents
