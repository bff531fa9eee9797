"""`newsdesk export` and `newsdesk import`: a backup that restores with nothing lost."""

import datetime as dt
import importlib
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from newsdesk.articles.models import Article, ArticleViews, PipelineStage
from newsdesk.comments.models import Ban, Comment, NGWord
from newsdesk.entities import service as entities
from newsdesk.entities.models import Alias, Candidate, Entity
from newsdesk.ingest.models import RawInput
from newsdesk.ops.exchange import export_records
from newsdesk.sources.models import Outlet, OutletAlias, Source
from newsdesk.stories.models import Story, StoryMembership, TermStat
from newsdesk.translation.models import GlossaryEntry
from tests.ingest_inputs import html_page, ja_text

User = get_user_model()
SITE_MODELS = [Outlet, OutletAlias, Source, Entity, Alias, Candidate, GlossaryEntry, NGWord, Ban, Group, User]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sequences_survive_the_rollback():
    """``empty_database`` moves PostgreSQL's sequences back to 1 and an import moves them to its
    own highest ids; setval is not undone by the test's rollback, so without this the rows the
    migrations seeded would collide with the next test's inserts. Every sequence ends the test
    at least where it started."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences")
        before = {name: value for name, value in cursor.fetchall() if value is not None}
    yield
    with connection.cursor() as cursor:
        for name, value in before.items():
            cursor.execute(
                "SELECT setval(%s::regclass, GREATEST(%s, COALESCE("
                "(SELECT last_value FROM pg_sequences WHERE schemaname || '.' || sequencename = %s), 1)))",
                [name, value, name],
            )


REQUIRED = {
    "id",
    "url",
    "source_url",
    "outlet",
    "outlet_domain",
    "author",
    "title",
    "original_title",
    "lead",
    "language",
    "published_at",
    "paragraphs",
    "translation",
    "summary",
    "caption",
    "image_url",
    "status",
    "dropped_lines",
}


def article_records() -> list[dict]:
    articles = (
        Article.objects.select_related("outlet")
        .order_by("pk")
        .prefetch_related("raw_inputs", "stages", "comments")
    )
    return list(export_records(articles))


# A story's profile and entity counts are derived from its articles: recomputed on import.
STORY_FIELDS = [
    "id",
    "title",
    "title_locked",
    "first_seen",
    "last_seen",
    "article_count",
    "created_at",
    "updated_at",
]
PERMISSION = ["permission__content_type__app_label", "permission__codename"]


def snapshot() -> dict:
    """Every row an editor made, as stored (ids, hashes and times included), and every article."""
    rows = {model._meta.label: list(model.objects.order_by("pk").values()) for model in SITE_MODELS}
    rows["stories"] = list(Story.objects.order_by("pk").values(*STORY_FIELDS))
    rows["memberships"] = list(
        StoryMembership.objects.order_by("article_id").values_list(
            "article_id", "story_id", "duplicate_of_id", "by_editor"
        )
    )
    rows["groups"] = sorted(User.groups.through.objects.values_list("user_id", "group__name"))
    rows["group permissions"] = sorted(Group.permissions.through.objects.values_list("group_id", *PERMISSION))
    rows["user permissions"] = sorted(
        User.user_permissions.through.objects.values_list("user_id", *PERMISSION)
    )
    rows["articles"] = article_records()
    return rows


def empty_database() -> None:
    """What a new site has after ``migrate``: no rows but the seeded gazetteer and glossary, and
    ids starting from 1 again (so an import that leaves a sequence behind makes a collision)."""
    for model in [Article, Story, TermStat, Candidate, Entity, GlossaryEntry, Outlet, NGWord, Ban]:
        model.objects.all().delete()
    User.objects.all().delete()
    Group.objects.all().delete()
    with connection.cursor() as cursor:
        empty = []
        for sequence in connection.introspection.sequence_list():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(sequence['table'])}")
            if not cursor.fetchone()[0]:
                empty.append(sequence)
        for sql in connection.ops.sequence_reset_by_name_sql(no_style(), empty):
            cursor.execute(sql)
    importlib.import_module("newsdesk.entities.migrations.0002_seed_gazetteer").seed(apps, None)
    importlib.import_module("newsdesk.translation.migrations.0002_starting_glossary").add_entries(apps, None)


def export(tmp_path) -> list[dict]:
    target = tmp_path / "export.jsonl"
    call_command("export", "--output", str(target), stderr=io.StringIO())
    return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]


def write(tmp_path, records: list[dict]):
    target = tmp_path / "edited.jsonl"
    target.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return target


@pytest.fixture
def library(tmp_path):
    (tmp_path / "en.html").write_text(html_page(), encoding="utf-8")
    (tmp_path / "ja.txt").write_text(ja_text(), encoding="utf-8")
    call_command("ingest", str(tmp_path), "--publish", stdout=io.StringIO(), stderr=io.StringIO())
    japanese = Article.objects.get(language="ja")
    Comment.objects.create(article=japanese, number=1, name="", body="再開は朗報だ。\n<b>太字</b>")
    Comment.objects.create(
        article=japanese, number=2, name="港の人", body=">>1 同感", status=Comment.Status.HIDDEN
    )
    english = Article.objects.get(language="en")
    english.outlet.reuse_policy = Outlet.ReusePolicy.SUMMARY
    english.outlet.save()


@pytest.fixture
def site(library):
    """One of each kind of site-wide row an editor makes, beside the library's articles."""
    quiet = Outlet.objects.create(name="港湾通信", domain="kowan.example", language="ja")
    Source.objects.create(
        outlet=quiet,
        url="https://kowan.example/feed.xml",
        etag='"abc"',
        last_modified="Wed, 12 Mar 2025 00:00:00 GMT",
        last_polled_at=timezone.now(),
        last_result=Source.Result.ERROR,
        last_found=12,
        last_error="HTTP 503",
    )
    Outlet.objects.create(name="名前だけの媒体")  # met in pasted text: no domain
    # A registry outlet with its names, and the domain of one merged into it kept as an alias.
    bbc = Outlet.objects.create(name="BBC", name_en="BBC News", domain="bbc.com", registry_key="bbc")
    OutletAlias.objects.create(outlet=bbc, kind=OutletAlias.Kind.DOMAIN, value="bbc.co.uk")
    # The gazetteer: a candidate approved (its articles link to it), one rejected, one added by
    # hand with an alias, a seeded entity edited and one deleted.
    entities.approve(Candidate.objects.filter(name="田中一郎"))
    entities.reject(Candidate.objects.filter(name="港湾当局"))
    added = Entity.objects.create(name="サンプル海運", kind="organisation", slug="sample-shipping")
    Alias.objects.create(entity=added, name="Sample Shipping")
    Entity.objects.filter(slug="busan").update(description="韓国南東部の港湾都市")
    Entity.objects.filter(slug="aukus").delete()
    for article in Article.objects.filter(stages__name="entities", stages__state=PipelineStage.State.DONE):
        entities.process(article)  # what the stage finds now: the entity added by hand too
    GlossaryEntry.objects.create(
        source="Sample Shipping", japanese="サンプル海運", language="en", kind="organization"
    )
    GlossaryEntry.objects.filter(source="Putin").update(japanese="プーチン大統領")
    GlossaryEntry.objects.filter(source="TASS").delete()
    NGWord.objects.create(word="死ね", action=NGWord.Action.REJECT)
    Ban.objects.create(source_hash="a" * 64, until=timezone.now() + dt.timedelta(days=7), reason="荒らし")
    story = Story.objects.get()
    story.title, story.title_locked = "日韓フェリー、4年ぶり再開（編集部）", True
    story.save()
    StoryMembership.objects.update(by_editor=True)
    editors = Group.objects.create(name="編集者")
    editors.permissions.add(Permission.objects.get(codename="change_story"))
    editor = User.objects.create_user("editor", "editor@example.com", "とても長いパスワード", is_staff=True)
    editor.groups.add(editors)
    editor.user_permissions.add(Permission.objects.get(codename="view_ban"))
    User.objects.create_superuser("admin", "", "管理者のパスワード")


def test_export_has_every_field_and_offsets(library, tmp_path):
    records = [r for r in export(tmp_path) if r["type"] == "article"]
    assert len(records) == 2
    for record in records:
        assert record.keys() >= REQUIRED
    japanese = next(r for r in records if r["language"] == "ja")
    english = next(r for r in records if r["language"] == "en")
    published = dt.datetime.fromisoformat(english["published_at"])  # a time, with its offset
    assert published == dt.datetime(2025, 3, 12, 0, 15, tzinfo=dt.UTC) and published.tzinfo is not None
    assert japanese["published_at"] == "2025-03-12"  # a day without a time stays a day
    assert japanese["dropped_lines"] == japanese["raw_inputs"][0]["dropped_lines"]
    assert [c["number"] for c in japanese["comments"]] == [1, 2]


def test_site_wide_records_come_first(site, tmp_path):
    records = export(tmp_path)
    types = [r["type"] for r in records]
    assert types.index("article") == len(types) - 2
    assert {"outlet", "outlet_alias", "source", "entity", "alias", "candidate", "glossary"} <= set(types)
    assert {"ng_word", "ban"} <= set(types)
    assert {"story", "group", "user"} <= set(types)
    editor = next(r for r in records if r["type"] == "user" and r["username"] == "editor")
    assert editor["password"] == User.objects.get(username="editor").password
    assert editor["groups"] == [["編集者"]]


def test_round_trip_restores_everything(site, tmp_path):
    target = tmp_path / "export.jsonl"
    call_command("export", "--output", str(target), stderr=io.StringIO())
    before = snapshot()
    assert {"田中一郎", "サンプル海運"} <= {e["name"] for r in before["articles"] for e in r["entities"]}
    empty_database()
    assert snapshot() != before
    # A thread page cached from the old rows would come back under the restored thread's version.
    cache.set("comments:page:1:0:old:1", b"stale")
    out = io.StringIO()
    call_command("import", str(target), stdout=out)
    assert "記事 2 件" in out.getvalue()
    assert snapshot() == before
    assert cache.get("comments:page:1:0:old:1") is None
    # With a request, as the login form calls it: axes's lockout backend refuses a call without one.
    editor = authenticate(
        RequestFactory().post("/admin/login/"), username="editor", password="とても長いパスワード"
    )
    assert editor.has_perm("stories.change_story")
    # New rows after an import with explicit ids must not collide (PostgreSQL sequences).
    article = Article.objects.first()
    Comment.objects.create(article=article, number=99, body="after import")
    PipelineStage.objects.create(article=article, name="extra")
    RawInput.objects.create(article=article, kind="file", location="x", shape="html", content="x")
    outlet = Outlet.objects.create(name="新しい媒体", domain="new.example")
    Source.objects.create(outlet=outlet, url="https://new.example/feed")
    Alias.objects.create(entity=Entity.objects.create(name="新しい人物", kind="person"), name="New Person")
    Candidate.objects.create(name="新しい候補", kind="person")
    GlossaryEntry.objects.create(source="New", japanese="新")
    NGWord.objects.create(word="新しいNGワード")
    Ban.objects.create(source_hash="b" * 64, until=timezone.now())
    Story.objects.create(title="新しい話", first_seen=timezone.now(), last_seen=timezone.now())
    Group.objects.create(name="新しいグループ")
    User.objects.create_user("new")


def test_an_export_without_site_wide_records_still_imports(library, tmp_path):
    """Files written before site-wide records existed: article records without a type."""
    records = [r for r in export(tmp_path) if r.pop("type") == "article"]
    for record in records:
        del record["story_by_editor"]
    target = write(tmp_path, records)
    before = article_records()
    empty_database()
    seeded = Entity.objects.count(), GlossaryEntry.objects.count()
    call_command("import", str(target), stdout=io.StringIO())
    assert article_records() == before
    assert (Entity.objects.count(), GlossaryEntry.objects.count()) == seeded


def test_editors_picks_travel_and_page_views_stay_behind(library, tmp_path):
    picked, other = Article.objects.order_by("pk")
    picked_at = dt.datetime(2025, 3, 12, 1, 2, 3, tzinfo=dt.UTC)
    Article.objects.filter(pk=picked.pk).update(picked_at=picked_at)
    ArticleViews.objects.create(article=picked, day=dt.date(2025, 3, 12), views=42)
    records = [r for r in export(tmp_path) if r["type"] == "article"]
    assert {r["id"]: r["picked_at"] for r in records} == {picked.pk: picked_at.isoformat(), other.pk: None}
    assert not any("views" in key for record in records for key in record)
    empty_database()
    call_command("import", str(tmp_path / "export.jsonl"), stdout=io.StringIO())
    assert Article.objects.get(pk=picked.pk).picked_at == picked_at
    assert Article.objects.get(pk=other.pk).picked_at is None
    assert not ArticleViews.objects.exists()


def test_import_refuses_a_database_with_articles(library, tmp_path):
    target = tmp_path / "export.jsonl"
    call_command("export", "--output", str(target), stderr=io.StringIO())
    with pytest.raises(CommandError, match="空のデータベース"):
        call_command("import", str(target))


def test_import_refuses_site_wide_rows_already_there(library, tmp_path):
    target = tmp_path / "export.jsonl"
    call_command("export", "--output", str(target), stderr=io.StringIO())
    Article.objects.all().delete()
    User.objects.create_user("early")
    with pytest.raises(CommandError, match="空のデータベース"):
        call_command("import", str(target))


NG_WORD = {
    "type": "ng_word",
    "id": 1,
    "word": "死ね",
    "action": "reject",
    "created_at": "2025-03-12T00:00:00+00:00",
}


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"type": "feed", "id": 1}, "2 行目.*種類"),
        ({**NG_WORD, "id": 2, "word": "x", "created_at": "昨日"}, "2 行目"),
        ({"type": "glossary", "id": 1, "source": "a", "japanese": "b", "colour": "red"}, "2 行目.*colour"),
        ({"type": "ban", "id": 1, "source_hash": "h" * 64}, "2 行目"),  # no "until"
        ({**NG_WORD, "id": 2}, "2 行目"),  # the same word twice
        ({"type": "user", "id": 1, "username": "x", "password": "!", "groups": [["無い"]]}, "2 行目"),
        ({"type": "source", "id": 1, "outlet": 999, "url": "https://x.example/feed"}, "参照先"),
    ],
)
def test_bad_site_wide_record_gives_a_clear_error_and_stores_nothing(tmp_path, bad, message):
    seeded = Entity.objects.count(), GlossaryEntry.objects.count()
    target = write(tmp_path, [NG_WORD, bad])
    with pytest.raises(CommandError, match=message):
        call_command("import", str(target))
    assert not NGWord.objects.exists() and not Source.objects.exists() and not Ban.objects.exists()
    assert not User.objects.exists() and (Entity.objects.count(), GlossaryEntry.objects.count()) == seeded


def test_site_wide_record_after_an_article_is_refused(library, tmp_path):
    records = export(tmp_path)
    target = write(tmp_path, records[1:] + records[:1])
    empty_database()
    with pytest.raises(CommandError, match="記事より前"):
        call_command("import", str(target))
    assert not Article.objects.exists() and not Outlet.objects.exists()


@pytest.mark.parametrize("content", [b'{"id": 1}\n', b"not json\n", b"[1]\n", b"\xff\xfe\x00garbage"])
def test_bad_import_file_gives_a_clear_error_and_stores_nothing(tmp_path, content):
    target = tmp_path / "bad.jsonl"
    target.write_bytes(content)
    with pytest.raises(CommandError):
        call_command("import", str(target))
    assert not Article.objects.exists() and not Outlet.objects.exists()
