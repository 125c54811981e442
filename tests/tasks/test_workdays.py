"""Working days follow the State Council's calendar (chinese_calendar), 调休 included; beyond the
published years, Monday to Friday, flagged as a guess."""

import datetime as dt

import pytest

from tasks import workdays


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (dt.date(2025, 10, 13), True),  # an ordinary Monday
        (dt.date(2025, 10, 18), False),  # an ordinary Saturday
        (dt.date(2025, 10, 1), False),  # National Day, a Wednesday
        (dt.date(2025, 10, 11), True),  # Saturday made a working day (调休) for National Day
        (dt.date(2026, 2, 16), False),  # Spring Festival holiday, a Monday
        (dt.date(2026, 2, 14), True),  # Saturday made a working day (调休) for Spring Festival
    ],
)
def test_published_years_follow_the_official_calendar(day, working):
    answer = workdays.working_day(day)
    assert (answer.working, answer.official) == (working, True)


def test_an_unpublished_year_falls_back_to_monday_to_friday_and_says_so():
    assert workdays.working_day(dt.date(2027, 1, 4)) == workdays.WorkingDay(dt.date(2027, 1, 4), True, False)
    assert workdays.working_day(dt.date(2027, 1, 2)) == workdays.WorkingDay(dt.date(2027, 1, 2), False, False)


def test_working_days_before_skips_the_holiday_and_counts_the_make_up_saturday():
    # National Day 2025: 1–8 October off, Saturday 11 October worked instead (调休).
    assert workdays.working_days_before(dt.date(2025, 10, 13), 4) == [
        dt.date(2025, 10, 9),
        dt.date(2025, 10, 10),
        dt.date(2025, 10, 11),
        dt.date(2025, 10, 13),
    ]
    assert workdays.working_days_before(dt.date(2025, 10, 12), 1) == [dt.date(2025, 10, 11)]


@pytest.mark.parametrize(
    ("grace", "today", "editable"),
    [
        (1, dt.date(2025, 10, 13), True),  # the day itself
        (1, dt.date(2025, 10, 14), True),  # the next day, within one day's grace
        (1, dt.date(2025, 10, 15), False),
        (0, dt.date(2025, 10, 14), False),
        (3, dt.date(2025, 10, 16), True),
        (1, dt.date(2025, 10, 12), False),  # before the day
    ],
)
def test_a_day_is_editable_for_the_grace_period(settings, grace, today, editable):
    settings.TASKS_EDIT_GRACE_DAYS = grace
    assert workdays.day_is_editable(dt.date(2025, 10, 13), today=today) is editable
