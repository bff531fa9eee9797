"""The story list, the story page and the storyline page."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from newsdesk.site import listings
from newsdesk.site.caching import reader_page
from newsdesk.site.pages import PageMeta, image_url, paginate
from newsdesk.stories import facts, queries
from newsdesk.stories.models import Story, Storyline


@reader_page("page")
def story_list(request):
    count = listings.kept("count:stories", queries.listed_story_count)
    page = paginate(request, queries.published_stories(), count)
    meta = PageMeta(
        "ストーリー",
        "同じ出来事を伝える各媒体の記事をまとめ、見出しと要点を並べて比べられます。",
        reverse("stories:list"),
        page.number,
    )
    return render(request, "stories/list.html", {"page": page, "stories": page.object_list, "meta": meta})


@reader_page("page")
def storyline_list(request):
    storylines = queries.published_storylines()
    page = paginate(request, storylines, listings.count("storylines", storylines))
    meta = PageMeta(
        "ストーリーライン",
        "数か月にわたる一連の出来事を、ストーリーごとに時系列で追えます。",
        reverse("stories:storylines"),
        page.number,
    )
    return render(
        request, "stories/storylines.html", {"page": page, "storylines": page.object_list, "meta": meta}
    )


@reader_page()
def detail(request, pk: int):
    story = get_object_or_404(Story, pk=pk)
    memberships = queries.story_articles(story)
    if not memberships:
        raise Http404("ストーリーが見つかりません")
    columns = queries.outlet_columns(memberships)
    outlet_count = len({m.article.outlet_id for m in memberships})
    first = memberships[0].article
    several = outlet_count > 1
    meta = PageMeta(
        f"{story.title}（各媒体の報道）" if several else story.title,
        f"「{story.title}」を{outlet_count}媒体がどう伝えたか、見出しと要点を並べて比べられます。"
        if several
        else f"「{story.title}」を伝える{first.outlet}の記事です。",
        story.get_absolute_url(),
        image=image_url(first),
    )
    return render(
        request,
        "stories/detail.html",
        {
            "story": story,
            "columns": columns,
            "article_count": len(memberships),
            "outlet_count": outlet_count,
            "first": first,
            "meta": meta,
            **facts.shared_facts(memberships),
        },
    )


@reader_page()
def storyline(request, pk: int):
    line = get_object_or_404(Storyline, pk=pk)
    context = queries.storyline_page(line)
    if not context["entries"]:
        raise Http404("ストーリーラインが見つかりません")
    meta = PageMeta(
        f"{line.title}（ストーリーライン）",
        f"「{line.title}」をめぐる{len(context['entries'])}件の出来事と{len(context['outlets'])}媒体の報道を時系列で追えます。",
        line.get_absolute_url(),
    )
    return render(request, "stories/storyline.html", {"storyline": line, "meta": meta, **context})
