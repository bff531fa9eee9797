"""Every answer carries the Content-Security-Policy and the Permissions-Policy: reader pages (also
from newsdesk's page cache), the admin, static files, error pages and the JSON API, the last
through the server's own application (newsdesk/handlers.py), whose middleware is the API's.
The browser side (nothing refused, everything still works) is tests/test_csp_browser.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import include, path

from newsdesk.core.headers import API_POLICY
from newsdesk.handlers import application_with_api
from newsdesk.settings import content_security_policy
from tests.test_reader_pages import reader_site, reader_urls  # noqa: F401  (one of every reader page)
from tests.wsgi_call import HOST, call

pytestmark = pytest.mark.django_db
# Called as the server calls it, the application ends each request by closing old connections,
# which a test inside one transaction would lose on PostgreSQL.
THROUGH_THE_SERVERS_APPLICATION = pytest.mark.django_db(transaction=True)

SITE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
FEATURES_OFF = {"camera", "microphone", "geolocation", "payment", "usb", "interest-cohort", "browsing-topics"}


def boom(request):
    raise RuntimeError("a view that fails")


# For the 500 page: the site's URLs plus a view that raises (@pytest.mark.urls(__name__)).
urlpatterns = [path("boom/", boom), path("", include("newsdesk.urls"))]


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0]: (part[1] if len(part) > 1 else "") for part in parts}


def features(header: str) -> dict[str, str]:
    return dict(item.strip().split("=", 1) for item in header.split(","))


def assert_site_policies(headers, what: str) -> None:
    headers = {name.lower(): value for name, value in headers.items()}
    assert directives(headers["content-security-policy"]) == SITE_POLICY, what
    assert "content-security-policy-report-only" not in headers, what
    off = features(headers["permissions-policy"])
    assert {feature for feature in FEATURES_OFF if off.get(feature) == "()"} == FEATURES_OFF, what
    # Django's frame-options middleware, still on (static files are answered before it).
    assert headers.get("x-frame-options") == "DENY" or what.startswith("static"), what


@pytest.fixture(scope="module")
def app():
    return application_with_api()


def test_every_reader_page_carries_both_policies_the_same_for_every_reader(reader_site):  # noqa: F811
    for url in reader_urls(reader_site):
        first = Client(REMOTE_ADDR="198.51.100.7").get(url)
        second = Client(REMOTE_ADDR="2001:db8::9", HTTP_ACCEPT_LANGUAGE="en").get(url)
        assert first.status_code == second.status_code == 200, url
        assert_site_policies(first.headers, url)
        # No nonce or anything else of one request's: the page and its headers are anyone's.
        assert first["Content-Security-Policy"] == second["Content-Security-Policy"], url
        assert "nonce-" not in first["Content-Security-Policy"], url
        assert first.content == second.content, url


@THROUGH_THE_SERVERS_APPLICATION
def test_a_page_from_the_page_cache_keeps_its_policies(reader_site, app):  # noqa: F811
    url = reader_site["article"].get_absolute_url()
    rendered, cached = call(app, url), call(app, url)
    assert rendered["status"] == cached["status"] == 200
    assert rendered["body"] == cached["body"]
    for answer in (rendered, cached):
        assert_site_policies(answer["headers"], url)
    assert cached["headers"]["content-security-policy"] == rendered["headers"]["content-security-policy"]


def test_the_admin_carries_both_policies(admin_client, article):
    for url in [
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/ingest/",
        "/admin/comments/comment/",
    ]:
        response = admin_client.get(url, HTTP_HOST=HOST)
        assert response.status_code == 200, url
        assert_site_policies(response.headers, url)
    login = Client(HTTP_HOST=HOST).get("/admin/login/")
    assert login.status_code == 200
    assert_site_policies(login.headers, "/admin/login/")


def test_the_comment_scripts_and_other_static_files_carry_both_policies():
    for url in ["/static/comments/comments.js", "/static/newsdesk/site.js", "/static/newsdesk/site.css"]:
        response = Client(HTTP_HOST=HOST).get(url)
        assert response.status_code == 200, url
        assert_site_policies(response.headers, f"static {url}")


@pytest.mark.urls(__name__)
def test_error_pages_carry_both_policies(article):
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)
    not_found = client.get("/no-such-page/")
    assert not_found.status_code == 404
    assert_site_policies(not_found.headers, "404")
    failed = client.get("/boom/")
    assert failed.status_code == 500
    assert_site_policies(failed.headers, "500")
    # A comment form posted from another site: the site's own 403 page.
    refused = Client(HTTP_HOST=HOST, enforce_csrf_checks=True).post(
        f"/articles/{article.pk}/comments", {"body": "本文"}, HTTP_ORIGIN="https://evil.example"
    )
    assert refused.status_code == 403
    assert_site_policies(refused.headers, "403 origin")
    # Django's CSRF failure (the admin's forms): the site's 403_csrf.html, which has no inline style.
    csrf = Client(HTTP_HOST=HOST, enforce_csrf_checks=True).post("/admin/login/", {"username": "a"})
    assert csrf.status_code == 403
    assert b"<style" not in csrf.content and b"style=" not in csrf.content
    assert_site_policies(csrf.headers, "403 csrf")
    bad_host = Client(HTTP_HOST="evil.example").get("/")
    assert bad_host.status_code == 400
    assert directives(bad_host["Content-Security-Policy"]) == SITE_POLICY


@THROUGH_THE_SERVERS_APPLICATION
def test_the_json_api_carries_its_own_policy_and_the_permissions_policy(article, app):
    answers = {
        "comments": call(app, f"/api/articles/{article.pk}/comments"),
        "openapi": call(app, "/api/openapi.json"),
        "not found": call(app, "/api/nothing-here"),
        "not JSON": call(app, f"/api/articles/{article.pk}/comments", "POST", b"body=x", "text/plain"),
        "bad JSON": call(app, f"/api/articles/{article.pk}/comments", "POST", b"{", "application/json"),
    }
    assert [answer["status"] for answer in answers.values()] == [200, 200, 404, 415, 400]
    for what, answer in answers.items():
        headers = answer["headers"]
        assert headers["content-type"].startswith("application/json"), what
        json.loads(answer["body"])
        assert directives(headers["content-security-policy"]) == directives(API_POLICY), what
        assert directives(API_POLICY)["default-src"] == "'none'"
        off = features(headers["permissions-policy"])
        assert all(off[feature] == "()" for feature in FEATURES_OFF), what


@THROUGH_THE_SERVERS_APPLICATION
def test_report_only_reports_instead_of_blocking(settings, article, app):
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = content_security_policy(report_uri="/csp-reports")
    settings.NEWSDESK = {**settings.NEWSDESK, "CSP_REPORT_ONLY": True, "CSP_REPORT_URI": "/csp-reports"}
    page = Client(HTTP_HOST=HOST).get(article.get_absolute_url())
    assert "Content-Security-Policy" not in page.headers
    assert directives(page["Content-Security-Policy-Report-Only"]) == {
        **SITE_POLICY,
        "report-uri": "/csp-reports",
    }
    api = call(app, f"/api/articles/{article.pk}/comments")["headers"]
    assert "content-security-policy" not in api
    assert directives(api["content-security-policy-report-only"])["report-uri"] == "/csp-reports"


def test_behind_https_the_policy_upgrades_insecure_requests():
    policy = content_security_policy(secure=True)["DIRECTIVES"]
    assert policy["upgrade-insecure-requests"] is True
    assert content_security_policy()["DIRECTIVES"]["upgrade-insecure-requests"] is False


def test_a_report_uri_with_a_separator_is_refused(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from newsdesk import conf

    monkeypatch.setenv("NEWSDESK_CSP_REPORT_URI", "https://r.example/; script-src *")
    with pytest.raises(ImproperlyConfigured, match="NEWSDESK_CSP_REPORT_URI"):
        conf.get("NEWSDESK_CSP_REPORT_URI")


ROOT = Path(__file__).resolve().parent.parent / "newsdesk"
# What the policy refuses in markup: a style attribute or block, an inline script (a data block
# such as JSON-LD is no script), an event handler attribute, a javascript: address.
REFUSED_MARKUP = re.compile(
    r"""\sstyle\s*=|<style\b|<script\b(?![^>]*\bsrc=)(?![^>]*application/ld\+json)|\son[a-z]+\s*=\s*["'{]|javascript:""",
    re.IGNORECASE,
)


def test_no_template_or_admin_markup_holds_what_the_policy_refuses():
    templates = list(ROOT.rglob("templates/**/*.html"))
    # HTML written in Python (format_html in the admin, the JSON-LD script tag).
    python = [path for path in ROOT.rglob("*.py") if "format_html" in path.read_text(encoding="utf-8")]
    assert len(templates) > 30 and python
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in [*templates, *python]
        for match in REFUSED_MARKUP.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
