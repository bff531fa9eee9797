"""Every public address of the site, under the namespaces the templates and feeds reverse."""

from django.urls import include, path

from newsdesk.site.caching import reader_page
from newsdesk.site.comment_feed import ArticleCommentsFeed
from newsdesk.site.views import articles, comments, entities, images, search, stories, tags

article_urls = [
    path("", articles.latest, name="latest"),
    path("popular/", articles.popular, name="popular"),
    path("recommended/", articles.recommended, name="recommended"),
    path("articles/<int:pk>/", articles.detail, name="detail"),
    path("articles/<int:pk>/view", articles.count_view, name="count_view"),
    path("a/<int:pk>", articles.short, name="short"),
    path("outlets/<str:domain>/", articles.outlet, name="outlet"),
    path("outlets/by-id/<int:pk>/", articles.outlet_by_id, name="outlet_by_id"),
]
comment_urls = [
    path("articles/<int:pk>/comments", comments.post, name="post"),
    path("articles/<int:pk>/comments/<int:number>/reactions", comments.reaction, name="react"),
    path("articles/<int:pk>/comments/<int:number>/report", comments.report_comment, name="report"),
    path(
        "articles/<int:pk>/comments.atom", reader_page(comments="thread")(ArticleCommentsFeed()), name="feed"
    ),
]
entity_urls = [path("entities/<str:key>/", entities.detail, name="detail")]
story_urls = [
    path("stories/", stories.story_list, name="list"),
    path("stories/<int:pk>/", stories.detail, name="detail"),
    path("storylines/", stories.storyline_list, name="storylines"),
    path("storylines/<int:pk>/", stories.storyline, name="storyline"),
]
tag_urls = [
    path("tags/", tags.index, name="index"),
    path("tags/<slug:slug>/", tags.detail, name="detail"),
]
# The stored lead images (newsdesk.images): found by their row, never by a path.
image_urls = [path("media/images/<int:article_id>/<str:name>", images.image_file, name="file")]
search_urls = [
    path("search/", search.search_page, name="page"),
    path("api/search", search.search_api, name="api"),
]

# Search comes first: /api/search must be matched before the comment API's JSON catch-all.
search_patterns = [path("", include((search_urls, "search")))]
urlpatterns = [
    path("", include((article_urls, "articles"))),
    path("", include((comment_urls, "comments"))),
    path("", include((entity_urls, "entities"))),
    path("", include((story_urls, "stories"))),
    path("", include((tag_urls, "tags"))),
    path("", include((image_urls, "images"))),
    path("", include("newsdesk.site.feed_urls")),
]
