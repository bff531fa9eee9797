"""Links to a page's feeds, and its JSON-LD."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join

from newsdesk.site import jsonld
from newsdesk.site.feeds import FEEDS, FORMATS

register = template.Library()

LABELS = {"rss": "RSS", "atom": "Atom"}


def feed_choices(key: str, obj) -> list[tuple[str, str, str, str]]:
    """(label, media type, title, path) of each format of ``FEEDS[key]`` for ``obj``."""
    choices = []
    for format, feed_type in FORMATS.items():
        feed = FEEDS[key](format)
        media_type = feed_type.content_type.split(";")[0]
        choices.append((LABELS[format], media_type, feed.title(obj), feed.path(obj, format)))
    return choices


@register.simple_tag
def feed_links(key: str, obj=None):
    """``<link rel="alternate">`` in the head, for browsers and feed readers to find the feeds."""
    return format_html_join(
        "\n",
        '<link rel="alternate" type="{}" title="{}（{}）" href="{}">',
        ((media_type, title, label, path) for label, media_type, title, path in feed_choices(key, obj)),
    )


@register.simple_tag
def feed_buttons(key: str, obj=None):
    """The visible 「フィード：RSS ・ Atom」 line."""
    links = format_html_join(
        " ・ ",
        '<a href="{}" type="{}">{}</a>',
        ((path, media_type, label) for label, media_type, title, path in feed_choices(key, obj)),
    )
    return format_html('<p class="page-note feed-links">フィード：{}</p>', links)


@register.simple_tag
def news_article_json_ld(article):
    return jsonld.script(jsonld.news_article(article))


@register.simple_tag
def story_json_ld(story, columns):
    """An ItemList of the articles the story page shows, in its order (column by column)."""
    articles = [entry["article"] for column in columns for entry in column["articles"]]
    return jsonld.script(jsonld.story_item_list(story, articles))
