"""Period arithmetic (docs/periods.md): ISO weeks, calendar months, 环比 and 同比, like for like."""

import datetime as dt

import pytest

from stores.periods import (
    DateRange,
    Period,
    PeriodKind,
    comparison_for,
    last_complete_period,
    last_year_period,
    period_containing,
    period_parse,
    periods_before,
    periods_touching,
    previous_period,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "start", "end", "label"),
    [
        (D(2026, 11, 22), D(2026, 11, 16), D(2026, 11, 22), "2026-W47"),
        # ISO week 1 of 2026 starts on Monday 29 December 2025.
        (D(2025, 12, 30), D(2025, 12, 29), D(2026, 1, 4), "2026-W01"),
        # 2026 has 53 weeks; W53 ends in 2027.
        (D(2027, 1, 2), D(2026, 12, 28), D(2027, 1, 3), "2026-W53"),
        (D(2021, 1, 3), D(2020, 12, 28), D(2021, 1, 3), "2020-W53"),
    ],
)
def test_iso_weeks(day, start, end, label):
    week = period_containing(PeriodKind.WEEK, day)
    assert (week.start, week.end, week.label) == (start, end, label)
    assert period_parse(PeriodKind.WEEK, label) == week


@pytest.mark.parametrize(
    ("day", "end", "label"),
    [
        (D(2024, 2, 10), D(2024, 2, 29), "2024-02"),  # leap year
        (D(2026, 2, 10), D(2026, 2, 28), "2026-02"),
        (D(2026, 4, 30), D(2026, 4, 30), "2026-04"),
        (D(2026, 12, 31), D(2026, 12, 31), "2026-12"),
    ],
)
def test_months_have_28_to_31_days(day, end, label):
    month = period_containing(PeriodKind.MONTH, day)
    assert (month.start, month.end, month.label) == (day.replace(day=1), end, label)
    assert period_parse(PeriodKind.MONTH, label) == month


def test_quarters_and_years():
    quarter = period_containing(PeriodKind.QUARTER, D(2026, 11, 22))
    assert (quarter.start, quarter.end, quarter.label, quarter.days) == (
        D(2026, 10, 1),
        D(2026, 12, 31),
        "2026-Q4",
        92,
    )
    year = period_parse(PeriodKind.YEAR, "2024")
    assert (year.start, year.end, year.days) == (D(2024, 1, 1), D(2024, 12, 31), 366)


def test_previous_period_crosses_year_ends():
    assert previous_period(period_parse(PeriodKind.WEEK, "2026-W01")).label == "2025-W52"
    assert previous_period(period_parse(PeriodKind.WEEK, "2027-W01")).label == "2026-W53"
    assert previous_period(period_parse(PeriodKind.MONTH, "2026-01")).label == "2025-12"
    assert previous_period(period_parse(PeriodKind.QUARTER, "2026-Q1")).label == "2025-Q4"


def test_last_year_is_the_same_date_the_week_52_weeks_earlier_and_the_same_month():
    assert last_year_period(period_parse(PeriodKind.DAY, "2026-11-11")).start == D(2025, 11, 11)
    week = last_year_period(period_parse(PeriodKind.WEEK, "2026-W47"))
    assert (week.start, week.start.weekday()) == (D(2025, 11, 17), 0)
    assert last_year_period(period_parse(PeriodKind.MONTH, "2024-02")).end == D(2023, 2, 28)
    assert last_year_period(period_parse(PeriodKind.YEAR, "2026")).label == "2025"


def test_29_february_has_no_last_year():
    assert last_year_period(period_parse(PeriodKind.DAY, "2024-02-29")) is None
    comparison = comparison_for(period_parse(PeriodKind.DAY, "2024-02-29"), last_complete_day=D(2024, 3, 1))
    assert comparison.last_year is None


def test_a_complete_period_is_compared_whole():
    comparison = comparison_for(period_parse(PeriodKind.MONTH, "2026-03"), last_complete_day=D(2026, 11, 21))
    assert not comparison.partial
    assert comparison.current == DateRange(D(2026, 3, 1), D(2026, 3, 31))
    assert comparison.previous == DateRange(D(2026, 2, 1), D(2026, 2, 28))
    assert comparison.last_year == DateRange(D(2025, 3, 1), D(2025, 3, 31))


def test_a_period_in_progress_is_compared_like_for_like():
    # Sunday 22 November 2026: yesterday (Saturday) is day 6 of W47 and day 21 of November.
    week = comparison_for(period_parse(PeriodKind.WEEK, "2026-W47"), last_complete_day=D(2026, 11, 21))
    assert week.partial
    assert week.current == DateRange(D(2026, 11, 16), D(2026, 11, 21))
    assert week.previous == DateRange(D(2026, 11, 9), D(2026, 11, 14))
    assert week.last_year == DateRange(D(2025, 11, 17), D(2025, 11, 22))
    month = comparison_for(period_parse(PeriodKind.MONTH, "2026-11"), last_complete_day=D(2026, 11, 21))
    assert month.previous == DateRange(D(2026, 10, 1), D(2026, 10, 21))
    assert month.last_year == DateRange(D(2025, 11, 1), D(2025, 11, 21))


def test_like_for_like_never_runs_past_a_shorter_comparison_month():
    march = comparison_for(period_parse(PeriodKind.MONTH, "2026-03"), last_complete_day=D(2026, 3, 30))
    assert march.current == DateRange(D(2026, 3, 1), D(2026, 3, 30))
    assert march.previous == DateRange(D(2026, 2, 1), D(2026, 2, 28))


def test_a_change_touches_one_period_of_each_kind_per_day():
    touched = periods_touching({D(2026, 3, 31), D(2026, 4, 1)})
    assert {period.label for period in touched[PeriodKind.WEEK]} == {"2026-W14"}
    assert {period.label for period in touched[PeriodKind.MONTH]} == {"2026-03", "2026-04"}
    assert {period.label for period in touched[PeriodKind.QUARTER]} == {"2026-Q1", "2026-Q2"}
    assert {period.label for period in touched[PeriodKind.YEAR]} == {"2026"}


def test_defaults_are_the_last_complete_periods():
    sunday = D(2026, 11, 22)
    assert last_complete_period(PeriodKind.DAY, on=sunday).label == "2026-11-21"
    assert last_complete_period(PeriodKind.WEEK, on=sunday).label == "2026-W46"
    assert last_complete_period(PeriodKind.MONTH, on=sunday).label == "2026-10"


def test_trend_periods_end_with_the_period():
    labels = [period.label for period in periods_before(period_parse(PeriodKind.WEEK, "2026-W02"), 4)]
    assert labels == ["2025-W51", "2025-W52", "2026-W01", "2026-W02"]


@pytest.mark.parametrize(
    ("kind", "text"), [("week", "2026-W54"), ("week", "2026-47"), ("month", "2026-13"), ("day", "x")]
)
def test_bad_period_text_is_refused(kind, text):
    with pytest.raises(ValueError):
        period_parse(kind, text)


def test_a_day_picks_the_period_that_contains_it():
    assert period_parse(PeriodKind.WEEK, "2026-11-19") == Period(
        D(2026, 11, 16), D(2026, 11, 22), PeriodKind.WEEK
    )
