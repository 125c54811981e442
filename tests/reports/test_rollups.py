"""Rollups (docs/metrics.md#rolling-up) checked against an independent pandas computation over demo data."""

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from reports import services
from reports.models import SCORE_CODES, SUMMED_CODES, OrganisationRollup, StoreRollup
from stores.demo import demo_seed
from stores.models import DailyMetric, Store
from stores.periods import PeriodKind

# 2015 has an ISO week 53 (28 Dec 2015 – 3 Jan 2016) and W01 of 2015 starts on 29 Dec 2014. It is
# the calendar of 2026 (a common year starting on a Thursday), in the past: no day to come is recorded.
END = dt.date(2016, 1, 10)


def _frame() -> pd.DataFrame:
    rows = DailyMetric.objects.values(
        "store_id", "store__organisation_id", "date", *SUMMED_CODES, *SCORE_CODES
    )
    frame = pd.DataFrame.from_records(list(rows)).astype(object)
    dates = pd.to_datetime(frame["date"])
    frame["day"] = dates.dt.date
    frame["week"] = (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.date
    frame["month"] = dates.dt.to_period("M").dt.start_time.dt.date
    frame["quarter"] = dates.dt.to_period("Q").dt.start_time.dt.date
    frame["year"] = dates.dt.to_period("Y").dt.start_time.dt.date
    return frame.sort_values("date")


def _total(values: pd.Series):
    present = [value for value in values if value is not None and not pd.isna(value)]
    return sum(present, start=type(present[0])(0)) if present else None


def _last(values: pd.Series):
    present = [value for value in values if value is not None and not pd.isna(value)]
    return present[-1] if present else None


def _lowest(values: pd.Series):
    present = [value for value in values if value is not None and not pd.isna(value)]
    return min(present) if present else None


def expected_store_rollups(frame: pd.DataFrame, kind: str) -> dict[tuple, dict]:
    expected = {}
    for (store_id, start), days in frame.groupby(["store_id", kind]):
        values = {"store_days": len(days)}
        values |= {code: _total(days[code]) for code in SUMMED_CODES}
        values |= {code: _last(days[code]) for code in SCORE_CODES}
        values |= {f"{code}_min": _lowest(days[code]) for code in SCORE_CODES}
        expected[(store_id, start)] = values
    return expected


def _stored(model, key_field: str, kind: str) -> dict[tuple, dict]:
    columns = ["store_days", *SUMMED_CODES, *SCORE_CODES, *(f"{code}_min" for code in SCORE_CODES)]
    return {
        (row[key_field], row["period_start"]): {column: row[column] for column in columns}
        for row in model.objects.filter(kind=kind).values(key_field, "period_start", *columns)
    }


@pytest.fixture
def demo_history(db):
    demo_seed(stores=2, years=1, seed=7, end_date=END)
    store = Store.objects.order_by("pk").first()
    # A gap of days, and days without scores, so "last day that has one" is tested.
    DailyMetric.objects.filter(store=store, date__range=("2015-06-10", "2015-06-20")).delete()
    DailyMetric.objects.filter(store=store, date__range=("2015-12-29", "2015-12-31")).update(
        dsr_item=None, dsr_service=None, dsr_logistics=None, cs_inquiries=None
    )
    services.rollups_rebuild(stores=Store.objects.all())
    return _frame()


@pytest.mark.parametrize("kind", [kind.value for kind in PeriodKind])
def test_store_rollups_match_an_independent_pandas_computation(demo_history, kind):
    assert _stored(StoreRollup, "store_id", kind) == expected_store_rollups(demo_history, kind)


@pytest.mark.parametrize("kind", [kind.value for kind in PeriodKind])
def test_organisation_rollups_sum_the_stores_and_keep_the_lowest_score(demo_history, kind):
    per_store = expected_store_rollups(demo_history, kind)
    organisation_id = demo_history["store__organisation_id"].iloc[0]
    expected: dict[tuple, dict] = {}
    for (_store, start), values in per_store.items():
        total = expected.setdefault((organisation_id, start), {})
        for column, value in values.items():
            if value is None:
                total.setdefault(column, None)
            elif column in SCORE_CODES or column.endswith("_min"):
                total[column] = value if total.get(column) is None else min(total[column], value)
            else:
                total[column] = value if total.get(column) is None else total[column] + value
    stored = _stored(OrganisationRollup, "organisation_id", kind)
    assert stored == expected


def test_iso_week_53_and_week_1_across_the_year_end(demo_history):
    store = Store.objects.order_by("pk").last()
    weeks = StoreRollup.objects.filter(store=store, kind="week")
    week_53 = weeks.get(period_start=dt.date(2015, 12, 28))
    assert week_53.period_end == dt.date(2016, 1, 3)
    assert week_53.store_days == 7
    week_1 = weeks.get(period_start=dt.date(2014, 12, 29))
    # The demo starts on 1 January 2015: W01 holds only 1–4 January.
    assert week_1.store_days == 4


def test_months_and_quarters_have_their_calendar_lengths(demo_history):
    store = Store.objects.order_by("pk").last()
    months = {
        row.period_start: (row.period_end, row.store_days)
        for row in StoreRollup.objects.filter(store=store, kind="month", period_start__year=2015)
    }
    assert months[dt.date(2015, 2, 1)] == (dt.date(2015, 2, 28), 28)
    assert months[dt.date(2015, 4, 1)] == (dt.date(2015, 4, 30), 30)
    assert months[dt.date(2015, 12, 1)] == (dt.date(2015, 12, 31), 31)
    quarter = StoreRollup.objects.get(store=store, kind="quarter", period_start=dt.date(2015, 4, 1))
    assert (quarter.period_end, quarter.store_days) == (dt.date(2015, 6, 30), 91)


def test_a_period_with_a_missing_score_keeps_the_last_day_that_has_one(demo_history):
    store = Store.objects.order_by("pk").first()
    december = StoreRollup.objects.get(store=store, kind="month", period_start=dt.date(2015, 12, 1))
    last_scored = DailyMetric.objects.get(store=store, date=dt.date(2015, 12, 28))
    assert december.dsr_item == last_scored.dsr_item
    assert december.store_days == 31


def test_rebuilding_twice_writes_the_same_rows(demo_history):
    columns = ["store_id", "kind", "period_start", "period_end", "store_days", *SUMMED_CODES, *SCORE_CODES]
    before = list(StoreRollup.objects.order_by("store_id", "kind", "period_start").values_list(*columns))
    services.rollups_rebuild(stores=Store.objects.all())
    after = list(StoreRollup.objects.order_by("store_id", "kind", "period_start").values_list(*columns))
    assert after == before
    assert StoreRollup.objects.count() == len(before)


def test_a_hand_computed_week(db):
    from tests.factories import DailyMetricFactory, StoreFactory

    store = StoreFactory()
    # Monday and Wednesday of 2015-W10; Sunday of W09 does not belong to it.
    DailyMetricFactory(store=store, date=dt.date(2015, 3, 1), uv=999, gmv=Decimal("9.99"))
    DailyMetricFactory(store=store, date=dt.date(2015, 3, 2), uv=1000, paid_buyers=30, gmv=Decimal("4500.10"))
    DailyMetricFactory(
        store=store,
        date=dt.date(2015, 3, 4),
        uv=3000,
        paid_buyers=30,
        gmv=Decimal("0.05"),
        dsr_item=Decimal("4.7123"),
    )
    services.store_rollups_refresh(store_id=store.pk, days=[dt.date(2015, 3, 2)])
    week = StoreRollup.objects.get(store=store, kind="week", period_start=dt.date(2015, 3, 2))
    assert (week.period_end, week.store_days, week.uv, week.paid_buyers) == (dt.date(2015, 3, 8), 2, 4000, 60)
    assert week.gmv == Decimal("4500.15")
    assert (week.dsr_item, week.dsr_item_min) == (Decimal("4.7123"), Decimal("4.7123"))
    # Weekly conversion is Σ buyers / Σ UV = 60 / 4000 = 1.5 %, not the mean of 3 % and 1 % (2 %).
    assert week.values()["conversion"] == Decimal("0.015")


def test_a_week_without_visitors_has_no_conversion_rather_than_zero(db):
    from tests.factories import DailyMetricFactory, StoreFactory

    store = StoreFactory()
    for day in (dt.date(2015, 3, 2), dt.date(2015, 3, 3)):
        DailyMetricFactory(store=store, date=day, uv=0, paid_buyers=0, gmv=Decimal("0.00"))
    services.store_rollups_refresh(store_id=store.pk, days=[dt.date(2015, 3, 2)])
    values = StoreRollup.objects.get(store=store, kind="week").values()
    assert (values["uv"], values["gmv"]) == (0, Decimal("0.00"))
    assert values["conversion"] is None and values["aov"] is None and values["uv_value"] is None


@pytest.mark.parametrize("kind", ["week", "month"])
def test_a_pages_total_row_equals_the_stored_organisation_total(demo_history, kind):
    """Totals are made twice, once in SQL (OrganisationRollup) and once in Python for a page's
    chosen stores (selectors.stores_combined); for every store they must agree."""
    from reports.models import VALUE_COLUMNS
    from reports.selectors import stores_combined

    for total in OrganisationRollup.objects.filter(kind=kind):
        rows = StoreRollup.objects.filter(kind=kind, period_start=total.period_start).values(*VALUE_COLUMNS)
        combined = stores_combined(rows)
        assert {column: combined.get(column) for column in VALUE_COLUMNS} == {
            column: getattr(total, column) for column in VALUE_COLUMNS
        }
