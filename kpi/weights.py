"""How much of the year each day should carry (domain.md §5, issue 13): the weights of the day plan.

A day's weight is last year's GMV on its *matching* day: the same day of the same promotion node,
the same day of the same public holiday (春节 by the lunar calendar), else the same weekday 52
weeks back. Without history, a default shape: working day, weekend and holiday factors times the
node's uplift. Pure functions, no database.

Holidays come from `chinese_calendar` directly rather than through tasks/workdays.py: the plan needs
the holiday's *name* (which holiday a day belongs to), which that module does not offer, and kpi
should not depend on the tasks app. For a year the package does not know it raises
NotImplementedError; then there are no holidays (Monday to Friday work), except Spring Festival,
which is lunar and always known.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache

import chinese_calendar

from stores.calendar import PromotionNode, logistics_stop, promotion_peaks, spring_festival
from stores.periods import days_between

# The default shape, a day's sales as a multiple of an ordinary working day. domain.md §5 names the
# factors ("working day / weekend / holiday factors × node uplift") but not their values; these are
# planning defaults for a consumer store on Tmall: weekends sell a little more, public holidays
# a little less (people travel), and the Spring Festival courier stop (stores/calendar.py) much less.
WORKING_DAY_FACTOR = Decimal("1.00")
WEEKEND_FACTOR = Decimal("1.10")
HOLIDAY_FACTOR = Decimal("0.90")
LOGISTICS_STOP_FACTOR = Decimal("0.40")
# A node's pre-sale ramps up to half the peak's extra on the day before the peak; its return
# (返场) days carry a quarter of it. stores/calendar.py has no return phase yet: RETURN_DAYS stands
# in until the editable promotion calendar gives every node its phases.
PRESALE_RAMP_SHARE = Decimal("0.5")
RETURN_DAYS = 2
RETURN_SHARE = Decimal("0.25")
FACTOR_PLACES = Decimal("0.0001")

WEEKS_52 = dt.timedelta(weeks=52)
NEAREST_WEEKS = 8  # how far an ordinary day looks for an ordinary same weekday last year
HOLIDAY_SEARCH_DAYS = 45  # a lunar holiday moves by up to about a month from year to year
SPRING_FESTIVAL = chinese_calendar.Holiday.spring_festival.value

SOURCE_HISTORY = "history"
SOURCE_DEFAULT = "default"


@cache  # the same for every store
def matching_day_last_year(day: dt.date) -> dt.date:
    """The day of last year whose sales best predict `day`'s.

    In order: a day of a promotion window (pre-sale … peak … return) gets the same offset from the
    same node's peak last year; a day of Spring Festival (the courier stop, or the official
    holiday) the same offset from last year's 正月初一; a day of another public holiday the same
    offset from that holiday's first day last year (its last day if last year's was shorter);
    any other day the same weekday 52 weeks back, or the nearest ordinary same weekday when that
    one fell in a node or a holiday (domain.md §5), so it inherits neither last year's peak nor dip.
    """
    return _node_match(day) or _spring_festival_match(day) or _holiday_match(day) or _ordinary_match(day)


@cache  # the same for every store: planning 500 stores asks for each day 500 times
def default_day_factor(day: dt.date) -> Decimal:
    """`day`'s sales as a multiple of an ordinary working day, when there is no history: the
    working-day, weekend, holiday or courier-stop factor times the node's uplift (the peak's on the
    peak, a ramp to half of it through the pre-sale, a quarter of it on the return days)."""
    return (_base_factor(day) * _promotion_factor(day)).quantize(FACTOR_PLACES)


def day_weights(
    *, days: Sequence[dt.date], last_year_gmv: Mapping[dt.date, Decimal | None]
) -> dict[dt.date, Decimal]:
    """Each day's weight: last year's GMV on its matching day, where that is known and positive.

    `last_year_gmv` is keyed by last year's dates. Days without a usable number (none, zero, or
    negative after refunds) take the default shape, scaled so that on the days that do have
    history the shape adds up to the history's total: scale = Σ history / Σ default factor over
    those days. So a gap in the history is filled at the store's own level, never with a zero.
    Without any history the weights are the default shape itself.
    """
    history = _history(days, last_year_gmv)
    if not history:
        return {day: default_day_factor(day) for day in days}
    scale = sum(history.values()) / sum(default_day_factor(day) for day in history)
    return {day: history[day] if day in history else scale * default_day_factor(day) for day in days}


def day_weight_sources(
    *, days: Sequence[dt.date], last_year_gmv: Mapping[dt.date, Decimal | None]
) -> dict[dt.date, str]:
    """Where each day's weight comes from: SOURCE_HISTORY or SOURCE_DEFAULT (the scaled shape)."""
    history = _history(days, last_year_gmv)
    return {day: SOURCE_HISTORY if day in history else SOURCE_DEFAULT for day in days}


def _history(
    days: Sequence[dt.date], last_year_gmv: Mapping[dt.date, Decimal | None]
) -> dict[dt.date, Decimal]:
    found = {}
    for day in days:
        gmv = last_year_gmv.get(matching_day_last_year(day))
        if gmv is not None and gmv > 0:
            found[day] = Decimal(gmv)
    return found


# Promotion nodes --------------------------------------------------------------------------------


@cache
def _nodes(year: int) -> tuple[PromotionNode, ...]:
    return tuple(promotion_peaks(year))


def _node_of(day: dt.date) -> tuple[int, PromotionNode] | None:
    """The node whose window holds `day`, with the year the node belongs to (年货节 of a year may
    fall in the December before)."""
    for year in (day.year - 1, day.year, day.year + 1):
        for node in _nodes(year):
            if node.presale_start <= day <= node.peak + dt.timedelta(days=RETURN_DAYS):
                return year, node
    return None


def _node_match(day: dt.date) -> dt.date | None:
    found = _node_of(day)
    if found is None:
        return None
    year, node = found
    last = next((earlier for earlier in _nodes(year - 1) if earlier.code == node.code), None)
    return last.peak + (day - node.peak) if last else None


def _promotion_factor(day: dt.date) -> Decimal:
    found = _node_of(day)
    if found is None:
        return Decimal(1)
    node = found[1]
    extra = Decimal(str(node.uplift)) - 1
    days_to_peak = (node.peak - day).days
    if days_to_peak == 0:
        return 1 + extra
    if days_to_peak < 0:
        return 1 + extra * RETURN_SHARE
    presale_days = (node.peak - node.presale_start).days
    return 1 + extra * PRESALE_RAMP_SHARE * (presale_days + 1 - days_to_peak) / presale_days


# Holidays ---------------------------------------------------------------------------------------


def _holiday_name(day: dt.date) -> str | None:
    """The public holiday `day` is a day off for; None otherwise, and for unpublished years."""
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    return name if on_holiday else None


def _is_rest_day(day: dt.date) -> bool:
    try:
        return not chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() >= 5


def _in_spring_festival(day: dt.date) -> bool:
    first, last = logistics_stop(day.year)
    return first <= day <= last or _holiday_name(day) == SPRING_FESTIVAL


def _spring_festival_match(day: dt.date) -> dt.date | None:
    if not _in_spring_festival(day):
        return None
    return spring_festival(day.year - 1) + (day - spring_festival(day.year))


def _holiday_match(day: dt.date) -> dt.date | None:
    name = _holiday_name(day)
    if name is None:
        return None
    this_year = _holiday_days(name, day)
    last_year = _holiday_days(name, day - WEEKS_52)
    if not last_year:
        return None
    return min(last_year[0] + (day - this_year[0]), last_year[-1])


def _holiday_days(name: str, around: dt.date) -> list[dt.date]:
    """The days off of holiday `name` near `around` (one occurrence: no holiday comes twice in
    three months)."""
    search = dt.timedelta(days=HOLIDAY_SEARCH_DAYS)
    return [day for day in days_between(around - search, around + search) if _holiday_name(day) == name]


def _base_factor(day: dt.date) -> Decimal:
    first, last = logistics_stop(day.year)
    if first <= day <= last:
        return LOGISTICS_STOP_FACTOR
    if _holiday_name(day):
        return HOLIDAY_FACTOR
    return WEEKEND_FACTOR if _is_rest_day(day) else WORKING_DAY_FACTOR


# Ordinary days ----------------------------------------------------------------------------------


def _is_special(day: dt.date) -> bool:
    """In a promotion window, Spring Festival or a public holiday: not a model for an ordinary day."""
    return bool(_node_of(day) or _in_spring_festival(day) or _holiday_name(day))


def _ordinary_match(day: dt.date) -> dt.date:
    """The same weekday 52 weeks back, or else the nearest one that is not special (the week before
    first among equals), preferring one that works or rests as `day` does: a Saturday worked for a
    holiday (调休) matches last year's worked Saturday, an ordinary Saturday a Saturday off."""
    plain = day - WEEKS_52
    candidates = [plain]
    for weeks in range(1, NEAREST_WEEKS + 1):
        candidates += [plain - dt.timedelta(weeks=weeks), plain + dt.timedelta(weeks=weeks)]
    ordinary = [candidate for candidate in candidates if not _is_special(candidate)]
    alike = [candidate for candidate in ordinary if _is_rest_day(candidate) == _is_rest_day(day)]
    return (alike or ordinary or [plain])[0]
