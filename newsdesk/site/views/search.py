"""The search page ``/search/?q=`` and the JSON API ``/api/search?q=``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from newsdesk.images.service import attach_images
from newsdesk.search import service
from newsdesk.sources.models import Outlet


def _outlets():
    return Outlet.objects.filter(articles__status="published").distinct().order_by("name")


@require_GET
def search_page(request):
    error = None
    search = None
    try:
        search = service.run(service.parse(request.GET))
        attach_images(item.article for item in search.items)
    except service.ParamError as exc:
        error = str(exc)
    params = {key: request.GET.get(key, "") for key in ("q", "outlet", "since", "until", "entity")}
    base = urlencode({key: value for key, value in params.items() if value})
    context = {
        "search": search,
        "error": error,
        "params": params,
        "base_query": base,
        "outlets": _outlets(),
        "entity_name": service.entity_name(search.filters.entity) if search else None,
    }
    return render(request, "search/results.html", context, status=400 if error else 200)


@require_GET
def search_api(request):
    try:
        search = service.parse(request.GET)
        if not search.query:
            raise service.ParamError("q is required")
        service.run(search)
    except service.ParamError as exc:
        return JsonResponse({"error": str(exc)}, status=400, json_dumps_params={"ensure_ascii": False})
    return JsonResponse(
        {
            "count": search.count,
            "page": search.page,
            "num_pages": search.num_pages,
            "results": [item.as_json() for item in search.items],
        },
        json_dumps_params={"ensure_ascii": False},
    )
