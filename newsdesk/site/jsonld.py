"""schema.org JSON-LD for the article and story pages.

The Japanese page is a translation or summary of another outlet's article: the original's author
stays the author, our site is the publisher, and ``isBasedOn`` names the original work.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from newsdesk.articles.models import Article
from newsdesk.editorial import corrections
from newsdesk.editorial.models import Correction
from newsdesk.site.pages import image_url
from newsdesk.site.pages import site_url as absolute
from newsdesk.site.templatetags.newsdesk_tags import jst_iso
from newsdesk.stories.models import Story

# What json_script escapes: no "</script>" or "<!--" can end the element early, "&" starts no entity.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script(data: dict) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def without_empty(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in ("", None, [], {})}


def site_organization() -> dict:
    return {"@type": "Organization", "name": settings.NEWSDESK["SITE_NAME"], "url": absolute("/")}


def outlet_organization(article: Article) -> dict:
    outlet = article.outlet
    return without_empty(
        {
            "@type": "Organization",
            "name": str(outlet),
            "url": f"https://{outlet.domain}/" if outlet.domain else "",
        }
    )


def original_author(article: Article) -> dict:
    if article.author:
        return {"@type": "Person", "name": article.author}
    return outlet_organization(article)


def original_date(article: Article) -> str:
    """The original's publication in Japan time; a day without a time of day as the day alone."""
    day = article.published_day
    return day.isoformat() if day else jst_iso(article.published_at)


def news_article(article: Article) -> dict:
    summary = [bullet for bullet in article.summary or [] if isinstance(bullet, str) and bullet.strip()]
    canonical_url = absolute(article.get_absolute_url())
    original = without_empty(
        {
            "@type": "NewsArticle",
            "url": article.url or article.source_url,
            "headline": article.original_title,
            "inLanguage": article.language,
            "author": original_author(article),
            "publisher": outlet_organization(article),
            "datePublished": original_date(article),
        }
    )
    return without_empty(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.headline,
            "alternativeHeadline": article.original_title
            if article.original_title != article.headline
            else "",
            "description": summary[0] if summary else article.standfirst,
            "url": canonical_url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": canonical_url},
            "inLanguage": "ja",
            "datePublished": jst_iso(article.site_published_at),
            "dateModified": jst_iso(corrections.modified_at(article)),
            "image": [image] if (image := image_url(article)) else [],  # our stored copy
            "author": original_author(article),
            "publisher": site_organization(),
            "isBasedOn": original,
            "correction": correction_comments(article),
        }
    )


def correction_comments(article: Article) -> list[dict]:
    """The article's 訂正 as CorrectionComments (an 更新 adds news, it corrects nothing)."""
    return [
        {"@type": "CorrectionComment", "text": item.note, "datePublished": jst_iso(item.created_at)}
        for item in corrections.of(article)
        if item.kind == Correction.Kind.CORRECTION
    ]


def story_item_list(story: Story, articles: list[Article]) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": story.title,
        "url": absolute(story.get_absolute_url()),
        "numberOfItems": len(articles),
        "itemListElement": [
            {"@type": "ListItem", "position": position, "url": absolute(article.get_absolute_url())}
            for position, article in enumerate(articles, start=1)
        ],
    }
