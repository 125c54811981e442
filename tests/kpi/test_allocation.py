"""The day plan's arithmetic: an annual target to days, to the cent, and every period the sum of its days."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi.allocation import (
    PlanLevel,
    financial_year_days,
    largest_remainder,
    period_sums,
    year_days_allocate,
)
from kpi.weights import default_day_factor
from stores.periods import PeriodKind, period_containing

D = Decimal


def test_largest_remainder_gives_the_left_over_cent_to_the_earlier_of_equal_items():
    # ¥100.00 over 1, 1, 1: 3333.33… cents each; 3333 each leaves 1 cent, for the first item.
    assert largest_remainder(total=D("100.00"), weights=[D(1), D(1), D(1)]) == [
        D("33.34"),
        D("33.33"),
        D("33.33"),
    ]


def test_largest_remainder_gives_the_left_over_cents_to_the_largest_remainders():
    # ¥10.00 = 1000 cents over 3, 3, 1 (of 7): 3000/7 = 428 r 4, 428 r 4, 1000/7 = 142 r 6.
    # 998 cents placed, 2 left: one to the third (remainder 6), one to the first (4, earlier of two).
    assert largest_remainder(total=D("10.00"), weights=[D(3), D(3), D(1)]) == [
        D("4.29"),
        D("4.28"),
        D("1.43"),
    ]


def test_largest_remainder_takes_weights_of_any_precision():
    # 0.5 : 0.25 : 0.25 is 2 : 1 : 1; ¥1.01 = 101 cents → 50 r 2, 25 r 1, 25 r 1 (of 4): 1 cent left.
    assert largest_remainder(total=D("1.01"), weights=[D("0.5"), D("0.25"), D("0.25")]) == [
        D("0.51"),
        D("0.25"),
        D("0.25"),
    ]


@given(
    cents=st.integers(min_value=0, max_value=10**11),
    weights=st.lists(
        st.decimals(min_value=0, max_value=10**7, places=4, allow_nan=False, allow_infinity=False),
        min_size=1,
        max_size=60,
    ),
)
def test_largest_remainder_always_sums_exactly_and_stays_within_a_cent_of_the_exact_share(cents, weights):
    total = D(cents).scaleb(-2)
    parts = largest_remainder(total=total, weights=weights)
    assert sum(parts) == total
    assert all(part >= 0 and part == part.quantize(D("0.01")) for part in parts)
    whole = sum(weights)
    if whole:
        assert all(
            abs(part - total * weight / whole) < D("0.01")
            for part, weight in zip(parts, weights, strict=True)
        )


def test_a_zero_total_gives_zero_to_every_item():
    assert largest_remainder(total=D("0"), weights=[D(1), D(2)]) == [D("0.00"), D("0.00")]
    assert largest_remainder(total=D("0.00"), weights=[]) == []


def test_all_zero_weights_split_equally_by_largest_remainder():
    # 5 cents over two items with no weight: 2 r 1 each, the left-over cent to the first.
    assert largest_remainder(total=D("0.05"), weights=[D(0), D(0)]) == [D("0.03"), D("0.02")]


@pytest.mark.parametrize(
    ("total", "weights"),
    [
        (D("-0.01"), [D(1)]),  # a negative target
        (D("1.005"), [D(1)]),  # a fraction of a cent
        (D("1.00"), [D(1), D(-1)]),  # a negative weight
        (D("1.00"), []),  # money and nowhere to put it
    ],
)
def test_largest_remainder_refuses_what_cannot_be_split(total, weights):
    with pytest.raises(ValueError):
        largest_remainder(total=total, weights=weights)


def test_the_financial_year_is_named_by_the_calendar_year_it_starts_in():
    calendar_year = financial_year_days(year=2026)
    assert (calendar_year[0], calendar_year[-1], len(calendar_year)) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        365,
    )
    april = financial_year_days(year=2027, first_month=4)
    assert (april[0], april[-1], len(april)) == (dt.date(2027, 4, 1), dt.date(2028, 3, 31), 366)
    assert dt.date(2028, 2, 29) in april


def test_year_days_allocate_takes_the_days_in_date_order_whatever_the_mapping_order():
    # ¥100.00 over three days of equal weight: the extra cent goes to the earliest day.
    weights = {dt.date(2026, 1, 3): D(1), dt.date(2026, 1, 1): D(1), dt.date(2026, 1, 2): D(1)}
    assert year_days_allocate(annual=D("100.00"), weights=weights) == {
        dt.date(2026, 1, 1): D("33.34"),
        dt.date(2026, 1, 2): D("33.33"),
        dt.date(2026, 1, 3): D("33.33"),
    }


def test_year_days_allocate_refuses_a_year_with_a_gap():
    with pytest.raises(ValueError):
        year_days_allocate(annual=D("1.00"), weights={dt.date(2026, 1, 1): D(1), dt.date(2026, 1, 3): D(1)})


ANNUAL = D("36000000.07")  # ¥36 million and 7 cents: the cents must land somewhere, and once


@pytest.mark.parametrize(
    ("year", "first_month", "days"),
    [(2026, 1, 365), (2028, 1, 366), (2027, 4, 366)],
    ids=["365 days", "366 days", "April to March"],
)
def test_every_level_sums_to_the_cent(year, first_month, days):
    plan_days = financial_year_days(year=year, first_month=first_month)
    targets = year_days_allocate(annual=ANNUAL, weights={day: default_day_factor(day) for day in plan_days})
    assert len(targets) == days
    assert sum(targets.values()) == ANNUAL
    for level in PlanLevel:
        sums = period_sums(day_targets=targets, kind=level, first_month=first_month)
        assert sum(sums.values()) == ANNUAL, level
        for period, total in sums.items():  # each period is exactly the sum of its own days
            assert total == sum(target for day, target in targets.items() if day in period), period.label
    months = period_sums(day_targets=targets, kind=PlanLevel.MONTH)
    for level in (PlanLevel.QUARTER, PlanLevel.HALF, PlanLevel.YEAR):  # and of its months
        for period, total in period_sums(day_targets=targets, kind=level, first_month=first_month).items():
            assert total == sum(month_total for month, month_total in months.items() if month.start in period)


def test_a_week_across_two_months_is_the_sum_of_its_days():
    # 2026-W49 is Monday 30 November to Sunday 6 December: ¥1.00 a day, ¥7.00 the week,
    # ¥1.00 of it in November's total and ¥6.00 in December's.
    targets = {day: D("1.00") for day in financial_year_days(year=2026)}
    weeks = {period.label: total for period, total in period_sums(day_targets=targets, kind="week").items()}
    months = {period.label: total for period, total in period_sums(day_targets=targets, kind="month").items()}
    assert weeks["2026-W49"] == D("7.00")
    assert (months["2026-11"], months["2026-12"]) == (D("30.00"), D("31.00"))
    assert (weeks["2026-W01"], weeks["2026-W53"]) == (
        D("4.00"),
        D("4.00"),
    )  # only 2026 days: 1–4 Jan, 28–31 Dec


def test_calendar_year_periods_are_labelled_as_stores_periods_labels_them():
    targets = {day: D("1.00") for day in financial_year_days(year=2026)}
    assert [period.label for period in period_sums(day_targets=targets, kind=PeriodKind.QUARTER)] == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]
    assert [period.label for period in period_sums(day_targets=targets, kind="half")] == [
        "2026-H1",
        "2026-H2",
    ]
    (year,) = period_sums(day_targets=targets, kind=PeriodKind.YEAR)
    calendar = period_containing(PeriodKind.YEAR, dt.date(2026, 6, 1))
    assert (year.label, year.start, year.end) == (calendar.label, calendar.start, calendar.end)


def test_a_financial_year_from_april_has_its_own_quarters_and_halves():
    targets = {day: D("1.00") for day in financial_year_days(year=2027, first_month=4)}
    quarters = period_sums(day_targets=targets, kind=PlanLevel.QUARTER, first_month=4)
    assert [(period.label, period.start, total) for period, total in quarters.items()] == [
        ("FY2027-Q1", dt.date(2027, 4, 1), D("91.00")),  # April–June: 30 + 31 + 30
        ("FY2027-Q2", dt.date(2027, 7, 1), D("92.00")),
        ("FY2027-Q3", dt.date(2027, 10, 1), D("92.00")),
        ("FY2027-Q4", dt.date(2028, 1, 1), D("91.00")),  # January–March 2028: 31 + 29 + 31
    ]
    halves = period_sums(day_targets=targets, kind=PlanLevel.HALF, first_month=4)
    assert [(period.label, period.end, total) for period, total in halves.items()] == [
        ("FY2027-H1", dt.date(2027, 9, 30), D("183.00")),
        ("FY2027-H2", dt.date(2028, 3, 31), D("183.00")),
    ]
