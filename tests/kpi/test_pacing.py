"""Pacing against a hand-made June: both time progresses, the gap, the run-rate, the forecast and
where it lands, per store and in total."""

import datetime as dt
from decimal import Decimal

import pytest

from kpi.allocation import PlanLevel
from kpi.models import PlanDay, SalesTarget
from kpi.pacing import TOTAL, Landing, pacing_get, period_pacing_get
from stores.periods import DateRange, days_between
from tests.factories import DailyMetricFactory

D = Decimal
JUNE = days_between(dt.date(2027, 6, 1), dt.date(2027, 6, 30))
AS_OF = dt.date(2027, 6, 15)


def _june_target(date: dt.date) -> Decimal:
    """¥1,000 a day to the 17th, ¥13,000 on 618, ¥500 a day after: ¥36,000 in all."""
    if date.day <= 17:
        return D("1000.00")
    return D("13000.00") if date.day == 18 else D("500.00")


def _plan(store, *, floor=None, stretch=None, days=JUNE):
    plan = SalesTarget.objects.create(
        store=store,
        year=2027,
        first_day=dt.date(2027, 1, 1),
        last_day=dt.date(2027, 12, 31),
        annual=D("36000.00"),
        floor_percent=floor,
        stretch_percent=stretch,
    )
    PlanDay.objects.bulk_create(
        PlanDay(plan=plan, store=store, date=date, target=_june_target(date), weight=1, source="default")
        for date in days
    )
    return plan


@pytest.fixture
def june(personas):
    _plan(personas.store_a, floor=D("90"), stretch=D("120"))
    for date in days_between(dt.date(2027, 6, 1), AS_OF):
        DailyMetricFactory(store=personas.store_a, date=date, gmv=D("900.00"))
    DailyMetricFactory(store=personas.store_a, date=AS_OF + dt.timedelta(days=1), gmv=D("99999.00"))  # today
    return personas


def test_a_month_with_618_in_it_is_paced_by_its_plan_not_the_calendar(june):
    month = pacing_get(stores=[june.store_a], day=AS_OF, levels=(PlanLevel.MONTH,))[PlanLevel.MONTH]
    pacing = month[june.store_a.pk]
    assert (pacing.label, pacing.target, pacing.actual) == ("2027-06", D("36000.00"), D("13500.00"))
    # 15 of 30 days have passed, but the days so far were planned at 15 × ¥1,000 = ¥15,000.
    assert (pacing.days_elapsed, pacing.days_left, pacing.planned_to_date) == (15, 15, D("15000.00"))
    assert pacing.linear_progress == D("0.5")
    assert pacing.planned_progress == D(15000) / D(36000)  # 41.67 %
    assert pacing.completion == D("0.375")  # 13,500 / 36,000
    assert pacing.behind  # 37.5 % < 41.67 %: 4.17 points behind, not the 12.5 a calendar says
    assert pacing.gap == D("-1500.00")  # 13,500 − 15,000
    assert pacing.required_daily == D("1500")  # (36,000 − 13,500) / 15 days
    # The rest of the month at the pace so far (90 % of plan): 13,500 + 21,000 × 0.9 = 32,400.
    assert pacing.forecast == D("32400")
    assert (pacing.floor, pacing.stretch) == (D("32400.00"), D("43200.00"))
    assert pacing.landing is Landing.FLOOR  # at 保底, below the target


def test_the_json_has_every_figure_as_strings(june):
    pacing = pacing_get(stores=[june.store_a], day=AS_OF, levels=(PlanLevel.MONTH,))[PlanLevel.MONTH]
    assert pacing[june.store_a.pk].as_json() == {
        "period": "2027-06",
        "first_day": "2027-06-01",
        "last_day": "2027-06-30",
        "as_of": "2027-06-15",
        "target": "36000.00",
        "actual": "13500.00",
        "planned_to_date": "15000.00",
        "completion": "0.3750",
        "time_progress_linear": "0.5000",
        "time_progress_planned": "0.4167",
        "behind": True,
        "gap": "-1500.00",
        "days_elapsed": 15,
        "days_left": 15,
        "required_daily": "1500.00",
        "forecast": "32400.00",
        "floor": "32400.00",
        "stretch": "43200.00",
        "landing": "floor",
    }


def test_a_period_not_wholly_planned_has_no_pacing(june):
    found = pacing_get(stores=[june.store_a, june.store_b], day=AS_OF)
    assert found[PlanLevel.YEAR][june.store_a.pk] is None  # only June is planned
    assert found[PlanLevel.MONTH][june.store_b.pk] is None  # no plan at all


def test_the_total_sums_the_stores_that_have_a_plan(june):
    _plan(june.store_b)  # the same June, nothing sold
    month = pacing_get(stores=[june.store_a, june.store_b], day=AS_OF, levels=(PlanLevel.MONTH,))[
        PlanLevel.MONTH
    ]
    total = month[TOTAL]
    assert (total.target, total.actual, total.planned_to_date) == (
        D("72000.00"),
        D("13500.00"),
        D("30000.00"),
    )
    assert total.floor is None  # store B has no 保底: the total has none either
    assert total.landing is Landing.BELOW_TARGET


def test_a_finished_period_forecasts_its_actual_and_needs_nothing_more(june):
    june_whole = DateRange(dt.date(2027, 6, 1), dt.date(2027, 6, 30))
    pacing = period_pacing_get(stores=[june.store_a], period=june_whole, day=dt.date(2027, 7, 3))[
        june.store_a.pk
    ]
    assert (pacing.days_left, pacing.required_daily) == (0, None)
    assert pacing.forecast == pacing.actual == D("13500.00") + D("99999.00")
    assert pacing.planned_progress == 1


def test_a_day_is_paced_as_its_target_against_its_actual(june):
    day = period_pacing_get(stores=[june.store_a], period=DateRange(AS_OF, AS_OF), day=AS_OF)[june.store_a.pk]
    assert (day.target, day.actual, day.completion) == (D("1000.00"), D("900.00"), D("0.9"))
