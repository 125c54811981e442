"""How much of the year each day should carry (domain.md §5, docs/targets.md#weights): the weights
of the day plan.

A day's weight is last year's GMV on its *matching* day: the same day of the same promotion node,
the same day of the same public holiday (春节 by the lunar calendar), else the same weekday 52
weeks back. Without history, a default shape: working day, weekend and holiday factors times the
node phase's uplift. Pure functions over a kpi.calendar.TradingCalendar (the promotion and holiday
tables as they are when the plan is made; by default the shipped rules and the official holidays).
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from kpi.calendar import DEFAULT_CALENDAR, Phase, TradingCalendar
from stores.calendar import spring_festival
from stores.periods import days_between

# The default shape, a day's sales as a multiple of an ordinary working day. domain.md §5 names the
# factors ("working day / weekend / holiday factors × node uplift") but not their values; these are
# planning defaults for a consumer store on Tmall: weekends sell a little more, public holidays
# a little less (people travel), and the Spring Festival courier stop (stores/calendar.py) much less.
WORKING_DAY_FACTOR = Decimal("1.00")
WEEKEND_FACTOR = Decimal("1.10")
HOLIDAY_FACTOR = Decimal("0.90")
LOGISTICS_STOP_FACTOR = Decimal("0.40")
FACTOR_PLACES = Decimal("0.0001")

WEEKS_52 = dt.timedelta(weeks=52)
NEAREST_WEEKS = 8  # how far an ordinary day looks for an ordinary same weekday last year
HOLIDAY_SEARCH_DAYS = 45  # a lunar holiday moves by up to about a month from year to year

SOURCE_HISTORY = "history"
SOURCE_DEFAULT = "default"


def matching_day_last_year(day: dt.date, *, calendar: TradingCalendar = DEFAULT_CALENDAR) -> dt.date:
    """The day of last year whose sales best predict `day`'s.

    In order: a day of a promotion window (pre-sale … peak … return) gets the same day of the same
    node last year: the same offset from its peak's first day (a return day: from its peak's last
    day), kept inside last year's window; a day of Spring Festival (the courier stop, or the
    official holiday) the same offset from last year's 正月初一; a day of another public holiday the
    same offset from that holiday's first day last year (its last day if last year's was shorter);
    any other day the same weekday 52 weeks back, or the nearest ordinary same weekday when that
    one fell in a node or a holiday (domain.md §5), so it inherits neither last year's peak nor dip.
    """
    return calendar.remembered("match", day, lambda day: _match(day, calendar))


def _match(day: dt.date, calendar: TradingCalendar) -> dt.date:
    return (
        _node_match(day, calendar)
        or _spring_festival_match(day, calendar)
        or _holiday_match(day, calendar)
        or _ordinary_match(day, calendar)
    )


def default_day_factor(day: dt.date, *, calendar: TradingCalendar = DEFAULT_CALENDAR) -> Decimal:
    """`day`'s sales as a multiple of an ordinary working day, when there is no history: the
    working-day, weekend, holiday or courier-stop factor times the uplift of the node phase the
    day is in (pre-sale, peak or return)."""
    return calendar.remembered(
        "factor",
        day,
        lambda day: (_base_factor(day, calendar) * _promotion_factor(day, calendar)).quantize(FACTOR_PLACES),
    )


def day_weights(
    *,
    days: Sequence[dt.date],
    last_year_gmv: Mapping[dt.date, Decimal | None],
    calendar: TradingCalendar = DEFAULT_CALENDAR,
) -> dict[dt.date, Decimal]:
    """Each day's weight: last year's GMV on its matching day, where that is known and positive.

    `last_year_gmv` is keyed by last year's dates. Days without a usable number (none, zero, or
    negative after refunds) take the default shape, scaled so that on the days that do have
    history the shape adds up to the history's total: scale = Σ history / Σ default factor over
    those days. So a gap in the history is filled at the store's own level, never with a zero.
    Without any history the weights are the default shape itself.
    """
    history = _history(days, last_year_gmv, calendar)
    if not history:
        return {day: default_day_factor(day, calendar=calendar) for day in days}
    scale = sum(history.values()) / sum(default_day_factor(day, calendar=calendar) for day in history)
    return {
        day: history[day] if day in history else scale * default_day_factor(day, calendar=calendar)
        for day in days
    }


def day_weight_sources(
    *,
    days: Sequence[dt.date],
    last_year_gmv: Mapping[dt.date, Decimal | None],
    calendar: TradingCalendar = DEFAULT_CALENDAR,
) -> dict[dt.date, str]:
    """Where each day's weight comes from: SOURCE_HISTORY or SOURCE_DEFAULT (the scaled shape)."""
    history = _history(days, last_year_gmv, calendar)
    return {day: SOURCE_HISTORY if day in history else SOURCE_DEFAULT for day in days}


def _history(
    days: Sequence[dt.date], last_year_gmv: Mapping[dt.date, Decimal | None], calendar: TradingCalendar
) -> dict[dt.date, Decimal]:
    found = {}
    for day in days:
        gmv = last_year_gmv.get(matching_day_last_year(day, calendar=calendar))
        if gmv is not None and gmv > 0:
            found[day] = Decimal(gmv)
    return found


# Promotion nodes --------------------------------------------------------------------------------


def _node_match(day: dt.date, calendar: TradingCalendar) -> dt.date | None:
    node = calendar.node_of(day)
    if node is None:
        return None
    last = calendar.same_node_last_year(node)
    if last is None:
        return None
    if node.phase_of(day) is Phase.RETURN:
        return min(last.peak_end + (day - node.peak_end), last.return_end)
    return max(last.peak_start + (day - node.peak_start), last.presale_start)


def _promotion_factor(day: dt.date, calendar: TradingCalendar) -> Decimal:
    node = calendar.node_of(day)
    return node.uplift_of(node.phase_of(day)) if node else Decimal(1)


# Holidays ---------------------------------------------------------------------------------------


def _spring_festival_match(day: dt.date, calendar: TradingCalendar) -> dt.date | None:
    if not calendar.in_spring_festival(day):
        return None
    return spring_festival(day.year - 1) + (day - spring_festival(day.year))


def _holiday_match(day: dt.date, calendar: TradingCalendar) -> dt.date | None:
    name = calendar.holiday_name(day)
    if name is None:
        return None
    this_year = _holiday_days(name, day, calendar)
    last_year = _holiday_days(name, day - WEEKS_52, calendar)
    if not last_year:
        return None
    return min(last_year[0] + (day - this_year[0]), last_year[-1])


def _holiday_days(name: str, around: dt.date, calendar: TradingCalendar) -> list[dt.date]:
    """The days off of holiday `name` near `around` (one occurrence: no holiday comes twice in
    three months)."""
    search = dt.timedelta(days=HOLIDAY_SEARCH_DAYS)
    return [
        day for day in days_between(around - search, around + search) if calendar.holiday_name(day) == name
    ]


def _base_factor(day: dt.date, calendar: TradingCalendar) -> Decimal:
    if calendar.in_logistics_stop(day):
        return LOGISTICS_STOP_FACTOR
    if calendar.holiday_name(day):
        return HOLIDAY_FACTOR
    return WEEKEND_FACTOR if calendar.is_rest_day(day) else WORKING_DAY_FACTOR


# Ordinary days ----------------------------------------------------------------------------------


def _is_special(day: dt.date, calendar: TradingCalendar) -> bool:
    """In a promotion window, Spring Festival or a public holiday: not a model for an ordinary day."""
    return bool(calendar.node_of(day) or calendar.in_spring_festival(day) or calendar.holiday_name(day))


def _ordinary_match(day: dt.date, calendar: TradingCalendar) -> dt.date:
    """The same weekday 52 weeks back, or else the nearest one that is not special (the week before
    first among equals), preferring one that works or rests as `day` does: a Saturday worked for a
    holiday (调休) matches last year's worked Saturday, an ordinary Saturday a Saturday off."""
    plain = day - WEEKS_52
    candidates = [plain]
    for weeks in range(1, NEAREST_WEEKS + 1):
        candidates += [plain - dt.timedelta(weeks=weeks), plain + dt.timedelta(weeks=weeks)]
    ordinary = [candidate for candidate in candidates if not _is_special(candidate, calendar)]
    rests = calendar.is_rest_day(day)
    alike = [candidate for candidate in ordinary if calendar.is_rest_day(candidate) == rests]
    return (alike or ordinary or [plain])[0]
