"""The ingest page (/admin/ingest/), a batch's results and their JSON for the page's script.

Each view is called by ``NewsdeskAdminSite`` behind ``admin_view`` (a logged-in staff member) and
asks for the permission to add articles. Submitting stores a batch and redirects to its page.
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from newsdesk.editorial.ingest_forms import IngestForm
from newsdesk.pipeline import batches
from newsdesk.pipeline.models import IntakeBatch, IntakeItem

PERMISSION = "articles.add_article"
RECENT = 10
Status = IntakeItem.Status


def ingest(site: AdminSite, request: HttpRequest) -> HttpResponse:
    _check(request)
    if request.method == "POST":
        form = IngestForm(request.POST, request.FILES)
        if form.is_valid():
            batch = batches.submit(
                form.entries(),
                user=request.user,
                url=form.cleaned_data["url"],
                publish=form.cleaned_data["publish"],
            )
            return redirect(reverse("admin:ingest_batch", args=[batch.pk], current_app=site.name))
    else:
        form = IngestForm()
    context = {
        **site.each_context(request),
        "title": "取り込み",
        "form": form,
        "batches": _recent(),
    }
    return TemplateResponse(request, "editorial/ingest.html", context)


def batch(site: AdminSite, request: HttpRequest, batch_id: int) -> HttpResponse:
    _check(request)
    found = _batch(batch_id)
    items = _items(found)
    context = {
        **site.each_context(request),
        "title": f"取り込み #{found.pk}",
        "batch": found,
        "items": items,
        "pending": _pending(items),
        "status_url": reverse("admin:ingest_batch_status", args=[found.pk], current_app=site.name),
    }
    return TemplateResponse(request, "editorial/ingest_batch.html", context)


def batch_status(site: AdminSite, request: HttpRequest, batch_id: int) -> HttpResponse:
    """The batch as JSON: each item's result, whether any is unfinished, and the rendered list."""
    _check(request)
    found = _batch(batch_id)
    items = _items(found)
    pending = _pending(items)
    html = TemplateResponse(
        request, "editorial/_ingest_items.html", {"items": items, "pending": pending}
    ).rendered_content
    return JsonResponse(
        {
            "batch": found.pk,
            "pending": pending,
            "items": [_item_json(item, site) for item in items],
            "html": html,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _check(request: HttpRequest) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _batch(batch_id: int) -> IntakeBatch:
    return get_object_or_404(IntakeBatch.objects.select_related("created_by"), pk=batch_id)


def _items(found: IntakeBatch) -> list[IntakeItem]:
    """The inputs in the order given, each feed with its entries (``item.feed_entries``)."""
    entries = IntakeItem.objects.select_related("article").order_by("pk")
    return list(
        found.items.filter(feed__isnull=True)
        .select_related("article")
        .prefetch_related(Prefetch("entries", queryset=entries, to_attr="feed_entries"))
        .defer("text", "data")
    )


def _pending(items: list[IntakeItem]) -> bool:
    """Whether any item shown is unfinished, from the rows shown: asked again in a query of its
    own, a worker could finish an item in between, and the answer say 'done' beside an item
    still shown 処理中."""
    shown = [entry for item in items for entry in (item, *item.feed_entries)]
    return any(item.status in IntakeItem.UNFINISHED for item in shown)


def _item_json(item: IntakeItem, site: AdminSite) -> dict:
    article = item.article
    return {
        "id": item.pk,
        "label": item.label,
        "kind": item.kind,
        "status": item.status,
        "status_label": item.get_status_display(),
        "message": item.message,
        "article": {
            "id": article.pk,
            "title": str(article),
            "url": reverse("admin:articles_article_change", args=[article.pk], current_app=site.name),
        }
        if article
        else None,
        "entries": [_item_json(entry, site) for entry in getattr(item, "feed_entries", [])],
    }


def _recent() -> list[IntakeBatch]:
    return list(
        IntakeBatch.objects.select_related("created_by").annotate(
            total=Count("items", filter=Q(items__feed__isnull=True)),
            created=Count("items", filter=Q(items__status=Status.CREATED)),
            existing=Count("items", filter=Q(items__status=Status.EXISTING)),
            failed=Count("items", filter=Q(items__status=Status.FAILED)),
            unfinished=Count("items", filter=Q(items__status__in=IntakeItem.UNFINISHED)),
        )[:RECENT]
    )
