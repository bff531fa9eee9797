"""The search page ``/search/?q=`` and the JSON API ``/api/search?q=``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from newsdesk.articles.models import Article
from newsdesk.images.service import attach_images
from newsdesk.search import service
from newsdesk.site.caching import reader_page
from newsdesk.sources.models import Outlet

# What the form sends, carried into the links of the results.
SEARCH_PARAMS = ("q", "outlet", "since", "until", "entity", "order")


def _outlets():
    # One check per outlet (the outlet's listing index), not a pass over every published article.
    published = Article.objects.filter(outlet=OuterRef("pk"), status=Article.Status.PUBLISHED)
    return Outlet.objects.filter(Exists(published)).order_by("name")


@require_GET
@reader_page(*SEARCH_PARAMS, "page")
def search_page(request):
    error = None
    search = None
    try:
        search = service.run(service.parse(request.GET))
        attach_images(item.article for item in search.items)
    except service.ParamError as exc:
        error = str(exc)
    params = {key: request.GET.get(key, "") for key in SEARCH_PARAMS}
    base = urlencode({key: value for key, value in params.items() if value})
    base_no_order = urlencode({key: value for key, value in params.items() if value and key != "order"})
    context = {
        "search": search,
        "error": error,
        "params": params,
        "base_query": base,
        "base_query_no_order": base_no_order,
        "outlets": _outlets(),
        "orders": service.ORDERS,
        "entity_name": service.entity_name(search.filters.entity) if search else None,
    }
    return render(request, "search/results.html", context, status=400 if error else 200)


def _json_error(message: str, status: int, **headers) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def search_api(request):
    """GET only; every error is ``{"error": "…"}`` in Japanese, as the comment API's are."""
    if request.method not in ("GET", "HEAD"):
        return _json_error("このAPIは GET だけを受け付けます。", 405, Allow="GET, HEAD")
    try:
        search = service.parse(request.GET)
        if not search.query:
            raise service.ParamError("q（検索語）を指定してください。")
        service.run(search)
    except service.ParamError as exc:
        return _json_error(str(exc), 400)
    return JsonResponse(
        {
            "count": search.count,
            "page": search.page,
            "num_pages": search.num_pages,
            "results": [item.as_json() for item in search.items],
        },
        json_dumps_params={"ensure_ascii": False},
    )
