"""Day weights: last year's GMV on the matching day, else the default shape, never zero by accident."""

import datetime as dt
from decimal import Decimal

import chinese_calendar
import pytest
from lunar_python import Solar

from kpi.allocation import financial_year_days, year_days_allocate
from kpi.weights import (
    SOURCE_DEFAULT,
    SOURCE_HISTORY,
    day_weight_sources,
    day_weights,
    default_day_factor,
    matching_day_last_year,
)
from stores.calendar import spring_festival

D = Decimal
day = dt.date


def _lunar(date: dt.date) -> tuple[int, int]:
    lunar = Solar.fromYmd(date.year, date.month, date.day).getLunar()
    return lunar.getMonth(), lunar.getDay()


# Matching days ----------------------------------------------------------------------------------


def test_an_ordinary_wednesday_matches_the_wednesday_52_weeks_back():
    assert matching_day_last_year(day(2026, 4, 15)) == day(2025, 4, 16)
    assert day(2025, 4, 16).weekday() == day(2026, 4, 15).weekday() == 2


@pytest.mark.parametrize(
    ("this_year", "last_year"),
    [
        (day(2026, 11, 11), day(2025, 11, 11)),  # the peak: the weekday rule would give 2025-11-12
        (day(2026, 10, 20), day(2025, 10, 20)),  # first pre-sale day, 22 days before the peak
        (day(2026, 11, 1), day(2025, 11, 1)),  # 10 days before the peak
        (day(2026, 11, 12), day(2025, 11, 12)),  # the first return (返场) day
    ],
)
def test_a_double_11_day_matches_the_same_offset_from_last_years_peak(this_year, last_year):
    assert matching_day_last_year(this_year) == last_year


def test_a_nianhuo_day_follows_its_node_which_moves_with_spring_festival():
    # 年货节 peaks 21 days before Spring Festival: 2026-01-27 (17 Feb − 21), 2025-01-08 (29 Jan − 21).
    # Two days before this year's peak is two days before last year's.
    assert matching_day_last_year(day(2026, 1, 25)) == day(2025, 1, 6)


def test_spring_festival_matches_last_years_by_the_lunar_date():
    # 正月初一 is 2026-02-17 and 2025-01-29: by the calendar, 19 days and a weekday apart.
    assert (spring_festival(2026), spring_festival(2025)) == (day(2026, 2, 17), day(2025, 1, 29))
    assert matching_day_last_year(day(2026, 2, 17)) == day(2025, 1, 29)
    assert _lunar(day(2026, 2, 17)) == _lunar(day(2025, 1, 29)) == (1, 1)
    # Every day of the courier stop, 腊月廿五 (5 days before) to 初八 (7 after), keeps its lunar date.
    for offset in range(-5, 8):
        this_year = day(2026, 2, 17) + dt.timedelta(days=offset)
        assert _lunar(matching_day_last_year(this_year)) == _lunar(this_year), this_year


def test_another_holiday_matches_the_same_day_of_last_years_holiday():
    # Labour Day is 1–5 May in 2026 (Friday to Tuesday) and 2025 (Thursday to Monday): its third day
    # is 3 May in both, where the weekday rule would give Sunday 2025-05-04.
    assert matching_day_last_year(day(2026, 5, 3)) == day(2025, 5, 3)
    assert matching_day_last_year(day(2026, 10, 7)) == day(2025, 10, 7)  # National Day, 7th day


def test_a_holiday_longer_than_last_years_ends_on_last_years_last_day():
    # Mid-autumn is 25–27 September 2026 but only 6 October 2025 (inside National Day).
    assert [matching_day_last_year(day(2026, 9, 25 + offset)) for offset in range(3)] == [
        day(2025, 10, 6)
    ] * 3


def test_an_ordinary_day_does_not_inherit_last_years_holiday():
    # Wednesday 2026-02-04 is ordinary; 52 weeks back is 2025-02-05, 初八 of last year's courier
    # stop, and the week before that is 春节 itself: the nearest ordinary Wednesday is 2025-02-12.
    assert matching_day_last_year(day(2026, 2, 4)) == day(2025, 2, 12)


def test_a_saturday_worked_for_a_holiday_matches_last_years_worked_saturday():
    # 调休: Saturday 2026-10-10 and Saturday 2025-10-11 were both worked for National Day.
    assert matching_day_last_year(day(2026, 10, 10)) == day(2025, 10, 11)
    # A Saturday off does not match a worked one: 52 weeks back from 2026-02-07 is 2025-02-08,
    # worked for Spring Festival; the week before is in the courier stop; the week after it is.
    assert matching_day_last_year(day(2026, 2, 7)) == day(2025, 2, 15)


def test_29_february_matches_the_same_weekday_52_weeks_back():
    assert matching_day_last_year(day(2028, 2, 29)) == day(2027, 3, 2)  # both Tuesdays
    assert default_day_factor(day(2028, 2, 29)) == D("1.0000")


def test_years_chinese_calendar_does_not_know_work_on_the_weekday_rule_and_the_lunar_calendar():
    with pytest.raises(NotImplementedError):  # what the package does beyond its published years
        chinese_calendar.get_holiday_detail(day(2031, 5, 1))
    assert matching_day_last_year(day(2031, 5, 1)) == day(2030, 5, 2)  # Thursdays: no holiday known
    assert matching_day_last_year(day(2031, 11, 11)) == day(2030, 11, 11)  # nodes are known
    assert matching_day_last_year(spring_festival(2031)) == spring_festival(2030)  # so is 春节
    assert default_day_factor(day(2031, 5, 1)) == D("1.0000")  # Monday to Friday work
    assert default_day_factor(day(2031, 5, 3)) == D("1.1000")


@pytest.mark.parametrize("year", [2004, 2026, 2027, 2028, 2032])
def test_every_day_of_a_year_has_a_match_last_year_and_a_positive_default(year):
    for this_year in financial_year_days(year=year):
        match = matching_day_last_year(this_year)
        assert dt.timedelta(days=300) < this_year - match < dt.timedelta(days=430), this_year
        assert default_day_factor(this_year) > 0


# The default shape ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "factor"),
    [
        (day(2026, 4, 15), "1.0000"),  # an ordinary Wednesday
        (day(2026, 4, 18), "1.1000"),  # an ordinary Saturday (WEEKEND_FACTOR)
        (day(2026, 10, 2), "0.9000"),  # National Day, a Friday (HOLIDAY_FACTOR)
        (day(2026, 10, 10), "1.0000"),  # a Saturday worked for National Day (调休)
        (day(2026, 2, 17), "0.4000"),  # 春节, couriers stopped (LOGISTICS_STOP_FACTOR)
        (day(2026, 11, 11), "8.0000"),  # 双11 peak, a Wednesday: 1.0 × its uplift 8.0
        (day(2026, 11, 10), "1.6000"),  # the day before, a Tuesday of the pre-sale: 1.0 × 1.6
        (day(2026, 10, 20), "1.6000"),  # the first of 22 pre-sale days, a Tuesday
        (day(2026, 10, 31), "1.7600"),  # a pre-sale Saturday: 1.1 × 1.6
        (day(2026, 11, 12), "1.8000"),  # a return (返场) day, a Thursday: 1.0 × 1.8
        (day(2026, 11, 14), "1.1000"),  # the return is over (two days): an ordinary Saturday
    ],
)
def test_the_default_shape(date, factor):
    assert default_day_factor(date) == D(factor)


# Weights ----------------------------------------------------------------------------------------


def test_with_a_full_history_each_day_weighs_last_years_gmv_on_its_matching_day():
    days = [day(2026, 4, 15), day(2026, 11, 11)]
    history = {day(2025, 4, 16): D("1000.00"), day(2025, 11, 11): D("9000.00")}
    assert day_weights(days=days, last_year_gmv=history) == {
        day(2026, 4, 15): D("1000.00"),
        day(2026, 11, 11): D("9000.00"),
    }
    assert set(day_weight_sources(days=days, last_year_gmv=history).values()) == {SOURCE_HISTORY}


def test_with_part_of_a_history_the_rest_is_the_default_shape_at_the_historys_level():
    # Wednesday 15 to Monday 20 April 2026 match Wednesday 16 to Monday 21 April 2025. Only
    # Wednesday and Thursday have usable numbers: ¥3,000 + ¥5,000 over default factors 1.0 + 1.0,
    # so scale = 8000 / 2 = 4000 per unit of the default shape. Friday (¥0, refunds only),
    # Saturday (None), Sunday (no row) and Monday (−¥120, refunds above sales) take 4000 × factor.
    days = [day(2026, 4, 15) + dt.timedelta(days=offset) for offset in range(6)]
    history = {
        day(2025, 4, 16): D("3000.00"),
        day(2025, 4, 17): D("5000.00"),
        day(2025, 4, 18): D("0.00"),
        day(2025, 4, 19): None,
        day(2025, 4, 21): D("-120.00"),
    }
    weights = day_weights(days=days, last_year_gmv=history)
    assert [weights[date] for date in days] == [
        D("3000.00"),
        D("5000.00"),
        D("4000"),  # Friday: 4000 × 1.0
        D("4400"),  # Saturday: 4000 × 1.1
        D("4400"),  # Sunday: 4000 × 1.1
        D("4000"),  # Monday: 4000 × 1.0
    ]
    sources = day_weight_sources(days=days, last_year_gmv=history)
    assert [sources[date] for date in days] == [SOURCE_HISTORY] * 2 + [SOURCE_DEFAULT] * 4


def test_without_history_the_weights_are_the_default_shape():
    days = [day(2026, 4, 18), day(2026, 11, 11)]
    assert day_weights(days=days, last_year_gmv={}) == {day(2026, 4, 18): D("1.1"), day(2026, 11, 11): D("8")}


def test_a_year_of_zero_or_missing_history_still_gives_every_day_a_target():
    days = financial_year_days(year=2026)
    history = {matching_day_last_year(date): D("0.00") for date in days[::2]}  # the rest: no row
    weights = day_weights(days=days, last_year_gmv=history)
    assert weights == {date: default_day_factor(date) for date in days}
    targets = year_days_allocate(annual=D("36000000.00"), weights=weights)
    assert min(targets.values()) > 0
