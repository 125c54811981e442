"""The dashboards' month pacing names the month's target and its actual so far (issue 16: the ops
lead's journey found only percentages there, so a changed target could not be seen)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from kpi.allocation import financial_year_days
from kpi.models import PlanDay, SalesTarget
from reports import services as report_services
from stores import periods
from stores.models import Store
from tests.factories import DailyMetricFactory

D = Decimal


@pytest.fixture
def planned(personas):
    """Store A: ¥1,000 a day planned all year, ¥800 sold on each day of the month so far."""
    yesterday = periods.yesterday()
    days = financial_year_days(year=yesterday.year)
    plan = SalesTarget.objects.create(
        store=personas.store_a,
        year=yesterday.year,
        first_day=days[0],
        last_day=days[-1],
        annual=D(1000) * len(days),
    )
    PlanDay.objects.bulk_create(
        PlanDay(plan=plan, store=personas.store_a, date=day, target=D(1000), weight=1, source="default")
        for day in days
    )
    for back in range(yesterday.day):
        DailyMetricFactory(store=personas.store_a, date=yesterday - dt.timedelta(days=back), gmv=D(800))
    report_services.rollups_rebuild(stores=Store.objects.all())
    return personas


def _month_days(day: dt.date) -> int:
    return ((day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)).day


@pytest.mark.parametrize("page", ["dashboard", "store_dashboard"])
def test_the_month_line_names_its_target_and_actual(planned, client_for, page):
    client = client_for(planned.lead)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse(page, args=["store-a"] if page == "store_dashboard" else [])
    yesterday = periods.yesterday()

    shown = client.get(url).content.decode()

    target, actual = D(1000) * _month_days(yesterday), D(800) * yesterday.day
    assert f'data-pacing="month" data-period="{yesterday:%Y-%m}"' in shown
    assert f'Target <span data-figure="target">¥{target:,.2f}</span>' in shown
    assert f'Actual <span data-figure="actual">¥{actual:,.2f}</span>' in shown


def test_a_changed_month_target_shows_on_the_next_visit(planned, client_for):
    client = client_for(planned.lead)
    yesterday = periods.yesterday()
    last_day = yesterday.replace(day=_month_days(yesterday))
    PlanDay.objects.filter(store=planned.store_a, date=last_day).update(target=D("51000.00"))

    shown = client.get(reverse("store_dashboard", args=["store-a"])).content.decode()

    target = D(1000) * _month_days(yesterday) + D(50000)
    assert f'<span data-figure="target">¥{target:,.2f}</span>' in shown
