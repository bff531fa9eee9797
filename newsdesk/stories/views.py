"""The story list and the story page."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from newsdesk.articles.views import paginate
from newsdesk.stories import queries
from newsdesk.stories.models import Story


def story_list(request):
    page = paginate(request, queries.published_stories())
    return render(request, "stories/list.html", {"page": page, "stories": page.object_list})


def detail(request, pk: int):
    story = get_object_or_404(Story, pk=pk)
    memberships = queries.story_articles(story)
    if not memberships:
        raise Http404("ストーリーが見つかりません")
    columns = queries.outlet_columns(memberships)
    return render(
        request,
        "stories/detail.html",
        {
            "story": story,
            "columns": columns,
            "article_count": len(memberships),
            "outlet_count": len({m.article.outlet_id for m in memberships}),
            "first": memberships[0].article,
            **queries.shared_facts(memberships),
        },
    )
