"""``/media/images/<article id>/<name>``: the stored copies of lead images (newsdesk.images).

The file is found through the article's ArticleImage row (the name must be one of the two it
stores), never by joining a path from the request. Names carry a hash of the bytes, so a copy never
changes under its address: it is cached for a year, ``immutable``. An unpublished article's image
is shown to editors only, and never cached by a shared cache.
"""

from __future__ import annotations

import posixpath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe

from newsdesk.articles.models import Article
from newsdesk.images.models import ArticleImage, content_type

PUBLIC = "public, max-age=31536000, immutable"
EDITORS_ONLY = "private, no-cache"


@require_safe
def image_file(request, article_id: int, name: str):
    row = ArticleImage.objects.filter(article_id=article_id).first()
    file = row.file_named(name) if row is not None else None
    if file is None:
        raise Http404("画像が見つかりません")
    # The user is looked at only for an unpublished article: a public image does not vary by cookie.
    if Article.objects.published().filter(pk=article_id).exists():
        cache_control = PUBLIC
    elif request.user.is_staff:
        cache_control = EDITORS_ONLY
    else:
        raise Http404("画像が見つかりません")
    headers = {
        "Cache-Control": cache_control,
        "ETag": f'"{posixpath.splitext(name)[0]}"',
        "X-Content-Type-Options": "nosniff",
    }
    not_modified = get_conditional_response(request, etag=headers["ETag"])
    if not_modified is not None:
        for header, value in headers.items():
            not_modified[header] = value
        return not_modified
    try:
        if request.method == "HEAD":
            size = default_storage.size(file.name)
            return HttpResponse(
                content_type=content_type(name), headers={**headers, "Content-Length": str(size)}
            )
        stream = default_storage.open(file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404("画像が見つかりません") from exc
    response = FileResponse(stream, content_type=content_type(name))
    for header, value in headers.items():
        response[header] = value
    return response
