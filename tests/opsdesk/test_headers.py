"""Security headers: a Content-Security-Policy on every page (our own static files only), and
Cache-Control: private, no-store on every response to a logged-in user, pages and downloads alike,
but not on static files."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from reports import services
from stores.models import Store
from tests.factories import DailyMetricFactory

WEEK = "2026-W46"
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def _cache_control(response) -> set[str]:
    return {value.strip() for value in response.get("Cache-Control", "").split(",")}


def _no_store(response) -> bool:
    return {"private", "no-store"} <= _cache_control(response)


@pytest.fixture
def week(personas):
    for offset in range(7):
        DailyMetricFactory(
            store=personas.store_a, date=dt.date(2026, 11, 9) + dt.timedelta(offset), gmv=Decimal("1000.00")
        )
    services.rollups_rebuild(stores=Store.objects.all())
    return personas


def test_the_login_page_has_the_policy(db, client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    directives = _directives(response)
    assert {name: directives.get(name) for name in POLICY} == POLICY
    # Styles: our stylesheets, and only plotly.js's own two <style> elements, by their hashes.
    sources = directives["style-src"].split()
    assert sources[0] == "'self'" and all(
        re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", s) for s in sources[1:]
    )
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("home", {}),
        ("reports:weekly", {"period": WEEK}),
        ("reports:weekly_export", {"period": WEEK, "format": "xlsx"}),
        ("reports:weekly_export", {"period": WEEK, "format": "csv"}),
        ("reports:alerts", {}),
        ("tasks:checklist", {}),
        ("imports:list", {}),
    ],
)
def test_what_a_logged_in_user_gets_is_never_stored(week, client_for, name, query):
    response = client_for(week.lead).get(reverse(name), query, follow=True)
    assert response.status_code == 200
    assert _no_store(response), response.get("Cache-Control")
    assert "public" not in response.get("Cache-Control", "")
    assert _directives(response)["script-src"] == "'self'"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_store_export_is_never_stored(week, client_for, file_format):
    response = client_for(week.operator).get(
        reverse("stores:export", args=[week.store_a.slug]), {"format": file_format}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert _no_store(response)


def test_the_store_pages_are_never_stored(week, client_for):
    client = client_for(week.operator)
    for url in (reverse("stores:detail", args=["store-a"]), reverse("stores:entry", args=["store-a"])):
        response = client.get(url)
        assert response.status_code == 200
        assert _no_store(response)


def test_static_files_keep_their_caching(week, settings):
    # whitenoise answers static files before any later middleware, as in production (where they
    # come from collectstatic); here it finds them where they are. A new client builds the
    # middleware with this setting.
    settings.WHITENOISE_USE_FINDERS = True
    client = Client()
    client.force_login(week.lead)
    for path in ("/static/css/opsdesk.css", "/static/js/charts.js", "/static/vendor/plotly.min.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not {"no-store", "private"} & {
            value.strip() for value in response.get("Cache-Control", "").split(",")
        }


def test_the_rq_dashboard_alone_may_run_its_inline_scripts(personas, client_for):
    client = client_for(personas.superuser)
    rq = client.get("/admin/django-rq/")
    assert rq.status_code == 200
    assert _directives(rq)["script-src"] == "'self' 'unsafe-inline'"
    assert _directives(rq)["style-src"] == "'self' 'unsafe-inline'"
    admin = client.get("/admin/")
    assert _directives(admin)["script-src"] == "'self'"
    assert "'unsafe-inline'" not in admin["Content-Security-Policy"]
    assert _no_store(rq) and _no_store(admin)


# Pages a person opens, by who opens them: none may hold an inline script or a style attribute,
# which the policy would block (the weekly email is mail, not a page, and is not here).
PAGES = [
    ("lead", "home", {}),
    ("lead", "reports:daily", {"period": "2026-11-15"}),
    ("lead", "reports:weekly", {"period": WEEK}),
    ("lead", "reports:monthly", {"period": "2026-11"}),
    ("lead", "reports:alerts", {}),
    ("lead", "reports:rollup_status", {}),
    ("lead", "stores:list", {}),
    ("operator", "stores:entry", {"slug": "store-a"}),
    ("operator", "stores:detail", {"slug": "store-a"}),
    ("operator", "tasks:checklist", {}),
    ("lead", "tasks:team", {}),
    ("lead", "tasks:template_list", {}),
    ("lead", "imports:list", {}),
    (None, "login", {}),
]
# A JSON data block (json_script) is not run, so the policy lets it be.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.parametrize(("persona", "name", "args"), PAGES)
def test_no_page_holds_inline_script_or_style(week, client, persona, name, args):
    if persona:
        client.force_login(week.user(persona))
    query = {key: value for key, value in args.items() if key == "period"}
    kwargs = {key: value for key, value in args.items() if key != "period"}
    response = client.get(reverse(name, kwargs=kwargs), query, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert INLINE_SCRIPT.findall(html) == []
    assert STYLE_ATTRIBUTE.findall(html) == []
    assert EVENT_HANDLER.findall(html) == []
