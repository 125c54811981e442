"""Period arithmetic (docs/periods.md): the one module that knows what "yesterday" or a week is.

Dates are business dates in settings.TIME_ZONE (Asia/Shanghai), never the server's UTC date.
Weeks are ISO weeks (Monday to Sunday, `2026-W47`); months, quarters and years are calendar ones.
"""

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def today() -> dt.date:
    return timezone.localdate()


def yesterday() -> dt.date:
    return today() - dt.timedelta(days=1)


# The days OpsDesk supports: FIRST_DAY to last_supported_day(). Every date or period a user
# asks for (an address, a form, a command option, an imported row) must lie in this range, so
# that the arithmetic of comparisons and trends (a year back, the period before and after, the
# last 12 months) never leaves Python's calendar (years 1 to 9999). 生意参谋 data begins more
# than a decade after FIRST_DAY (Tmall opened in 2008), and the import parser finds a date
# implausible before it, too (stores.imports.cells).
FIRST_DAY = dt.date(2000, 1, 1)
YEARS_AHEAD = 5  # periods may be asked for (and planned) up to the end of the fifth year from now


def last_supported_day() -> dt.date:
    return dt.date(today().year + YEARS_AHEAD, 12, 31)


def is_supported(day: dt.date) -> bool:
    return FIRST_DAY <= day <= last_supported_day()


def last_recordable_day() -> dt.date:
    """The last day numbers may be entered or imported for: today.

    Nothing after today has happened, so numbers for it are a typing or file error. Today is
    allowed although its figures are not final ("to date" means through yesterday,
    docs/metrics.md#pacing): 生意参谋 shows the day so far, a team may record it at closing time,
    and an export of a trailing window downloaded in the evening carries today's row. Reports,
    alerts and pacing read days through yesterday only, and the next import of the window
    corrects it.
    """
    return today()


def parse_day(text: str) -> dt.date:
    """A YYYY-MM-DD date in the supported range; ValueError for anything else."""
    day = dt.date.fromisoformat(text.strip())
    if not is_supported(day):
        raise ValueError(f"{day.isoformat()} is outside the supported days")
    return day


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every date from first to last, both included."""
    return [first + dt.timedelta(days=offset) for offset in range((last - first).days + 1)]


def parse_day_or_404(text: str) -> dt.date:
    """A YYYY-MM-DD date from an address, in the supported range."""
    try:
        return parse_day(text)
    except ValueError as error:
        raise Http404("Not a supported date.") from error


class PeriodKind(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {
    PeriodKind.DAY: _("day"),
    PeriodKind.WEEK: _("week"),
    PeriodKind.MONTH: _("month"),
    PeriodKind.QUARTER: _("quarter"),
    PeriodKind.YEAR: _("year"),
}


@dataclass(frozen=True)
class DateRange:
    """From start to end, both included."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Period(DateRange):
    """A whole day, ISO week, month, quarter or year."""

    kind: PeriodKind = PeriodKind.DAY

    @property
    def label(self) -> str:
        """The period as written in addresses and files: 2026-11-21, 2026-W47, 2026-11, 2026-Q4, 2026."""
        if self.kind is PeriodKind.DAY:
            return self.start.isoformat()
        if self.kind is PeriodKind.WEEK:
            year, week, _weekday = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    def through(self, day: dt.date) -> DateRange:
        """This period up to and including `day` (the part that has happened)."""
        return DateRange(self.start, min(self.end, max(day, self.start)))


def period_containing(kind: PeriodKind, day: dt.date) -> Period:
    kind = PeriodKind(kind)
    if kind is PeriodKind.DAY:
        return Period(day, day, kind)
    if kind is PeriodKind.WEEK:
        monday = day - dt.timedelta(days=day.weekday())
        return Period(monday, monday + dt.timedelta(days=6), kind)
    if kind is PeriodKind.MONTH:
        return _months(dt.date(day.year, day.month, 1), 1, kind)
    if kind is PeriodKind.QUARTER:
        return _months(dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1), 3, kind)
    return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), kind)


def _months(first: dt.date, count: int, kind: PeriodKind) -> Period:
    year, month = divmod(first.month - 1 + count, 12)
    following = dt.date(first.year + year, month + 1, 1)
    return Period(first, following - dt.timedelta(days=1), kind)


def periods_touching(days: set[dt.date] | list[dt.date]) -> dict[PeriodKind, set[Period]]:
    """For each kind, every period that contains one of `days`: what a change to them invalidates."""
    return {kind: {period_containing(kind, day) for day in days} for kind in PeriodKind}


def previous_period(period: Period) -> Period:
    """The period just before (环比)."""
    return period_containing(period.kind, period.start - dt.timedelta(days=1))


def next_period(period: Period) -> Period:
    return period_containing(period.kind, period.end + dt.timedelta(days=1))


def last_year_period(period: Period) -> Period | None:
    """The period a year before (同比): the same date (none for 29 February), the week 52 weeks
    earlier (the same weekdays), the same month, quarter or year of last year."""
    if period.kind is PeriodKind.WEEK:
        return period_containing(period.kind, period.start - dt.timedelta(weeks=52))
    try:
        return period_containing(period.kind, period.start.replace(year=period.start.year - 1))
    except ValueError:  # 29 February
        return None


@dataclass(frozen=True)
class Comparison:
    """What a period is compared with (docs/periods.md#comparisons).

    A complete period is compared with the whole of `previous` and `last_year`, whatever their
    lengths: all of November with all 31 days of October, a February with the whole February
    before it. A period still in progress covers its days 1..n only (`current`); then
    `previous` and `last_year` are cut to their own days 1..n, never longer than themselves.
    """

    period: Period
    current: DateRange
    previous: DateRange
    last_year: DateRange | None

    @property
    def partial(self) -> bool:
        return self.current.end < self.period.end


def comparison_for(period: Period, *, last_complete_day: dt.date) -> Comparison:
    current = period.through(last_complete_day)
    before = previous_period(period)
    year_ago = last_year_period(period)
    if current.end < period.end:  # in progress: like for like, days 1..n
        elapsed = dt.timedelta(days=current.days - 1)
        before = before.through(before.start + elapsed)
        year_ago = year_ago.through(year_ago.start + elapsed) if year_ago else None
    return Comparison(
        period=period,
        current=current,
        previous=DateRange(before.start, before.end),
        last_year=DateRange(year_ago.start, year_ago.end) if year_ago else None,
    )


WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
QUARTER_PATTERN = re.compile(r"^(\d{4})-Q([1-4])$")
YEAR_PATTERN = re.compile(r"^(\d{4})$")


class UnsupportedPeriod(ValueError):
    """A well-formed period whose days are not all in the supported range (FIRST_DAY …
    last_supported_day())."""


def period_parse(kind: PeriodKind, text: str) -> Period:
    """A period from its label (see Period.label); a day of a week or month is accepted too,
    meaning the period that contains it. Raises UnsupportedPeriod for a period outside the
    supported days, ValueError for anything else."""
    period = _period_from_label(PeriodKind(kind), text.strip())
    if not (is_supported(period.start) and is_supported(period.end)):
        raise UnsupportedPeriod(f"{period.label} is outside the supported days")
    return period


def _period_from_label(kind: PeriodKind, text: str) -> Period:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        pass
    else:
        if not is_supported(day):  # the period around 0001-01-01 or 9999-12-31 may not exist
            raise UnsupportedPeriod(f"{day.isoformat()} is outside the supported days")
        return period_containing(kind, day)
    patterns = {
        PeriodKind.WEEK: WEEK_PATTERN,
        PeriodKind.MONTH: MONTH_PATTERN,
        PeriodKind.QUARTER: QUARTER_PATTERN,
        PeriodKind.YEAR: YEAR_PATTERN,
    }
    match = patterns[kind].match(text) if kind in patterns else None
    if not match:
        raise ValueError(f"Not a {kind}: {text!r}")
    numbers = [int(part) for part in match.groups()]
    if not FIRST_DAY.year <= numbers[0] <= last_supported_day().year:
        raise UnsupportedPeriod(f"{text} is outside the supported days")
    if kind is PeriodKind.WEEK:
        return period_containing(kind, dt.date.fromisocalendar(numbers[0], numbers[1], 1))
    if kind is PeriodKind.MONTH:
        return period_containing(kind, dt.date(numbers[0], numbers[1], 1))
    if kind is PeriodKind.QUARTER:
        return period_containing(kind, dt.date(numbers[0], numbers[1] * 3 - 2, 1))
    return period_containing(kind, dt.date(numbers[0], 1, 1))


def last_complete_period(kind: PeriodKind, *, on: dt.date | None = None) -> Period:
    """The latest period that ended before `on` (today): yesterday, last week, last month…"""
    return previous_period(period_containing(kind, on or today()))


def periods_before(period: Period, count: int) -> list[Period]:
    """`count` periods ending with `period`, oldest first (for trend charts)."""
    periods = [period]
    while len(periods) < count:
        periods.insert(0, previous_period(periods[0]))
    return periods
