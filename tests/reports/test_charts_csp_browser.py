"""The report's charts draw in a real Chromium under the Content-Security-Policy, which allows
scripts and styles from our own static files only: no inline script, no violation."""

import datetime as dt
from decimal import Decimal

import pytest

from reports import services
from stores.models import Store
from tests.browser import browser_page, log_in, problems_watched  # noqa: F401 (fixture)
from tests.factories import DailyMetricFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = dt.date
WEEK = "2026-W46"  # 9–15 November 2026


@pytest.fixture
def two_weeks(personas):
    """Store A: W46 at ¥1,000 a day from 100 UV and 5 buyers, W45 at ¥800 from 4 buyers."""
    for offset in range(7):
        for start, gmv, buyers in ((D(2026, 11, 9), "1000.00", 5), (D(2026, 11, 2), "800.00", 4)):
            DailyMetricFactory(
                store=personas.store_a,
                date=start + dt.timedelta(offset),
                gmv=Decimal(gmv),
                uv=100,
                paid_buyers=buyers,
            )
    services.rollups_rebuild(stores=Store.objects.all())
    return personas


def test_the_weekly_report_charts_draw_under_the_policy(two_weeks, browser_page):  # noqa: F811
    page, base_url = browser_page
    problems = problems_watched(page)
    log_in(page, base_url, "lead")
    response = page.goto(f"{base_url}/reports/weekly/?org=acme&period={WEEK}")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    charts = page.locator(".plotly-chart")
    assert charts.count() == 4  # why GMV moved, GMV per day, conversion per day, last 8 weeks
    page.wait_for_function(
        "[...document.querySelectorAll('.plotly-chart')].every((c) => c.querySelector('svg.main-svg'))"
    )
    # Drawn, not just started: the waterfall's and the bars' shapes are there.
    assert page.locator(".plotly-chart .waterfalllayer .point path").count() == 5
    assert page.locator(".plotly-chart .barlayer .point path").count() >= 7
    # plotly.js's own rules apply (its stylesheet was not blocked): its layers are stacked.
    assert page.evaluate("getComputedStyle(document.querySelector('svg.main-svg')).position") == "absolute"
    assert page.evaluate("window.cspViolations") == []
    assert problems == []
    assert page.locator("script:not([src])").count() == 0
