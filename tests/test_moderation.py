"""Comment moderation: the queue, the actions, bans, threads and NG words, in the Japanese admin.

Comments are made directly (with their stored HTML), not through the posting service.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from html import unescape

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from newsdesk.comments import moderation
from newsdesk.comments.models import Ban, Comment, NGWord, Reaction, Report, Thread

pytestmark = pytest.mark.django_db

SOURCE = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
OTHER_SOURCE = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
REPORTER = "0badc0de" * 8
VOTER = "5eed5eed" * 8
PREFIX = SOURCE[: len("a1b2c3d4e5")]

CHANGELIST = reverse("admin:comments_comment_changelist")
_numbers = itertools.count(1)


def make_comment(article, body="普通のコメント", **fields) -> Comment:
    fields.setdefault("number", next(_numbers))
    fields.setdefault("id_tag", "AbCd1234")
    fields.setdefault("source_hash", SOURCE)
    return Comment.objects.create(article=article, body=body, body_html=f"<p>{body}</p>", **fields)


def act(client, action, comments, url=CHANGELIST):
    return client.post(
        url, {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in comments]}, follow=True
    ).content.decode()


def get_html(client, url, params=None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def article(article_factory):
    return article_factory(title="港の再開発の記事")


@pytest.fixture
def queue(article):
    """One comment of each kind an editor might meet."""
    return {
        "plain": make_comment(article, "問題のない投稿"),
        "held": make_comment(
            article, "保留された投稿", status=Comment.Status.HELD, hold_reason="NGワード", spam_score=0.9
        ),
        "reported": make_comment(article, "通報された投稿", report_count=2),
        "hidden": make_comment(article, "隠した投稿", status=Comment.Status.HIDDEN, report_count=1),
    }


# The queue


def test_queue_opens_on_held_and_reported_posts(admin_client, queue):
    html = get_html(admin_client, CHANGELIST)
    assert "保留された投稿" in html and "通報された投稿" in html
    assert "問題のない投稿" not in html and "隠した投稿" not in html
    # Japanese columns and filters.
    for label in ["番号", "記事", "名前◆トリップ", "ID", "本文の抜粋", "保留理由", "スパムスコア", "通報数"]:
        assert f">{label}</a>" in html or f">{label}</span>" in html, label
    assert "投稿日時" in html and "状態" in html
    for label in ["対応", "通報あり", "記事", "要対応（承認待ち・通報あり）", "すべて"]:
        assert label in html
    assert "NGワード" in html  # the hold reason column


def test_queue_can_show_everything_and_other_filters_show_all_that_match(admin_client, queue, article):
    html = get_html(admin_client, CHANGELIST, {"queue": "all"})
    assert all(c.body in html for c in queue.values())
    # A status filter means "all posts with this status", not "...and also in the queue".
    html = get_html(admin_client, CHANGELIST, {"status__exact": "hidden"})
    assert "隠した投稿" in html and "保留された投稿" not in html
    html = get_html(admin_client, CHANGELIST, {"reported": "yes"})
    assert "通報された投稿" in html and "隠した投稿" in html and "問題のない投稿" not in html
    html = get_html(admin_client, CHANGELIST, {"article__id__exact": article.pk})
    assert all(c.body in html for c in queue.values())


def test_article_filter(admin_client, queue, article_factory):
    other = article_factory(title="別の記事")
    make_comment(other, "別の記事への保留投稿", status=Comment.Status.HELD)
    html = get_html(admin_client, CHANGELIST)
    assert "記事 で絞り込む" in html
    assert f"?article__id__exact={other.pk}" in html and "別の記事</a>" in html
    html = get_html(admin_client, CHANGELIST, {"article__id__exact": other.pk})
    assert "別の記事への保留投稿" in html and "保留された投稿" not in html


def test_search_in_body_name_and_id(admin_client, article):
    make_comment(article, "鉄道の話", name="駅員", id_tag="Zz99Yy88")
    make_comment(article, "天気の話", id_tag="Qq11Ww22")
    assert "鉄道の話" in get_html(admin_client, CHANGELIST, {"q": "駅員"})
    html = get_html(admin_client, CHANGELIST, {"q": "Qq11Ww22"})
    assert "天気の話" in html and "鉄道の話" not in html
    assert "鉄道の話" in get_html(admin_client, CHANGELIST, {"q": "鉄道"})


def test_poster_column_shows_name_and_trip(admin_client, article):
    make_comment(article, "トリップ付き", name="記者", trip="Ab3dEf9h", status=Comment.Status.HELD)
    make_comment(article, "名無し", status=Comment.Status.HELD)
    html = get_html(admin_client, CHANGELIST)
    assert "記者◆Ab3dEf9h" in html and "名無しさん" in html


# Actions


def test_approve_shows_held_posts_and_clears_reports(admin_client, queue):
    deleted = make_comment(queue["plain"].article, "x", status=Comment.Status.DELETED)
    html = act(admin_client, "approve", [queue["held"], queue["reported"], deleted])
    assert "2件のコメントを承認して表示しました。" in html
    for key in ["held", "reported"]:
        queue[key].refresh_from_db()
        assert queue[key].status == Comment.Status.VISIBLE
        assert queue[key].hold_reason == "" and queue[key].report_count == 0
    deleted.refresh_from_db()
    assert deleted.status == Comment.Status.DELETED
    # Both have left the queue.
    html = get_html(admin_client, CHANGELIST)
    assert "保留された投稿" not in html and "通報された投稿" not in html


def test_hide_action(admin_client, queue):
    html = act(admin_client, "hide", [queue["held"], queue["reported"]])
    assert "2件のコメントを非表示にしました。" in html
    for key in ["held", "reported"]:
        queue[key].refresh_from_db()
        assert queue[key].status == Comment.Status.HIDDEN
        assert queue[key].body != moderation.DELETED_TEXT


def test_hide_action_on_a_post_outside_the_queue(admin_client, queue):
    """Actions act on what the list shows: from すべて, a plain visible post can be hidden."""
    act(admin_client, "hide", [queue["plain"]], url=f"{CHANGELIST}?queue=all")
    queue["plain"].refresh_from_db()
    assert queue["plain"].status == Comment.Status.HIDDEN


def test_delete_action_removes_the_text_and_keeps_the_number(admin_client, queue):
    comment = queue["reported"]
    comment.replies_to = [1]
    comment.save()
    html = act(admin_client, "delete", [comment])
    assert "1件のコメントを削除しました" in html
    comment.refresh_from_db()
    assert comment.status == Comment.Status.DELETED
    assert comment.body == comment.body_html == "このコメントは削除されました"
    assert comment.replies_to == []
    assert Comment.objects.filter(article=comment.article, number=comment.number).exists()
    # There is no hard delete: neither the bulk action nor the link on the change page.
    html = get_html(admin_client, f"{CHANGELIST}?queue=all")
    assert 'value="delete_selected"' not in html
    html = get_html(admin_client, reverse("admin:comments_comment_change", args=[comment.pk]))
    assert "deletelink" not in html


def test_ban_24h_creates_a_ban_and_hides_the_post(admin_client, queue):
    before = timezone.now()
    html = act(admin_client, "ban_24h", [queue["reported"]])
    assert "1件の投稿元を24時間投稿禁止にしました（新規1件・延長0件）" in html
    assert "コメント1件を非表示にしました" in html
    ban = Ban.objects.get()
    assert ban.source_hash == SOURCE
    assert before + dt.timedelta(hours=24) <= ban.until <= timezone.now() + dt.timedelta(hours=24)
    assert ban.reason
    queue["reported"].refresh_from_db()
    assert queue["reported"].status == Comment.Status.HIDDEN


def test_ban_extends_rather_than_duplicates(admin_client, queue):
    act(admin_client, "ban_24h", [queue["reported"]])
    html = act(admin_client, "ban_7d", [queue["held"]])
    assert "（新規0件・延長1件）" in html
    ban = Ban.objects.get()
    assert abs(ban.until - (timezone.now() + dt.timedelta(days=7))) < dt.timedelta(minutes=1)
    # A shorter ban afterwards does not cut the longer one short.
    act(admin_client, "ban_24h", [queue["held"]], url=f"{CHANGELIST}?queue=all")
    assert Ban.objects.count() == 1
    assert Ban.objects.get().until == ban.until


def test_ban_sources_function(article):
    now = timezone.now()
    a = make_comment(article)
    b = make_comment(article)  # same source as a
    c = make_comment(article, source_hash=OTHER_SOURCE)
    d = make_comment(article, source_hash="")
    Ban.objects.create(source_hash=OTHER_SOURCE, until=now + dt.timedelta(days=30), reason="前回")
    result = moderation.ban_sources(
        Comment.objects.filter(pk__in=[a.pk, b.pk, c.pk, d.pk]), dt.timedelta(hours=24), "荒らし", now=now
    )
    assert result == moderation.BanResult(created=1, extended=1, hidden=4, without_source=1)
    assert Ban.objects.get(source_hash=SOURCE).until == now + dt.timedelta(hours=24)
    other = Ban.objects.get(source_hash=OTHER_SOURCE)
    assert other.until == now + dt.timedelta(days=30) and other.reason == "荒らし"
    assert list(moderation.active_bans(now)) and not moderation.active_bans(now + dt.timedelta(days=31))


def test_ban_without_a_source_warns(admin_client, article):
    comment = make_comment(article, status=Comment.Status.HELD, source_hash="")
    html = act(admin_client, "ban_7d", [comment])
    assert "投稿元が記録されていないコメントが1件あり、禁止できませんでした。" in html
    assert not Ban.objects.exists()


def test_moderation_functions_skip_what_does_not_apply(article):
    deleted = make_comment(article, status=Comment.Status.DELETED)
    hidden = make_comment(article, status=Comment.Status.HIDDEN)
    everything = Comment.objects.all()
    assert moderation.hide(everything) == 0
    assert moderation.delete(Comment.objects.filter(pk=hidden.pk)) == 1
    assert moderation.delete(everything) == 0
    assert moderation.approve(everything) == 0
    deleted.refresh_from_db()
    assert deleted.status == Comment.Status.DELETED


# One poster's posts by ID


def test_by_id_link_filters_to_one_poster_in_one_thread(admin_client, article, article_factory):
    other_article = article_factory()
    first = make_comment(article, "同じIDの一つ目", status=Comment.Status.HELD, id_tag="SameId01")
    make_comment(article, "同じIDの二つ目", id_tag="SameId01")
    make_comment(article, "同じIDの三つ目", status=Comment.Status.DELETED, id_tag="SameId01")
    make_comment(article, "別のIDの投稿", id_tag="OtherId2")
    make_comment(other_article, "別の記事の同じID", id_tag="SameId01")

    html = get_html(admin_client, CHANGELIST)
    link = f"{CHANGELIST}?article__id__exact={article.pk}&amp;id_tag=SameId01"
    assert f'href="{link}"' in html
    assert "（このスレッドで3件）" in html

    html = get_html(admin_client, unescape(link))
    assert "同じIDの一つ目" in html and "同じIDの二つ目" in html
    assert "別のIDの投稿" not in html and "別の記事の同じID" not in html
    assert "3 件" in html or "3件" in html

    html = get_html(admin_client, reverse("admin:comments_comment_change", args=[first.pk]))
    assert f'href="{link}"' in html and "（このスレッドで3件）" in html


# The change page


def test_change_page_is_read_only_except_status_and_hold_reason(admin_client, queue):
    comment = queue["reported"]
    Report.objects.create(comment=comment, reporter_hash=REPORTER, reason="誹謗中傷です")
    Reaction.objects.create(comment=comment, kind=Reaction.Kind.EMPATHY, voter_hash=VOTER)
    html = get_html(admin_client, reverse("admin:comments_comment_change", args=[comment.pk]))
    assert "コメント を変更" in html
    assert "記事:</label>" in html and "港の再開発の記事</a>" in html
    assert "通報された投稿" in html
    assert 'name="body"' not in html and 'name="body_html"' not in html and 'name="name"' not in html
    assert 'name="status"' in html and 'name="hold_reason"' in html
    # Reports inline, read-only.
    assert "誹謗中傷です" in html and "通報日時" in html
    assert 'name="reports-0-reason"' not in html
    assert REPORTER not in html and VOTER not in html


def test_setting_status_to_deleted_in_the_form_removes_the_text(admin_client, queue):
    comment = queue["held"]
    Report.objects.create(comment=comment, reporter_hash=REPORTER, reason="宣伝")
    report = Report.objects.get()
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    data = {
        "status": "deleted",
        "hold_reason": "",
        "reports-TOTAL_FORMS": "1",
        "reports-INITIAL_FORMS": "1",
        "reports-MIN_NUM_FORMS": "0",
        "reports-MAX_NUM_FORMS": "1000",
        "reports-0-id": str(report.pk),
        "reports-0-comment": str(comment.pk),
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.DELETED
    assert comment.body == comment.body_html == moderation.DELETED_TEXT
    # Once deleted, the status is no longer a field.
    assert 'name="status"' not in get_html(admin_client, url)


def test_comments_cannot_be_added_by_hand(admin_client):
    assert admin_client.get(reverse("admin:comments_comment_add")).status_code == 403


# Threads


def test_thread_list_and_actions(admin_client, queue, article):
    thread = Thread.objects.create(article=article, last_number=4)
    url = reverse("admin:comments_thread_changelist")
    html = get_html(admin_client, url)
    assert "変更する スレッド を選択" in html
    assert "港の再開発の記事" in html
    for label in ["コメント数", "承認待ち", "通報あり", "書き込み停止", "全投稿を承認制にする"]:
        assert label in html
    # Counts: 4 comments, 1 held, 1 reported and visible.
    assert re.search(r'field-comment_count">4<', html)
    assert re.search(r'field-held_count">1<', html)
    assert re.search(r'field-reported_count">1<', html)
    # Editable right in the list.
    assert 'name="form-0-locked"' in html and 'name="form-0-hold_all"' in html

    html = act(admin_client, "lock", [thread], url=url)
    assert "1件のスレッドを書き込み停止にしました。" in html
    thread.refresh_from_db()
    assert thread.locked
    act(admin_client, "hold_all_posts", [thread], url=url)
    thread.refresh_from_db()
    assert thread.hold_all
    act(admin_client, "unlock", [thread], url=url)
    act(admin_client, "release_all_posts", [thread], url=url)
    thread.refresh_from_db()
    assert not thread.locked and not thread.hold_all
    assert thread.last_number == 4


def test_thread_functions_report_changes(article):
    thread = Thread.objects.create(article=article)
    assert moderation.lock(thread) is True
    assert moderation.lock(thread) is False
    assert moderation.unlock(thread) is True
    assert moderation.hold_all(thread) is True
    assert moderation.release_all(thread) is True
    thread.refresh_from_db()
    assert not thread.locked and not thread.hold_all


def test_thread_added_by_hand_continues_the_numbering(admin_client, queue, article):
    response = admin_client.post(
        reverse("admin:comments_thread_add"), {"article": article.pk, "locked": "on"}
    )
    assert response.status_code == 302, response.content.decode()
    thread = Thread.objects.get()
    assert thread.locked and thread.last_number == max(c.number for c in queue.values())
    html = get_html(admin_client, reverse("admin:comments_thread_change", args=[article.pk]))
    assert "スレッド を変更" in html and 'name="locked"' in html and 'name="last_number"' not in html


# NG words and bans


def test_ng_word_admin(admin_client):
    url = reverse("admin:comments_ngword_changelist")
    response = admin_client.post(reverse("admin:comments_ngword_add"), {"word": "死ね", "action": "reject"})
    assert response.status_code == 302, response.content.decode()
    NGWord.objects.create(word="宣伝", action=NGWord.Action.HOLD)
    html = get_html(admin_client, url)
    assert "変更する NGワード を選択" in html
    assert "死ね" in html and "宣伝" in html
    assert "投稿を拒否する" in html and "承認待ちにする" in html
    assert "対応" in html
    word = NGWord.objects.get(word="死ね")
    html = get_html(admin_client, reverse("admin:comments_ngword_change", args=[word.pk]))
    assert "NGワード を変更" in html
    admin_client.post(reverse("admin:comments_ngword_delete", args=[word.pk]), {"post": "yes"})
    assert not NGWord.objects.filter(word="死ね").exists()


def test_ban_admin_lists_and_lifts_bans(admin_client):
    now = timezone.now()
    active = Ban.objects.create(source_hash=SOURCE, until=now + dt.timedelta(days=1), reason="荒らし")
    Ban.objects.create(source_hash=OTHER_SOURCE, until=now - dt.timedelta(days=1), reason="古い禁止")
    url = reverse("admin:comments_ban_changelist")
    html = get_html(admin_client, url)
    assert "変更する 投稿禁止 を選択" in html
    assert f"{PREFIX}…" in html and "荒らし" in html and "古い禁止" in html
    for label in ["投稿元（先頭のみ）", "期限", "有効", "理由", "禁止を解除する"]:
        assert label in html
    html = get_html(admin_client, url, {"active": "yes"})
    assert "荒らし" in html and "古い禁止" not in html
    assert admin_client.get(reverse("admin:comments_ban_add")).status_code == 403

    html = get_html(admin_client, reverse("admin:comments_ban_change", args=[active.pk]))
    assert "投稿禁止 を変更" in html and 'name="until_0"' in html and 'name="source_hash"' not in html

    html = act(admin_client, "lift", [active], url=url)
    assert "1件の投稿禁止を解除しました。" in html
    assert not Ban.objects.filter(pk=active.pk).exists()


# No poster's hash on any page


def test_no_source_hash_on_any_admin_page(admin_client, queue, article):
    comment = queue["reported"]
    Report.objects.create(comment=comment, reporter_hash=REPORTER, reason="通報理由")
    Reaction.objects.create(comment=comment, kind=Reaction.Kind.DOUBT, voter_hash=VOTER)
    Thread.objects.create(article=article, last_number=4)
    act(admin_client, "ban_7d", [queue["held"]])
    ban = Ban.objects.get()
    urls = [
        reverse("admin:index"),
        reverse("admin:app_list", args=["comments"]),
        CHANGELIST,
        f"{CHANGELIST}?queue=all",
        reverse("admin:comments_comment_change", args=[comment.pk]),
        reverse("admin:comments_comment_history", args=[comment.pk]),
        reverse("admin:comments_thread_changelist"),
        reverse("admin:comments_thread_change", args=[article.pk]),
        reverse("admin:comments_ngword_changelist"),
        reverse("admin:comments_ban_changelist"),
        reverse("admin:comments_ban_change", args=[ban.pk]),
        reverse("admin:comments_ban_delete", args=[ban.pk]),
    ]
    for url in urls:
        html = get_html(admin_client, url)
        for secret in [SOURCE, REPORTER, VOTER]:
            assert secret[: len(PREFIX) + 1] not in html, url
        if "/ban/" in url:
            assert f"{PREFIX}…" in html, url
        else:
            assert PREFIX not in html, url
    # Searching by a hash finds nothing: the hash is not a search field.
    assert "通報された投稿" not in get_html(admin_client, CHANGELIST, {"q": SOURCE})


def test_admin_index_lists_the_comment_models_in_japanese(admin_client, queue):
    html = get_html(admin_client, reverse("admin:index"))
    for name in ["コメント", "スレッド", "NGワード", "投稿禁止"]:
        assert name in html
    html = get_html(admin_client, f"{CHANGELIST}?queue=all")
    assert "変更する コメント を選択" in html
    for label in [
        "承認して表示",
        "非表示にする",
        "削除（番号は残す）",
        "投稿元を24時間禁止",
        "投稿元を7日間禁止",
    ]:
        assert label in html


def test_an_editors_deletion_removes_the_name_and_trip_too(article):
    from newsdesk.comments import moderation

    comment = Comment.objects.create(
        article=article, number=1, name="荒らし", trip="◆abcdefgh", body="x", body_html="x"
    )
    moderation.delete(Comment.objects.filter(pk=comment.pk))
    comment.refresh_from_db()
    assert (comment.name, comment.trip, comment.status) == ("", "", Comment.Status.DELETED)
