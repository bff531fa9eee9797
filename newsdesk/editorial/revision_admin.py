"""The article admin's revisions, corrections and edit lock, as a base of ``ArticleAdmin``.

- 履歴 (``history/``): every revision, newest first, with who saved it and what changed;
  ``history/<version>/``: the differences from the revision before (headline, bullets, original
  and translated paragraphs) and a button that restores that revision's text (``revert/``).
- The change page (``editorial/_revision_panel.html``) says who else has it open, carries the
  version it was loaded from (``version_check``), lists the article's 訂正・更新 and, once it is
  published, lets the editor mark the save as one.
- ``lock/``: the page's script refreshes the edit lock while the page is open.

Deleted articles are not recovered from revisions (reversion's recover views are off): an
article's stages, comments and stories go with it, and its text alone would be a broken page.
"""

from __future__ import annotations

import reversion
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.admin import VersionAdmin

from newsdesk.editorial import diffs, locks, revisions, version_check
from newsdesk.editorial.models import Correction


class ArticleRevisionAdmin(VersionAdmin):
    object_history_template = "editorial/revision_history.html"
    revision_diff_template = "editorial/revision_diff.html"
    # Django's change list, without reversion's "recover deleted" button.
    change_list_template = None

    # URLs and views

    def _url_name(self, name: str) -> str:
        return f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{name}"

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/<int:version_id>/revert/",
                wrap(self.revert_view),
                name=f"{info}_revert",
            ),
            path("<path:object_id>/lock/", wrap(self.edit_lock_view), name=f"{info}_edit_lock"),
            *super().get_urls(),
        ]

    def _article(self, request, object_id, change: bool = False):
        article = self.get_object(request, unquote(str(object_id)))
        if article is None:
            raise Http404("記事が見つかりません")
        allowed = (
            self.has_change_permission(request, article)
            if change
            else self.has_view_or_change_permission(request, article)
        )
        if not allowed:
            raise PermissionDenied
        return article

    def _context(self, request, article, title: str, **values) -> dict:
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "object": article,
            "change_url": reverse(self._url_name("change"), args=[article.pk]),
            "history_url": reverse(self._url_name("history"), args=[article.pk]),
            **values,
        }

    def history_view(self, request, object_id, extra_context=None):
        article = self._article(request, object_id)
        rows = revisions.history(article.pk)
        for row in rows:
            row["url"] = reverse(self._url_name("revision"), args=[article.pk, row["version"].pk])
            row["user_name"] = locks.display_name(row["user"]) if row["user"] else "自動処理など"
        context = self._context(
            request, article, f"「{article}」の履歴", rows=rows, limited=len(rows) >= revisions.HISTORY_LIMIT
        )
        context.update(extra_context or {})
        return TemplateResponse(request, self.object_history_template, context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """The differences between a revision and the one before it, and a revert button."""
        article = self._article(request, object_id)
        version = get_object_or_404(revisions.versions(article.pk), pk=version_id)
        before = revisions.previous(version)
        user = version.revision.user
        context = self._context(
            request,
            article,
            f"「{article}」の版（{revisions.jst_text(version.revision.date_created)}）",
            version=version,
            previous=before,
            when=revisions.jst_text(version.revision.date_created),
            previous_when=revisions.jst_text(before.revision.date_created) if before else "",
            user_name=locks.display_name(user) if user else "自動処理など",
            comment=version.revision.get_comment(),
            sections=diffs.compare(revisions.content(before), revisions.content(version)),
            old_label="前の版" if before else "（なし）",
            new_label="この版",
            revert_url=reverse(self._url_name("revert"), args=[article.pk, version.pk]),
            can_revert=self.has_change_permission(request, article),
        )
        context.update(extra_context or {})
        return TemplateResponse(request, self.revision_diff_template, context)

    def revert_view(self, request, object_id, version_id):
        article = self._article(request, object_id, change=True)
        version = get_object_or_404(revisions.versions(article.pk), pk=version_id)
        if request.method != "POST":
            return redirect(self._url_name("revision"), article.pk, version.pk)
        when = revisions.jst_text(version.revision.date_created)
        if revisions.revert(article, version, request.user):
            self.message_user(
                request, f"{when}の版の見出し・要約・本文に戻し、処理をやり直しました。", messages.SUCCESS
            )
        else:
            self.message_user(
                request,
                f"{when}の版の見出し・要約・本文に戻しました。処理のやり直しに失敗した段階があります（処理段階を確認してください）。",
                messages.WARNING,
            )
        return redirect(self._url_name("change"), article.pk)

    def recoverlist_view(self, request, extra_context=None):
        raise Http404("削除した記事は履歴から戻せません")

    def recover_view(self, request, version_id, extra_context=None):
        raise Http404("削除した記事は履歴から戻せません")

    def edit_lock_view(self, request, object_id):
        """POST: refreshes the caller's edit lock; answers who holds it (``locks.LockState``)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, object_id)
        return JsonResponse(self._lock(request, article).as_json())

    def _lock(self, request, article) -> locks.LockState:
        """Takes or refreshes the editor's lock; an editor who may only view does not take one."""
        if self.has_change_permission(request, article):
            return locks.hold(article.pk, request.user)
        return locks.current(article.pk, request.user)

    # The change page

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return version_check.guarded(form) if obj is not None and obj.pk is not None else form

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is not None and self.has_view_or_change_permission(request, article):
            extra_context = {**(extra_context or {}), "revision_panel": self.revision_panel(request, article)}
        return super().change_view(request, object_id, form_url, extra_context)

    def revision_panel(self, request, article) -> dict:
        can_change = self.has_change_permission(request, article)
        lock = self._lock(request, article)
        found = revisions.versions(article.pk)
        latest = found.first()
        corrections = [
            {
                "kind": correction.get_kind_display(),
                "when": revisions.jst_text(correction.created_at),
                "note": correction.note,
                "editor": locks.display_name(correction.editor) if correction.editor_id else "",
            }
            for correction in article.corrections.select_related("editor")
        ]
        return {
            "lock": lock,
            "lock_url": reverse(self._url_name("edit_lock"), args=[article.pk]) if can_change else "",
            "refresh_seconds": locks.REFRESH_SECONDS,
            "history_url": reverse(self._url_name("history"), args=[article.pk]),
            "revision_count": found.count(),
            "latest_when": revisions.jst_text(latest.revision.date_created) if latest else "",
            "latest_user": locks.display_name(latest.revision.user)
            if latest and latest.revision.user
            else "",
            "corrections": corrections,
            "can_correct": can_change and version_check.is_published(article),
        }

    def save_model(self, request, obj, form, change):
        if change:
            revisions.keep_stored_state(obj.pk)
        super().save_model(request, obj, form, change)
        kind = form.cleaned_data.get(version_check.KIND_FIELD) if change else ""
        if kind:
            request._newsdesk_correction = Correction.objects.create(
                article=obj, kind=kind, note=form.cleaned_data[version_check.NOTE_FIELD], editor=request.user
            )

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        correction = getattr(request, "_newsdesk_correction", None)
        if correction is not None and reversion.is_active():
            reversion.set_comment(f"{entry.get_change_message()} {correction}")
        return entry

    def response_change(self, request, obj):
        if "_continue" not in request.POST:
            locks.release(obj.pk, request.user)
        return super().response_change(request, obj)
