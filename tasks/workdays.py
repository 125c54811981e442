"""Working days (工作日) for the daily checklist: the one place that asks `chinese_calendar`.

The State Council publishes each year's public holidays and make-up working days (调休) late in
the year before; `chinese_calendar` knows only the published years and raises NotImplementedError
for later ones. For those we assume Monday to Friday and say so (`WorkingDay.official` is False), so
a page can tell the team instead of crashing.
"""

import datetime as dt
from dataclasses import dataclass

import chinese_calendar
from django.conf import settings


@dataclass(frozen=True)
class WorkingDay:
    day: dt.date
    working: bool
    official: bool  # False: the year is not published yet, Monday–Friday assumed


def working_day(day: dt.date) -> WorkingDay:
    try:
        return WorkingDay(day, chinese_calendar.is_workday(day), official=True)
    except NotImplementedError:
        return WorkingDay(day, day.weekday() < 5, official=False)


def is_working_day(day: dt.date) -> bool:
    return working_day(day).working


def calendar_published(day: dt.date) -> bool:
    """Whether the official holiday calendar covers `day`'s year."""
    return working_day(day).official


def working_days_before(day: dt.date, count: int) -> list[dt.date]:
    """The `count` working days up to and including `day` (when it is one), oldest first."""
    found: list[dt.date] = []
    current = day
    while len(found) < count:
        if is_working_day(current):
            found.insert(0, current)
        current -= dt.timedelta(days=1)
    return found


def editable_days() -> int:
    """How many days after its day a list and its 日报 can still be changed (TASKS_EDIT_GRACE_DAYS)."""
    return settings.TASKS_EDIT_GRACE_DAYS


def last_editable_day(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=editable_days())


def day_is_editable(day: dt.date, *, today: dt.date) -> bool:
    """A day's list can be changed from that day until the grace period is over, never ahead."""
    return day <= today <= last_editable_day(day)
