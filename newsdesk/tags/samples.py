"""Sample tags for the demo, matching the sample articles in ``newsdesk/samples`` (all fictional)."""

from __future__ import annotations

from django.db import transaction

from newsdesk.articles.models import Article
from newsdesk.entities.models import Entity
from newsdesk.tags import service
from newsdesk.tags.models import Tag

# name, slug, description, keywords, slugs of linked entities (from the seeded gazetteer)
SAMPLE_TAGS = [
    (
        "半導体",
        "semiconductors",
        "半導体と、その材料・製造装置をめぐる海外メディアの記事。",
        ["半導体", "semiconductor", "フォトレジスト", "photoresist", "chipmaker"],
        [],
    ),
    (
        "日韓交流",
        "japan-korea",
        "航路、観光、自治体の協力など、日本と韓国を行き来する人と物の話題。",
        ["フェリー", "ferry", "日韓"],
        ["busan"],
    ),
    (
        "観光",
        "tourism",
        "訪日・訪台客や観光地の復興など、東アジアの観光の話題。",
        ["観光", "旅行者", "tourism", "tourist"],
        [],
    ),
    (
        "環境",
        "environment",
        "大気汚染、黄砂、越境汚染など、東アジアの環境問題。",
        ["大気汚染", "PM2.5", "黄砂", "air pollution"],
        [],
    ),
    (
        "資源・エネルギー",
        "energy",
        "石炭、天然ガス、原油など、東アジアの資源とその輸送をめぐる話題。",
        ["石炭", "coal", "天然ガス", "LNG", "原油"],
        [],
    ),
]


@transaction.atomic
def add_sample_tags() -> list[Tag]:
    """Creates the sample tags that are missing (by slug or name) and tags the sample articles
    already stored with them; returns those created."""
    created = []
    for name, slug, description, keywords, entity_slugs in SAMPLE_TAGS:
        if Tag.objects.filter(slug=slug).exists() or Tag.objects.filter(name=name).exists():
            continue
        tag = Tag.objects.create(
            name=name, slug=slug, description=description, keywords="\n".join(keywords), is_sample=True
        )
        tag.entities.set(Entity.objects.filter(slug__in=entity_slugs))
        created.append(tag)
    if created:
        service.retag(
            Article.objects.filter(is_sample=True), Tag.objects.filter(pk__in=[t.pk for t in created])
        )
    return created
