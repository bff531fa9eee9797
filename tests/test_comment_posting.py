"""The comment service: numbering, identity, abuse limits, reactions, deletion, reports, paging."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from newsdesk.comments import posting
from newsdesk.comments.models import Ban, Comment, NGWord, Reaction, Report, Thread
from newsdesk.comments.posting import CommentRefused, delete_own, post_comment, react, report, thread_page

ADDRESS = "203.0.113.77"
OTHER = "198.51.100.20"


def newsdesk(settings, **values):
    settings.NEWSDESK = {**settings.NEWSDESK, **values}


def refused(status, call, *args, **kwargs) -> CommentRefused:
    with pytest.raises(CommentRefused) as info:
        call(*args, **kwargs)
    assert info.value.status == status
    assert info.value.message
    return info.value


class AlwaysSpam:
    def score(self, body, name):
        return 0.99


def test_posts_are_numbered_and_rendered_when_written(article):
    first = post_comment(article, name="", body="こんにちは <b>世界</b>", address=ADDRESS)
    second = post_comment(article, name="山田#鍵", body=">>1 同意\nhttps://example.com", address=OTHER)
    assert (first.comment.number, second.comment.number) == (1, 2)
    assert not first.held and first.comment.status == Comment.Status.VISIBLE
    assert first.comment.body_html == "こんにちは &lt;b&gt;世界&lt;/b&gt;"
    assert second.comment.replies_to == [1]
    assert second.comment.name == "山田" and second.comment.trip.startswith("◆")
    assert first.comment.display_name == "名無しさん"
    assert Thread.objects.get(article=article).last_number == 2


def test_delete_token_is_random_and_only_its_hash_is_kept(article):
    posted = post_comment(article, name=None, body="本文", address=ADDRESS)
    assert len(posted.delete_token) >= 32
    stored = Comment.objects.get(pk=posted.comment.pk)
    assert posted.delete_token not in stored.delete_token_hash
    assert len(stored.delete_token_hash) == 64


def test_same_poster_same_day_same_id_and_other_day_or_article_another(article_factory):
    one, two = article_factory(), article_factory()
    morning = timezone.now().replace(hour=1, minute=0)  # 10:00 JST
    a = post_comment(one, name="", body="朝", address=ADDRESS, now=morning)
    b = post_comment(one, name="", body="昼", address=ADDRESS, now=morning + dt.timedelta(hours=3))
    c = post_comment(one, name="", body="翌日", address=ADDRESS, now=morning + dt.timedelta(days=1))
    d = post_comment(two, name="", body="別記事", address=ADDRESS, now=morning)
    e = post_comment(one, name="", body="別人", address=OTHER, now=morning)
    assert a.comment.id_tag == b.comment.id_tag
    assert len({a.comment.id_tag, c.comment.id_tag, d.comment.id_tag, e.comment.id_tag}) == 4


def test_numbers_have_no_gaps_after_refusals(article):
    post_comment(article, name="", body="一", address=ADDRESS)
    refused(400, post_comment, article, name="", body="   ", address=ADDRESS)
    assert post_comment(article, name="", body="二", address=ADDRESS).comment.number == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_get_distinct_consecutive_numbers(article_factory, settings):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("threads need a database file or server; the in-memory test database is one connection")
    newsdesk(settings, COMMENT_RATE_THREAD="100/60", COMMENT_RATE_SITE="100/60")
    article = article_factory()
    errors, numbers = [], []

    def poster(index):
        try:
            numbers.append(
                post_comment(
                    article, name="", body=f"同時{index}", address=f"198.51.100.{index}"
                ).comment.number
            )
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=poster, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(numbers) == list(range(1, 9))


def test_bad_input_is_refused(article, settings):
    newsdesk(settings, COMMENT_MAX_CHARS=10)
    assert "本文" in refused(400, post_comment, article, name="", body="", address=ADDRESS).message
    assert "10文字" in refused(400, post_comment, article, name="", body="あ" * 11, address=ADDRESS).message
    assert "制御" in refused(400, post_comment, article, name="", body="a\x00b", address=ADDRESS).message
    refused(400, post_comment, article, name="a\x1bb", body="本文", address=ADDRESS)
    refused(400, post_comment, article, name="長" * 51, body="本文", address=ADDRESS)
    refused(400, post_comment, article, name=None, body=None, address=ADDRESS)
    refused(400, post_comment, article, name=3, body="本文", address=ADDRESS)
    assert post_comment(article, name="", body="あ" * 10, address=ADDRESS).comment.number == 1


def test_bidi_and_zero_width_are_removed_not_refused(article):
    posted = post_comment(article, name="", body="ab\u202ecd\u200b", address=ADDRESS)
    assert posted.comment.body == "abcd"


def test_unpublished_article_is_404(article_factory):
    draft = article_factory(status="review")
    refused(404, post_comment, draft, name="", body="本文", address=ADDRESS)


def test_flood_from_one_address_is_limited_per_thread_and_site(article_factory, settings):
    newsdesk(settings, COMMENT_RATE_THREAD="3/60", COMMENT_RATE_SITE="5/600")
    one, two = article_factory(), article_factory()
    for index in range(3):
        post_comment(one, name="", body=f"連投{index}", address=ADDRESS)
    error = refused(429, post_comment, one, name="", body="連投3", address=ADDRESS)
    assert 1 <= error.retry_after <= 60
    post_comment(one, name="", body="別の人", address=OTHER)  # someone else still posts
    post_comment(two, name="", body="別スレ1", address=ADDRESS)
    # 3 posts + 1 refused + 1 = 5 attempts counted site-wide; the next is over
    error = refused(429, post_comment, two, name="", body="別スレ2", address=ADDRESS)
    assert 1 <= error.retry_after <= 600


def test_rate_limit_window_passes(article, settings):
    newsdesk(settings, COMMENT_RATE_THREAD="1/1", COMMENT_RATE_SITE="100/60")
    post_comment(article, name="", body="一", address=ADDRESS)
    assert refused(429, post_comment, article, name="", body="二", address=ADDRESS).retry_after == 1
    cache.clear()  # the window's keys expire; clearing stands for a second passing
    post_comment(article, name="", body="二", address=ADDRESS)


def test_a_rate_counter_left_without_expiry_gets_one_back(article, settings):
    from newsdesk.comments.identity import source_hash

    newsdesk(settings, COMMENT_RATE_THREAD="1/1", COMMENT_RATE_SITE="100/60")
    # Django's Redis incr checks then increments: a window ending in between leaves this behind.
    cache.set(f"comments:rate:thread:{article.pk}:{source_hash(ADDRESS)}", 0, timeout=None)
    post_comment(article, name="", body="一", address=ADDRESS)
    time.sleep(1.1)  # the window of "1/1" passes; a counter with no expiry would refuse forever
    post_comment(article, name="", body="二", address=ADDRESS)


def test_duplicate_post_is_refused_within_the_window(article_factory, settings):
    one, two = article_factory(), article_factory()
    now = timezone.now()
    post_comment(one, name="", body="同じ文", address=ADDRESS, now=now)
    assert "同じ内容" in refused(400, post_comment, two, name="", body="同じ文", address=ADDRESS).message
    post_comment(one, name="", body="同じ文", address=OTHER)  # another source may say the same
    later = now + dt.timedelta(seconds=settings.NEWSDESK["COMMENT_DUPLICATE_SECONDS"] + 1)
    post_comment(one, name="", body="同じ文", address=ADDRESS, now=later)


def test_link_limit(article, settings):
    newsdesk(settings, COMMENT_MAX_LINKS=2)
    links = " ".join(f"https://example.com/{i}" for i in range(3))
    assert "2個" in refused(400, post_comment, article, name="", body=links, address=ADDRESS).message
    post_comment(
        article, name="", body=links.rsplit(" ", 1)[0] + " 参考まで、記事の出典です", address=ADDRESS
    )


def test_ng_words_hold_or_reject_and_changes_apply_at_once(article):
    NGWord.objects.create(word="禁句", action=NGWord.Action.HOLD)
    posted = post_comment(article, name="", body="これは禁句です", address=ADDRESS)
    assert posted.held and posted.comment.status == Comment.Status.HELD
    assert "禁句" in posted.comment.hold_reason
    NGWord.objects.create(word="ＢＡＤ", action=NGWord.Action.REJECT)  # cached list invalidated
    refused(400, post_comment, article, name="", body="so b a d", address=ADDRESS)
    refused(400, post_comment, article, name="bad", body="名前に", address=ADDRESS)
    NGWord.objects.filter(word="ＢＡＤ").delete()
    assert not post_comment(article, name="", body="bad again", address=ADDRESS).held


def test_spam_scorer_holds_posts_over_the_threshold(article):
    posted = post_comment(
        article,
        name="",
        body="在宅ワークで簡単に稼げる！詳しくはこちら https://spam.example.xyz",
        address=ADDRESS,
    )
    assert posted.held and posted.comment.spam_score >= 0.7
    assert "スパム" in posted.comment.hold_reason
    normal = post_comment(article, name="", body="会見の内容は興味深い。今後に注目したい。", address=OTHER)
    assert not normal.held and normal.comment.spam_score < 0.7
    abusive = post_comment(article, name="", body="お前なんか死ね", address="198.51.100.30")
    assert abusive.held


def test_custom_scorer_by_setting(article, settings):
    newsdesk(settings, SPAM_SCORER="tests.test_comment_posting.AlwaysSpam")
    assert post_comment(article, name="", body="普通の感想です", address=ADDRESS).held
    newsdesk(settings, SPAM_SCORER="tests.test_comment_posting.AlwaysSpam", SPAM_THRESHOLD=1.0)
    assert not post_comment(article, name="", body="普通の感想です２", address=ADDRESS).held


def test_ban_locked_and_hold_all(article):
    from newsdesk.comments.identity import source_hash

    Ban.objects.create(source_hash=source_hash(ADDRESS), until=timezone.now() + dt.timedelta(hours=1))
    refused(403, post_comment, article, name="", body="禁止中", address=ADDRESS)
    Ban.objects.update(until=timezone.now() - dt.timedelta(seconds=1))
    post_comment(article, name="", body="期限切れ", address=ADDRESS)

    Thread.objects.filter(article=article).update(hold_all=True)
    assert post_comment(article, name="", body="承認制", address=OTHER).held
    Thread.objects.filter(article=article).update(locked=True)
    assert "停止" in refused(403, post_comment, article, name="", body="停止中", address=OTHER).message


def test_reactions_are_one_of_each_per_voter(article):
    post_comment(article, name="", body="本文", address=ADDRESS)
    comment = react(article, 1, "共感した", OTHER)
    assert comment.empathy == 1
    assert react(article, 1, "共感した", OTHER).empathy == 1  # idempotent
    comment = react(article, 1, "insight", OTHER)
    comment = react(article, 1, "共感した", "198.51.100.99")
    assert (comment.empathy, comment.insight, comment.doubt) == (2, 1, 0)
    assert Reaction.objects.count() == 3
    refused(400, react, article, 1, "いいね", OTHER)
    refused(404, react, article, 99, "うーん", OTHER)


def test_delete_own_with_right_wrong_and_expired_token(article, settings):
    now = timezone.now()
    posted = post_comment(article, name="名#鍵", body="消したい本文", address=ADDRESS, now=now)
    refused(403, delete_own, article, 1, "wrong-token")
    refused(403, delete_own, article, 1, "")
    late = now + dt.timedelta(seconds=settings.NEWSDESK["COMMENT_DELETE_SECONDS"] + 1)
    assert "時間" in refused(403, delete_own, article, 1, posted.delete_token, now=late).message
    delete_own(article, 1, posted.delete_token)
    comment = Comment.objects.get(article=article, number=1)
    assert comment.status == Comment.Status.DELETED
    assert "消したい" not in comment.body + comment.body_html + comment.name
    assert comment.number == 1
    refused(404, delete_own, article, 1, posted.delete_token)  # gone already
    assert post_comment(article, name="", body="次", address=OTHER).comment.number == 2


def test_reports_count_once_per_reporter(article):
    post_comment(article, name="", body="本文", address=ADDRESS)
    report(article, 1, OTHER, "荒らし")
    report(article, 1, OTHER, "もう一度")
    report(article, 1, "198.51.100.99")
    assert Comment.objects.get(article=article, number=1).report_count == 2
    assert Report.objects.filter(reason="荒らし").count() == 1
    refused(404, report, article, 5, OTHER)


def test_thread_page_sorts_and_pages(article, settings):
    newsdesk(settings, COMMENT_PAGE_SIZE=2, COMMENT_RATE_THREAD="100/60", COMMENT_RATE_SITE="100/60")
    for index in range(5):
        post_comment(article, name="", body=f"{index + 1}番", address=ADDRESS)
    Comment.objects.filter(number=4).update(status=Comment.Status.HIDDEN)
    react(article, 3, "共感した", OTHER)
    react(article, 3, "なるほど", OTHER)
    react(article, 5, "うーん", OTHER)
    page = thread_page(article, "old", 1)
    assert [c.number for c in page] == [1, 2] and page.paginator.count == 4 and page.paginator.num_pages == 2
    assert [c.number for c in thread_page(article, "old", 2)] == [3, 5]
    assert [c.number for c in thread_page(article, "new", 1)] == [5, 3]
    assert [c.number for c in thread_page(article, "popular", 1)] == [3, 5]
    assert [c.number for c in thread_page(article, "popular", 2)] == [1, 2]
    assert thread_page(article, "old", 99).number == 2
    refused(400, thread_page, article, "random")


def test_cached_thread_version_changes_on_every_write(article):
    before = posting.thread_state(article.pk)[0]
    assert posting.thread_state(article.pk)[0] == before
    post_comment(article, name="", body="本文", address=ADDRESS)
    after_post = posting.thread_state(article.pk)[0]
    react(article, 1, "うーん", OTHER)
    assert len({before, after_post, posting.thread_state(article.pk)[0]}) == 3


def test_numbering_catches_up_with_comments_written_around_the_service(article):
    Comment.objects.create(article=article, number=1, body="手で作った")
    assert post_comment(article, name="", body="二", address=ADDRESS).comment.number == 2
    Comment.objects.create(article=article, number=3, body="また手で")
    assert post_comment(article, name="", body="四", address=ADDRESS).comment.number == 4
    assert Thread.objects.get(article=article).last_number == 4


def test_an_sqlite_without_returning_is_refused_at_start(db, monkeypatch):
    import sqlite3
    from types import SimpleNamespace

    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    # Whatever the test database is, the check sees a site on SQLite 3.31.
    sqlite_site = SimpleNamespace(DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3"}})
    monkeypatch.setattr("newsdesk.comments.checks.settings", sqlite_site)
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.31.1")
    with pytest.raises(SystemCheckError, match="3.35"):
        call_command("check", "--database", "default")
