"""Reuse policy: "summary and excerpt" and "link only" outlets never show a full translation."""
# ruff: noqa: F811  (pytest fixtures imported from tests.translation_servers)

from __future__ import annotations

import html

import pytest

from newsdesk.articles.models import Article
from newsdesk.pipeline import runner
from newsdesk.site.views.articles import EXCERPT_CHARS
from newsdesk.sources.models import Outlet
from tests.test_translation_openai import untranslated
from tests.translation_servers import fast_retries, openai_server, use_openai  # noqa: F401

pytestmark = pytest.mark.django_db

# Paragraphs of several sentences, so no summary bullet (one sentence) is a whole paragraph.
PARAGRAPHS = [
    "The ferry link between Shimonoseki and Busan will resume next month after four years. "
    "Its operator announced the plan on Wednesday. Tickets go on sale on Friday at the port and online, "
    "and the first sailing is already fully booked according to the company.",
    "The company will run three round trips a week. It expects about 200000 passengers in the first year. "
    "Fares start at 12000 yen for a single trip.",
    "The route was suspended in 2021. Port officials said they spent about 1.5 billion yen on the terminal. "
    "The work finished in January.",
    "Tourism groups on both sides of the strait expect more independent travellers. "
    "They plan more information desks near the port.",
    "Both cities will hold a joint ceremony next year. It will mark fifty years of the route.",
]


def rendered(client, article) -> str:
    return html.unescape(client.get(article.get_absolute_url()).content.decode())


@pytest.mark.parametrize("policy", [Outlet.ReusePolicy.SUMMARY, Outlet.ReusePolicy.LINK])
def test_no_translated_paragraph_beyond_the_excerpt_appears(use_openai, article_factory, client, policy):
    article = untranslated(article_factory, paragraphs=PARAGRAPHS, reuse_policy=policy)
    runner.run(article, publish=True)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    # The stage translated headline, lead, caption and the text the summary is made from ...
    assert article.title.startswith("【訳】") and article.lead_ja and article.caption_ja
    assert len(article.translation) == len(PARAGRAPHS) and article.summary
    page = rendered(client, article)
    assert article.title in page and article.summary[0] in page
    # ... but the page shows no translated paragraph, only (for "summary") the excerpt.
    assert 'class="paragraphs"' not in page
    for paragraph in article.translation[1:]:
        assert paragraph not in page
    assert article.translation[0] not in page  # longer than the excerpt: cut
    excerpt_shown = article.translation[0][: EXCERPT_CHARS - 1] in page
    assert excerpt_shown == (policy == Outlet.ReusePolicy.SUMMARY)


def test_a_full_translation_outlet_shows_every_paragraph_numbered(use_openai, article_factory, client):
    article = untranslated(article_factory, paragraphs=PARAGRAPHS)
    runner.run(article, publish=True)
    article.refresh_from_db()
    page = rendered(client, article)
    for number, paragraph in enumerate(article.translation, 1):
        assert f'<li id="p{number}">{paragraph}</li>' in page
