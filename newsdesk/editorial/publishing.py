"""Publishing from the admin: what cannot be published, and the reuse-policy confirmation.

An outlet's reuse policy (``Outlet.reuse_policy``) says how much of its articles the site shows;
``policy_reviewed`` says an editor has checked it. Publishing an article whose page would show the
whole Japanese text from an outlet whose policy no editor has reviewed asks the editor to confirm
first: on the change form a checkbox (``CONFIRM_LABEL``), in the bulk action a confirmation page.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import admin, messages
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.sources.models import Outlet

CONFIRM_LABEL = "転載方針を確認しました"
CONFIRMED_LOG = "転載方針を確認して公開しました。"


def refusal(*, japanese: bool, title: str, translation: list, summary: list, outlet: Outlet | None) -> str:
    """Why an article with these values cannot be published ("" when it can); the words complete
    「…ため公開しませんでした」 and 「…まま公開することはできません」."""
    if japanese:
        return ""
    translated = any(str(paragraph).strip() for paragraph in translation or [])
    if not translated and outlet is not None and outlet.allows_full_translation:
        return "翻訳がない"
    if not title.strip():
        return "日本語の見出しがない"
    if not translated and not any(str(bullet).strip() for bullet in summary or []):
        return "日本語の本文も要約もない"
    return ""


def article_refusal(article: Article) -> str:
    return refusal(
        japanese=article.is_japanese,
        title=article.title,
        translation=article.translation,
        summary=article.summary,
        outlet=article.outlet,
    )


def needs_confirmation(outlet: Outlet | None, japanese_paragraphs: list) -> bool:
    """True when the page would show the whole Japanese text of an outlet no editor has reviewed."""
    return (
        outlet is not None
        and not outlet.policy_reviewed
        and outlet.allows_full_translation
        and any(str(paragraph).strip() for paragraph in japanese_paragraphs or [])
    )


def asks_on_form(article: Article) -> bool:
    """Whether the change form shows the confirmation checkbox: an unpublished article of an outlet
    whose policy (full translation) no editor has reviewed."""
    return (
        article.pk is not None
        and article.status != Article.Status.PUBLISHED
        and not article.outlet.policy_reviewed
        and article.outlet.allows_full_translation
    )


def policy_text(outlet: Outlet) -> str:
    reviewed = "編集者が確認済み" if outlet.policy_reviewed else "未確認"
    return f"{outlet.get_reuse_policy_display()}（{reviewed}）"


def confirmation_message(outlet: Outlet) -> str:
    return (
        f"媒体「{outlet}」の転載方針（{outlet.get_reuse_policy_display()}）はまだ編集者が確認していません。"
        f"全文を載せてよいか確かめ、「{CONFIRM_LABEL}」にチェックしてから公開してください。"
    )


@admin.action(description="公開する", permissions=["change"])
def publish(modeladmin, request, queryset):
    articles = list(queryset.select_related("outlet"))
    refused: dict[str, list[Article]] = defaultdict(list)
    ready: list[Article] = []
    for article in articles:
        reason = article_refusal(article)
        (refused[reason] if reason else ready).append(article)
    unconfirmed = [
        article
        for article in ready
        if article.status != Article.Status.PUBLISHED
        and needs_confirmation(article.outlet, article.japanese_paragraphs)
    ]
    if unconfirmed and request.POST.get("policy_confirmed") != "yes":
        return _confirmation_page(modeladmin, request, articles, ready, unconfirmed, refused)
    now = timezone.now()
    published = 0
    with transaction.atomic():
        for article in ready:
            if article.status == Article.Status.PUBLISHED:
                continue
            article.publish(now=now)
            article.save()
            published += 1
            if article in unconfirmed:
                modeladmin.log_change(request, article, CONFIRMED_LOG)
    if published:
        modeladmin.message_user(request, f"{published}件の記事を公開しました。", messages.SUCCESS)
    already = len(ready) - published
    if already:
        modeladmin.message_user(request, f"{already}件はすでに公開済みでした。", messages.INFO)
    for reason, skipped in refused.items():
        modeladmin.message_user(
            request,
            f"{reason}ため公開しなかった記事が{len(skipped)}件あります："
            + "、".join(article.headline for article in skipped),
            messages.WARNING,
        )
    return None


def _confirmation_page(modeladmin, request, articles, ready, unconfirmed, refused):
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "公開の確認：転載方針",
        "subtitle": None,
        "opts": opts,
        "confirm_label": CONFIRM_LABEL,
        "unconfirmed": [
            {
                "article": article,
                "policy": policy_text(article.outlet),
                "outlet_url": reverse("admin:sources_outlet_change", args=[article.outlet_id]),
            }
            for article in unconfirmed
        ],
        "others": [
            article
            for article in ready
            if article not in unconfirmed and article.status != Article.Status.PUBLISHED
        ],
        "refused": [(reason, skipped) for reason, skipped in refused.items()],
        "selected": [article.pk for article in articles],
        "action": "publish",
    }
    return TemplateResponse(request, "admin/articles/article/publish_confirmation.html", context)


@admin.action(description="却下する", permissions=["change"])
def reject(modeladmin, request, queryset):
    count = 0
    with transaction.atomic():
        for article in queryset.exclude(status=Article.Status.REJECTED):
            article.status = Article.Status.REJECTED
            article.save(update_fields=["status", "updated_at"])
            count += 1
    modeladmin.message_user(request, f"{count}件の記事を却下しました。", messages.SUCCESS)
    already = queryset.count() - count
    if already:
        modeladmin.message_user(request, f"{already}件はすでに却下済みでした。", messages.INFO)
