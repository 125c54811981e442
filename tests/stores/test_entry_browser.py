"""The entry page in a real browser on a phone-sized screen: ratios appear as you type."""

import datetime as dt
from decimal import Decimal

import pytest

from stores.models import DailyMetric
from tests.browser import browser_page, log_in  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = dt.date(2026, 11, 2)


def test_derived_metrics_follow_the_typing_and_the_day_is_saved(personas, browser_page):  # noqa: F811
    page, base_url = browser_page
    log_in(page, base_url, "operator")
    page.goto(f"{base_url}/stores/store-a/entry/{DAY.isoformat()}/")
    assert page.text_content("[data-derived=conversion]") == "—"

    page.fill("input[name=uv]", "2,000")
    page.fill("input[name=paid_buyers]", "50")
    page.fill("input[name=gmv]", "9000")
    assert page.text_content("[data-derived=conversion]") == "2.50%"  # 50 / 2,000
    assert page.text_content("[data-derived=aov]") == "¥180.00"  # 9,000 / 50
    assert page.text_content("[data-derived=roi]") == "—", "no ad spend typed: no ROI"

    page.click("form#entry-form button[type=submit]")
    page.wait_for_selector(".message")
    day = DailyMetric.objects.get(store=personas.store_a, date=DAY)
    assert (day.uv, day.paid_buyers, day.gmv) == (2000, 50, Decimal("9000.00"))
    assert day.entered_by == personas.operator


def test_the_page_fits_a_375_pixel_phone(personas, browser_page):  # noqa: F811
    page, base_url = browser_page
    log_in(page, base_url, "operator")
    page.goto(f"{base_url}/stores/store-a/entry/{DAY.isoformat()}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
