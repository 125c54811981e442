"""The report's charts draw in a real Chromium under the Content-Security-Policy, which allows
scripts and styles from our own static files only: no inline script, no violation."""

import datetime as dt
from decimal import Decimal

import pytest

from reports import services
from stores.models import Store
from tests.browser import browser_page, log_in  # noqa: F401 (fixture)
from tests.factories import DailyMetricFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = dt.date
WEEK = "2026-W46"  # 9–15 November 2026
# Every CSP violation the page reports, collected before any of its own scripts run.
LISTEN = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


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


def _watch(page) -> list[str]:
    """The console's errors and warnings and the failed responses from now on (the browser's own
    request for /favicon.ico aside); CSP violations are also in window.cspViolations."""
    page.add_init_script(LISTEN)
    problems = []

    def console(message):
        # A failed response is reported below, with its address.
        if message.type in ("error", "warning") and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    def response(answer):
        if answer.status >= 400 and not answer.url.endswith("/favicon.ico"):
            problems.append(f"{answer.status} {answer.url}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", response)
    return problems


def test_the_weekly_report_charts_draw_under_the_policy(two_weeks, browser_page):  # noqa: F811
    page, base_url = browser_page
    problems = _watch(page)
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
