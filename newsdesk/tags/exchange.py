"""The tag links each exported article carries (``newsdesk export``), and their restore."""

from __future__ import annotations

from newsdesk.tags.models import ArticleTag


def export_fields(article) -> dict:
    """``tags``: [{tag (its id in the site-wide ``tag`` records), source}], every link.

    The automatic links travel too, not only the editors': recomputing them on import would
    follow today's keywords, while an article is kept as it was tagged (an older article is not
    tagged again when keywords change, see ``tasks.RETAG_DAYS``).
    """
    links = sorted(article.tag_links.all(), key=lambda link: link.tag_id)
    return {"tags": [{"tag": link.tag_id, "source": link.source} for link in links]}


def restore(article, record: dict) -> None:
    ArticleTag.objects.bulk_create(
        ArticleTag(article=article, tag_id=link["tag"], source=link["source"])
        for link in record.get("tags", [])
    )
