"""The article page's check-and-fix tools: their admin URLs, views and template context.

Each tool is a small form (``editorial/_article_tools.html``) posting to its own URL: put a dropped
line back, take a body line out, run a stage again. The views take POST only, need the permission
to change the article (CSRF is checked by ``admin_view``), run the stages the edit calls for, and
redirect back to the article with a message in Japanese. The edits themselves are in
:mod:`newsdesk.editorial.article_edits`.
"""

from __future__ import annotations

import contextlib
from functools import update_wrapper

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.text import Truncator

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.editorial import article_edits as edits
from newsdesk.editorial import revisions
from newsdesk.pipeline import runner
from newsdesk.pipeline import stages as pipeline_stages

TOOLS_ANCHOR = "#newsdesk-tools"
PREVIEW_CHARS = 60


def urls(model_admin) -> list:
    """The tools' URLs, for ``ArticleAdmin.get_urls`` (before the admin's catch-all)."""

    def wrap(view):
        def wrapper(request, object_id):
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(model_admin, request, object_id)

        return update_wrapper(model_admin.admin_site.admin_view(wrapper), view)

    name = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}"
    return [
        path("<path:object_id>/tools/restore/", wrap(restore_line), name=f"{name}_restore_line"),
        path("<path:object_id>/tools/remove/", wrap(remove_line), name=f"{name}_remove_line"),
        path("<path:object_id>/tools/rerun/", wrap(rerun_stage), name=f"{name}_rerun_stage"),
    ]


def _article(model_admin, request, object_id) -> Article:
    article = model_admin.get_object(request, unquote(object_id))
    if article is None:
        raise Http404("記事が見つかりません。")
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    return article


def _back(article: Article) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]) + TOOLS_ANCHOR)


def _position(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _edit(model_admin, request, object_id, change):
    """Runs ``change(article)`` (an edit returning an Outcome) on the locked article and saves it,
    then runs the stages it calls for and tells the editor what happened."""
    article = _article(model_admin, request, object_id)
    # A revision of its own when the admin keeps them (VersionAdmin), so the history shows the edit.
    revision = getattr(model_admin, "create_revision", None)
    try:
        with revision(request) if revision else contextlib.nullcontext(), transaction.atomic():
            article = Article.objects.select_for_update().get(pk=article.pk)
            if revision:
                # As before a save of the form: the stored state (as ingested, or as the pipeline
                # left it) is kept first, so the history shows this edit and can undo it.
                revisions.keep_stored_state(article.pk)
            outcome = change(article)
            article.save(update_fields=[*outcome.fields, "updated_at"])
            model_admin.log_change(request, article, outcome.message)
    except edits.EditError as exc:
        model_admin.message_user(request, str(exc), messages.ERROR)
        return _back(article)
    model_admin.message_user(request, outcome.message, messages.SUCCESS)
    if outcome.warning:
        model_admin.message_user(request, outcome.warning, messages.WARNING)
    if outcome.stages:
        _rerun(model_admin, request, article, outcome.stages)
    return _back(article)


def restore_line(model_admin, request, object_id):
    post = request.POST

    def change(article: Article) -> edits.Outcome:
        line = edits.find_dropped(article, post.get("line", ""))
        role, translation = post.get("role", ""), post.get("translation", "")
        return edits.put_back(article, line, role, _position(post.get("position")), translation)

    return _edit(model_admin, request, object_id, change)


def remove_line(model_admin, request, object_id):
    number = _position(request.POST.get("paragraph"))
    return _edit(model_admin, request, object_id, lambda article: edits.take_out(article, number))


def rerun_stage(model_admin, request, object_id):
    article = _article(model_admin, request, object_id)
    name = request.POST.get("stage", "")
    if name not in pipeline_stages.stages():
        model_admin.message_user(request, "やり直す段階を選んでください。", messages.ERROR)
        return _back(article)
    model_admin.log_change(request, article, f"「{pipeline_stages.label(name)}」以降の段階をやり直しました。")
    _rerun(model_admin, request, article, pipeline_stages.stages_from(name))
    return _back(article)


def _rerun(model_admin, request, article: Article, names: list[str]) -> None:
    """Runs ``names`` again (with whatever else is still to do) and reports how each ended."""
    labels = "・".join(pipeline_stages.label(name) for name in names)
    try:
        runner.rerun(article, names)
    except Exception as exc:  # the runner has stored the failure on the stage's row
        model_admin.message_user(request, f"段階をやり直せませんでした（{labels}）：{exc}", messages.ERROR)
        return
    rows = {row.name: row for row in article.stages.filter(name__in=names)}
    unfinished = [
        f"{pipeline_stages.label(name)}（{rows[name].get_state_display()}"
        + (f"：{rows[name].error}" if rows[name].error else "")
        + "）"
        for name in names
        if name in rows and rows[name].state != PipelineStage.State.DONE
    ]
    if unfinished:
        model_admin.message_user(
            request,
            f"段階をやり直しました（{labels}）。終わっていない段階：" + "、".join(unfinished),
            messages.WARNING,
        )
    else:
        model_admin.message_user(request, f"段階をやり直しました（{labels}）。", messages.SUCCESS)


def context(model_admin, request, article: Article) -> dict:
    """What ``editorial/_article_tools.html`` shows for ``article``."""
    name = f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}"
    body = edits.body_lines(article)
    rows = {row.name: row for row in article.stages.all()}
    names = [*pipeline_stages.stage_names(), *sorted(set(rows) - set(pipeline_stages.stage_names()))]
    return {
        "urls": {
            tool: reverse(f"{name}_{tool}", args=[article.pk])
            for tool in ("restore_line", "remove_line", "rerun_stage")
        },
        "can_change": model_admin.has_change_permission(request, article),
        "dropped": [
            {
                "key": line.key,
                "text": line.text,
                "by_editor": line.by_editor,
                "source": line.raw.get_kind_display() if line.by_editor else line.raw.location,
                "reason": line.reason,
            }
            for line in edits.dropped_lines(article)
        ],
        "roles": list(edits.ROLES.items()),
        "body": [(number, Truncator(text).chars(PREVIEW_CHARS)) for number, text in enumerate(body, 1)],
        "end_position": len(body) + 1,
        "asks_translation": not article.is_japanese and edits.body_field(article) == "paragraphs",
        "stages": [
            {
                "label": pipeline_stages.label(stage),
                "row": rows[stage],
                "state": rows[stage].get_state_display(),
                "unfinished": rows[stage].state != PipelineStage.State.DONE,
            }
            for stage in names
            if stage in rows
        ],
        "rerun_choices": [(stage, pipeline_stages.label(stage)) for stage in pipeline_stages.stages()],
    }
