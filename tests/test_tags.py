"""Topic tags: automatic tagging, editors' say, tag pages, feeds, sitemap, admin, export, samples."""

from __future__ import annotations

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.entities.models import Entity, Kind, Mention
from newsdesk.stories.models import Story, StoryMembership
from newsdesk.tags import service
from newsdesk.tags.matching import Matcher
from newsdesk.tags.models import ArticleTag, Tag
from tests.ingest_inputs import html_page, ja_text

pytestmark = pytest.mark.django_db

HOSTILE = 'ソウル & 東京 </script><script>alert(1)</script> "速報"'
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
Source = ArticleTag.Source


def site(path: str) -> str:
    return settings.NEWSDESK["SITE_URL"] + path


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def sources(article) -> dict[str, str]:
    """The article's links: tag name -> source."""
    return dict(ArticleTag.objects.filter(article=article).values_list("tag__name", "source"))


def make_tag(name="半導体", slug="semiconductors", keywords=("半導体", "semiconductor"), **fields) -> Tag:
    return Tag.objects.create(name=name, slug=slug, keywords="\n".join(keywords), **fields)


# Matching


def matches(keywords: list[str], text: str) -> bool:
    return Matcher({1: keywords}, {}).match(text) == {1}


@pytest.mark.parametrize(
    "keywords, text",
    [
        (["半導体"], "韓国の半導体輸出が伸びた。"),
        (["PM2.5"], "ＰＭ２．５の濃度が上がった。"),  # full-width text, half-width keyword
        (["ＰＭ２．５"], "PM2.5の濃度"),  # and the other way round
        (["semiconductor"], "Semiconductor exports rose."),
        (["SEMICONDUCTOR"], "a new semiconductor plant"),
        (["semiconductor"], "Korean semiconductors are in demand."),  # the English plural
        (["air pollution"], "Air\npollution in the region"),
        (["ｶﾞｽ"], "天然ガスの輸入"),  # half-width katakana with its voiced mark
        (["タイ"], "タイ政府は声明を出した。"),
        (["AI"], "AIの規制"),
    ],
)
def test_keywords_match_after_nfkc_and_case_folding(keywords, text):
    assert matches(keywords, text)


@pytest.mark.parametrize(
    "keywords, text",
    [
        (["タイ"], "タイミングが悪かった。"),  # katakana does not match inside a katakana word
        (["AI"], "He said the aid was late."),  # nor Latin inside a word
        (["ferry"], "Ferrymen went on strike."),
        (["G7"], "G77 met."),
        (["半導体"], "関係のない記事"),
        ([" ", ""], "空のキーワードは何にも一致しない"),
    ],
)
def test_keywords_do_not_match_inside_other_words(keywords, text):
    assert not matches(keywords, text)


def test_tagging_reads_the_japanese_and_the_original_text(article_factory):
    chips = make_tag()
    ferry = make_tag("日韓交流", "japan-korea", ["フェリー"])
    tourism = make_tag("観光", "tourism", ["tourism"])
    english = article_factory(
        title="新工場を建設",
        paragraphs=["A new Semiconductor plant.", "Tourism is up."],
        translation=["新工場を建設する。", "旅行者も増えた。"],
    )
    japanese = article_factory(
        language="ja", title="航路が再開", paragraphs=["フェリーが再開する。"], translation=[], summary=[]
    )
    for article in (english, japanese):
        service.tag_article(article)
    assert sources(english) == {chips.name: Source.AUTO, tourism.name: Source.AUTO}
    assert sources(japanese) == {ferry.name: Source.AUTO}


def test_an_article_naming_a_linked_entity_gets_the_tag(article_factory):
    busan = Entity.objects.create(name="架空市", kind=Kind.PLACE, slug="kaku-city")
    tag = make_tag("日韓交流", "japan-korea", [])
    tag.entities.add(busan)
    named, other = article_factory(), article_factory()
    Mention.objects.create(article=named, entity=busan)
    service.tag_article(named)
    service.tag_article(other)
    assert sources(named) == {"日韓交流": Source.AUTO}
    assert sources(other) == {}


def test_editors_choices_survive_retagging_and_auto_tags_follow_the_text(article_factory):
    chips = make_tag()
    added = make_tag("安全保障", "security", ["ミサイル"])
    article = article_factory(translation=["半導体の輸出規制が強化された。"])
    service.tag_article(article)
    assert sources(article) == {"半導体": Source.AUTO}

    # An editor adds a tag no keyword finds, and takes off the one the tagger found.
    ArticleTag.objects.create(article=article, tag=added, source=Source.EDITOR)
    ArticleTag.objects.filter(article=article, tag=chips).update(source=Source.REMOVED)
    service.tag_article(article)
    assert sources(article) == {"半導体": Source.REMOVED, "安全保障": Source.EDITOR}
    assert service.tags_of(article) == [added]

    # Once the keyword is gone from the text, the automatic tag goes too; editors' rows stay.
    other = make_tag("輸出", "exports", ["輸出"])
    service.tag_article(article)
    assert sources(article)["輸出"] == Source.AUTO
    article.translation = ["工場が完成した。"]
    article.save()
    service.tag_article(article)
    assert sources(article) == {"半導体": Source.REMOVED, "安全保障": Source.EDITOR}
    other.keywords = "工場"
    other.save()
    service.tag_article(article)
    assert sources(article)["輸出"] == Source.AUTO


def test_the_pipeline_tags_after_entities_and_rerun_tags_again(tmp_path):
    make_tag("日韓交流", "japan-korea", ["フェリー"])
    path = tmp_path / "ja.txt"
    path.write_text(ja_text(), encoding="utf-8")
    call_command("ingest", str(path), "--publish", stdout=io.StringIO(), stderr=io.StringIO())
    article = Article.objects.get()
    assert article.stages.get(name="tags").state == PipelineStage.State.DONE
    assert sources(article) == {"日韓交流": Source.AUTO}

    make_tag("観光", "tourism", ["観光"])
    out = io.StringIO()
    call_command("rerun", str(article.pk), "--stage", "tags", stdout=out, stderr=io.StringIO())
    assert "tags=done" in out.getvalue()
    assert sources(article) == {"日韓交流": Source.AUTO, "観光": Source.AUTO}


# Reader pages


def tagged(article_factory, tag, **fields) -> Article:
    article = article_factory(**fields)
    ArticleTag.objects.create(article=article, tag=tag, source=Source.AUTO)
    return article


def test_tag_page_lists_published_articles_newest_first_one_per_story(client, article_factory, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "PAGE_SIZE": 2}
    tag = make_tag(description="半導体をめぐる記事のまとめ。")
    now = timezone.now()
    newest = tagged(
        article_factory, tag, title="最新の半導体記事", site_published_at=now - dt.timedelta(hours=1)
    )
    copy = tagged(
        article_factory,
        tag,
        outlet="wire.example.net",
        title="通信社の同じ記事",
        site_published_at=now - dt.timedelta(minutes=30),
    )
    story = Story.objects.create(title="半導体", first_seen=now, last_seen=now)
    StoryMembership.objects.create(story=story, article=newest)
    StoryMembership.objects.create(story=story, article=copy, duplicate_of=newest)
    older = tagged(
        article_factory, tag, title="少し前の半導体記事", site_published_at=now - dt.timedelta(hours=2)
    )
    oldest = tagged(
        article_factory, tag, title="最も古い半導体記事", site_published_at=now - dt.timedelta(hours=3)
    )
    tagged(article_factory, tag, title="未公開の半導体記事", status=Article.Status.REVIEW)
    tagged(article_factory, tag, title="予約の半導体記事", site_published_at=now + dt.timedelta(hours=1))
    removed = article_factory(title="外された記事")
    ArticleTag.objects.create(article=removed, tag=tag, source=Source.REMOVED)
    article_factory(title="タグのない記事")

    first = html(client.get("/tags/semiconductors/"))
    assert first.index("最新の半導体記事") < first.index("少し前の半導体記事")
    assert "最も古い半導体記事" not in first
    # The copy is shown under its original (同じ記事の掲載先), not as an item of its own.
    assert first.count('class="item-headline"') == 2
    assert copy.title not in first
    assert f'同じ記事の掲載先：<a href="{copy.get_absolute_url()}">{copy.outlet}</a>' in first
    assert '<h1 class="page-title">半導体</h1>' in first
    assert "半導体をめぐる記事のまとめ。" in first
    assert "<title>「半導体」の記事 | KJ 東アジア+</title>" in first
    assert f'<link rel="canonical" href="{site("/tags/semiconductors/")}">' in first
    assert '<meta property="og:title" content="「半導体」の記事">' in first
    assert '<meta name="description" content="半導体をめぐる記事のまとめ。">' in first
    assert 'rel="next" href="?page=2"' in first

    second = html(client.get("/tags/semiconductors/?page=2"))
    assert "最も古い半導体記事" in second and "最新の半導体記事" not in second
    assert "（2ページ目）" in second
    assert f'<link rel="canonical" href="{site("/tags/semiconductors/?page=2")}">' in second
    for hidden in ("未公開の半導体記事", "予約の半導体記事", "外された記事", "タグのない記事"):
        assert hidden not in first + second
    assert [a.pk for a in service.articles_with(tag)] == [newest.pk, older.pk, oldest.pk]

    assert client.get("/tags/semiconductors/?page=3").status_code == 404
    assert client.get("/tags/semiconductors/?page=abc").status_code == 404
    missing = client.get("/tags/no-such-tag/")
    assert missing.status_code == 404 and "ページが見つかりません" in missing.content.decode()


def test_tag_index_lists_tags_in_use_with_their_counts(client, article_factory):
    chips, tourism = make_tag(), make_tag("観光", "tourism", ["観光"])
    unused = make_tag("環境", "environment", ["環境"])
    drafts_only = make_tag("漁業", "fisheries", ["漁業"])
    for _ in range(2):
        tagged(article_factory, chips)
    tagged(article_factory, tourism)
    tagged(article_factory, drafts_only, status=Article.Status.REVIEW)
    ArticleTag.objects.create(article=article_factory(), tag=unused, source=Source.REMOVED)

    page = html(client.get("/tags/"))
    assert page.index("半導体") < page.index("観光")  # the most articles first
    assert '<span class="tag-count">2<span class="visually-hidden">本</span></span>' in page
    assert '<span class="tag-count">1<span class="visually-hidden">本</span></span>' in page
    assert "環境" not in page and "漁業" not in page
    assert {tag.name: tag.article_count for tag in service.tags_in_use()} == {"半導体": 2, "観光": 1}
    assert 'href="/tags/">タグ</a>' in html(client.get("/"))  # the footer links the index


def test_article_page_links_its_tags(client, article_factory):
    chips, removed = make_tag(), make_tag("観光", "tourism", ["観光"])
    article = tagged(article_factory, chips)
    ArticleTag.objects.create(article=article, tag=removed, source=Source.REMOVED)
    page = html(client.get(article.get_absolute_url()))
    assert '<h2 id="tags-heading" class="entity-panel-title">タグ</h2>' in page
    assert '<a href="/tags/semiconductors/" rel="tag">半導体</a>' in page
    assert "/tags/tourism/" not in page
    untagged = html(client.get(article_factory().get_absolute_url()))
    assert "tags-heading" not in untagged


# Feeds and sitemap


def parsed_feeds(client, path: str) -> list:
    results = []
    for extension, media_type, version in [
        ("rss", "application/rss+xml", "rss20"),
        ("atom", "application/atom+xml", "atom10"),
    ]:
        response = client.get(f"{path}.{extension}")
        assert response.status_code == 200
        assert response["Content-Type"] == f"{media_type}; charset=utf-8"
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo and parsed.version == version
        results.append((response, parsed))
    return results


def test_tag_feeds_list_what_the_tag_page_lists(client, article_factory):
    tag = make_tag()
    now = timezone.now()
    newer = tagged(article_factory, tag, site_published_at=now - dt.timedelta(hours=1))
    older = tagged(article_factory, tag, site_published_at=now - dt.timedelta(hours=2))
    tagged(article_factory, tag, status=Article.Status.REVIEW)
    article_factory()
    for _, parsed in parsed_feeds(client, "/feeds/tags/semiconductors"):
        assert parsed.feed.title == "「半導体」の記事 | KJ 東アジア+"
        assert parsed.feed.link == site("/tags/semiconductors/")
        assert [entry.link for entry in parsed.entries] == [
            site(newer.get_absolute_url()),
            site(older.get_absolute_url()),
        ]
    assert client.get("/feeds/tags/no-such-tag.rss").status_code == 404

    page = html(client.get("/tags/semiconductors/"))
    assert (
        'type="application/rss+xml" title="「半導体」の記事 | KJ 東アジア+（RSS）" href="/feeds/tags/semiconductors.rss"'
        in page
    )
    assert '<a href="/feeds/tags/semiconductors.atom" type="application/atom+xml">Atom</a>' in page


def test_sitemap_lists_tag_pages_with_published_articles(client, article_factory):
    tag = make_tag()
    drafts_only = make_tag("観光", "tourism", ["観光"])
    tagged(article_factory, tag, site_published_at=dt.datetime(2024, 6, 24, 0, 30, tzinfo=dt.UTC))
    tagged(article_factory, tag, status=Article.Status.REVIEW)
    tagged(article_factory, drafts_only, status=Article.Status.REVIEW)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    assert site("/sitemap-tags.xml") in {loc.text for loc in index.iter(f"{SITEMAP}loc")}
    root = ET.fromstring(client.get("/sitemap-tags.xml").content)
    listed = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root.iter(f"{SITEMAP}url")
    }
    assert listed == {site("/tags/semiconductors/"): "2024-06-24T09:30:00+09:00"}
    pages = ET.fromstring(client.get("/sitemap-pages.xml").content)
    assert site("/tags/") in {loc.text for loc in pages.iter(f"{SITEMAP}loc")}


def test_hostile_tag_names_are_escaped_on_pages_and_feeds(client, article_factory):
    tag = make_tag(HOSTILE, "hostile", ["半導体"], description=HOSTILE)
    article = tagged(article_factory, tag)
    pages = [
        html(client.get("/tags/hostile/")),
        html(client.get("/tags/")),
        html(client.get(article.get_absolute_url())),
    ]
    for page in pages:
        assert "<script>alert(1)</script>" not in page
        assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for response, parsed in parsed_feeds(client, "/feeds/tags/hostile"):
        assert b"<script>" not in response.content
        assert parsed.feed.title == f"「{HOSTILE}」の記事 | KJ 東アジア+"


# Admin


def test_admin_creates_a_tag_and_recent_articles_are_tagged(
    admin_client, article_factory, django_capture_on_commit_callbacks
):
    busan = Entity.objects.create(name="架空市", kind=Kind.PLACE, slug="kaku-city")
    by_keyword = article_factory(translation=["新しいフォトレジスト工場が完成した。"])
    by_entity = article_factory()
    Mention.objects.create(article=by_entity, entity=busan)
    unrelated = article_factory()
    old = article_factory(
        translation=["フォトレジストの話。"],
        created_at=timezone.now() - dt.timedelta(days=400),
        site_published_at=timezone.now() - dt.timedelta(days=400),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:tags_tag_add"),
            {
                "name": "半導体",
                "slug": "semiconductors",
                "description": "",
                "keywords": "PHOTORESIST\nフォトレジスト\n",
                "entities": [busan.pk],
            },
            follow=True,
        )
    assert response.status_code == 200
    assert "「半導体」を付け直しています" in response.content.decode()
    assert sources(by_keyword) == sources(by_entity) == {"半導体": Source.AUTO}
    assert sources(unrelated) == sources(old) == {}  # old ones: `newsdesk rerun --all --stage tags`

    changelist = html(admin_client.get(reverse("admin:tags_tag_changelist"), {"q": "フォトレジスト"}))
    assert "タグ" in changelist and "半導体" in changelist
    assert '<td class="field-article_count">2</td>' in changelist
    form = html(admin_client.get(reverse("admin:tags_tag_add")))
    assert "1行に1語" in form


def test_editor_takes_a_tag_off_and_adds_one_on_the_article_form(admin_client, article_factory):
    from tests.test_admin import change_url, form_data

    chips, security = make_tag(), make_tag("安全保障", "security", ["ミサイル"])
    article = article_factory(status=Article.Status.REVIEW, translation=["半導体の話。", "二段落目。"])
    service.tag_article(article)
    link = ArticleTag.objects.get(article=article, tag=chips)
    page = html(admin_client.get(change_url(article)))
    assert "編集部が外した" in page and "行を削除すると自動の判定に戻ります" in page
    data = form_data(
        article,
        **{
            "tag_links-TOTAL_FORMS": "2",
            "tag_links-INITIAL_FORMS": "1",
            "tag_links-MAX_NUM_FORMS": "1000",
            "tag_links-0-id": str(link.pk),
            "tag_links-0-article": str(article.pk),
            "tag_links-0-tag": str(chips.pk),
            "tag_links-0-source": Source.REMOVED,
            "tag_links-1-article": str(article.pk),
            "tag_links-1-tag": str(security.pk),
            "tag_links-1-source": Source.EDITOR,
        },
    )
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()
    assert sources(article) == {"半導体": Source.REMOVED, "安全保障": Source.EDITOR}
    service.tag_article(article)
    assert service.tags_of(article) == [security]


# Export and import


def test_tags_and_editors_links_travel_in_an_export(tmp_path, article_factory):
    from tests.test_exchange import empty_database

    busan = Entity.objects.get(slug="busan")
    chips = make_tag(description="説明文", is_sample=True)
    ferry = make_tag("日韓交流", "japan-korea", ["フェリー"])
    ferry.entities.add(busan)
    security = make_tag("安全保障", "security", ["ミサイル"])
    article = article_factory(translation=["半導体とフェリーの話。"])
    service.tag_article(article)
    ArticleTag.objects.filter(article=article, tag=ferry).update(source=Source.REMOVED)
    ArticleTag.objects.create(article=article, tag=security, source=Source.EDITOR)

    def snapshot():
        tags = list(Tag.objects.order_by("pk").values())
        linked = sorted(Tag.entities.through.objects.values_list("tag_id", "entity_id"))
        links = sorted(ArticleTag.objects.values_list("article_id", "tag_id", "source"))
        return tags, linked, links

    before = snapshot()
    target = tmp_path / "export.jsonl"
    call_command("export", "--output", str(target), stderr=io.StringIO())
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    tag_records = [r for r in records if r["type"] == "tag"]
    assert [r["name"] for r in tag_records] == ["半導体", "日韓交流", "安全保障"]
    assert tag_records[1]["keywords"] == "フェリー" and tag_records[1]["entities"] == [busan.pk]
    (exported,) = [r for r in records if r["type"] == "article"]
    assert exported["tags"] == [
        {"tag": chips.pk, "source": "auto"},
        {"tag": ferry.pk, "source": "removed"},
        {"tag": security.pk, "source": "editor"},
    ]

    Tag.objects.all().delete()
    empty_database()
    assert snapshot() != before
    call_command("import", str(target), stdout=io.StringIO())
    assert snapshot() == before
    assert service.tags_of(Article.objects.get()) == [chips, security]


# Samples


def test_demo_samples_come_with_tags_that_tag_them():
    from newsdesk.ops.samples import load_samples

    load_samples()
    tags = {tag.slug: tag for tag in Tag.objects.all()}
    assert {"semiconductors", "japan-korea", "tourism", "environment", "energy"} <= set(tags)
    assert all(tag.is_sample for tag in tags.values())
    in_use = {tag.slug: tag.article_count for tag in service.tags_in_use()}
    assert in_use.keys() >= {"semiconductors", "japan-korea", "tourism", "environment", "energy"}
    # The photoresist plant, in English (translated by the editors) and in a Korean paper's Japanese.
    plant = Article.objects.filter(title__contains="6億2000万ドル")
    assert {article.language for article in plant} == {"en", "ja"}
    assert all(sources(article).get("半導体") == Source.AUTO for article in plant)
    ferry = Article.objects.get(url__contains="moji-busan-ferry-returns")
    assert "日韓交流" in sources(ferry)

    # Again, and after an editor renamed one: nothing is added, the editor's tag is kept.
    Tag.objects.filter(slug="tourism").update(name="観光・旅行")
    load_samples()
    assert Tag.objects.count() == len(tags)
    assert Tag.objects.get(slug="tourism").name == "観光・旅行"


def test_samples_loaded_before_the_tags_are_tagged_when_the_tags_arrive():
    from newsdesk.ops.samples import load_samples
    from newsdesk.tags.samples import add_sample_tags

    load_samples()
    Tag.objects.all().delete()
    assert not ArticleTag.objects.exists()
    created = add_sample_tags()
    assert len(created) == Tag.objects.count() >= 5
    assert ArticleTag.objects.filter(tag__slug="environment").exists()


def test_an_untranslated_article_is_tagged_from_its_original(tmp_path):
    make_tag("日韓交流", "japan-korea", ["ferry"])
    path = tmp_path / "en.html"
    path.write_text(html_page(), encoding="utf-8")
    call_command("ingest", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    article = Article.objects.get()
    # Waiting for its translation, the article has not reached the "tags" stage yet; the editor's
    # save in the admin runs it, and the original English text is enough to find "ferry".
    assert article.stages.get(name="tags").state == PipelineStage.State.PENDING
    service.tag_article(article)
    assert sources(article) == {"日韓交流": Source.AUTO}
