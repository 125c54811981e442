"""The trading calendar a plan is weighted by (docs/targets.md#the-calendar): promotion nodes with
their phases, public holidays and make-up working days (调休).

Promotion nodes come from the editable table (kpi.models.PromotionNode) for the years it holds, and
from the shipped rules (stores.calendar.DEFAULT_PROMOTIONS) for the others, so matching a day of
this year with last year's never lacks a node. Holidays come from `chinese_calendar` for the years
the State Council has published; for the others from the editable holiday table
(kpi.models.HolidayDay), and without rows there, Monday to Friday work. Spring Festival is lunar
and always known (stores.calendar).

A TradingCalendar is built for one piece of work (one plan, one page) from the tables as they are
then, and remembers what it has worked out only for its own lifetime: nothing it keeps can outlive
an edit of the tables.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

import chinese_calendar
from lunar_python import Lunar

from stores.calendar import logistics_stop, promotion_peaks, spring_festival


class Phase(StrEnum):
    PRESALE = "presale"  # 预热 / 预售
    PEAK = "peak"  # 爆发
    RETURN = "return"  # 返场


@dataclass(frozen=True)
class NodeDates:
    """One promotion node of one year: pre-sale from `presale_start` to the day before the peak,
    the peak `peak_start`…`peak_end`, the return from the day after to `return_end`."""

    code: str
    name: str
    year: int
    presale_start: dt.date
    peak_start: dt.date
    peak_end: dt.date
    return_end: dt.date
    presale_uplift: Decimal
    peak_uplift: Decimal
    return_uplift: Decimal

    def phase_of(self, day: dt.date) -> Phase | None:
        if self.peak_start <= day <= self.peak_end:
            return Phase.PEAK
        if self.presale_start <= day < self.peak_start:
            return Phase.PRESALE
        if self.peak_end < day <= self.return_end:
            return Phase.RETURN
        return None

    def uplift_of(self, phase: Phase) -> Decimal:
        return {
            Phase.PRESALE: self.presale_uplift,
            Phase.PEAK: self.peak_uplift,
            Phase.RETURN: self.return_uplift,
        }[phase]


def default_nodes(year: int) -> tuple[NodeDates, ...]:
    """The shipped rules' nodes of `year` (stores.calendar), as NodeDates."""
    return tuple(
        NodeDates(
            code=node.code,
            name=node.name,
            year=year,
            presale_start=node.presale_start,
            peak_start=node.peak,
            peak_end=node.peak,
            return_end=node.return_end or node.peak,
            presale_uplift=Decimal(str(node.presale_uplift)),
            peak_uplift=Decimal(str(node.uplift)),
            return_uplift=Decimal(str(node.return_uplift)),
        )
        for node in promotion_peaks(year)
    )


@dataclass(frozen=True)
class HolidayEntry:
    """A day of the editable holiday table: a day off of holiday `name`, or (day_off False) a
    weekend day worked for one (调休)."""

    name: str
    day_off: bool = True


def official_calendar_knows(year: int) -> bool:
    """Whether `chinese_calendar` has the State Council's holidays of `year`."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class TradingCalendar:
    def __init__(
        self,
        *,
        nodes: Iterable[NodeDates] = (),
        holidays: Mapping[dt.date, HolidayEntry] | None = None,
    ):
        self._nodes_by_year: dict[int, tuple[NodeDates, ...]] = {}
        for node in sorted(nodes, key=lambda node: node.peak_start):
            self._nodes_by_year[node.year] = (*self._nodes_by_year.get(node.year, ()), node)
        self._table_years = frozenset(self._nodes_by_year)
        self._holidays = dict(holidays or {})
        self._official: dict[int, bool] = {}
        self._node_memo: dict[dt.date, NodeDates | None] = {}
        self._memo: dict[tuple[str, dt.date], object] = {}

    def remembered(self, what: str, day: dt.date, compute):
        """`compute(day)` once per calendar: planning 500 stores asks the same of each day 500 times."""
        key = (what, day)
        if key not in self._memo:
            self._memo[key] = compute(day)
        return self._memo[key]

    # Promotion nodes ----------------------------------------------------------------------------

    def nodes_of(self, year: int) -> tuple[NodeDates, ...]:
        """The nodes of `year`: the table's when it has any for that year, else the shipped rules'."""
        if year not in self._nodes_by_year:
            self._nodes_by_year[year] = default_nodes(year)
        return self._nodes_by_year[year]

    def uses_table_nodes(self, year: int) -> bool:
        """Whether `year`'s nodes come from the promotion table (else from the shipped rules)."""
        return year in self._table_years

    def node_of(self, day: dt.date) -> NodeDates | None:
        """The node whose window (pre-sale to return) holds `day`; a node of the year before or
        after may (年货节 of a year can fall in the December before)."""
        if day not in self._node_memo:
            self._node_memo[day] = next(
                (
                    node
                    for year in (day.year - 1, day.year, day.year + 1)
                    for node in self.nodes_of(year)
                    if node.presale_start <= day <= node.return_end
                ),
                None,
            )
        return self._node_memo[day]

    def same_node_last_year(self, node: NodeDates) -> NodeDates | None:
        return next((earlier for earlier in self.nodes_of(node.year - 1) if earlier.code == node.code), None)

    # Holidays -----------------------------------------------------------------------------------

    def official(self, year: int) -> bool:
        """Whether `year`'s holidays are the State Council's (else the table's, or none)."""
        if year not in self._official:
            self._official[year] = official_calendar_knows(year)
        return self._official[year]

    def holiday_name(self, day: dt.date) -> str | None:
        """The public holiday `day` is a day off for; None otherwise."""
        if self.official(day.year):
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            return name if on_holiday else None
        entry = self._holidays.get(day)
        return entry.name if entry and entry.day_off else None

    def is_rest_day(self, day: dt.date) -> bool:
        if self.official(day.year):
            return not chinese_calendar.is_workday(day)
        entry = self._holidays.get(day)
        if entry is not None:
            return entry.day_off
        return day.weekday() >= 5

    def in_spring_festival(self, day: dt.date) -> bool:
        first, last = logistics_stop(day.year)
        return first <= day <= last or self.holiday_name(day) == SPRING_FESTIVAL

    def in_logistics_stop(self, day: dt.date) -> bool:
        first, last = logistics_stop(day.year)
        return first <= day <= last


SPRING_FESTIVAL = chinese_calendar.Holiday.spring_festival.value
DEFAULT_CALENDAR = TradingCalendar()  # the shipped rules and the official holidays only


def estimated_holidays(year: int) -> dict[dt.date, HolidayEntry]:
    """A first guess at `year`'s days off, for a year the State Council has not published: the
    fixed-date holidays, Spring Festival from 除夕 to 初六, and the lunar and solar-term days. No
    make-up working days (调休): nobody can guess them. The table starts from this; the ops lead
    corrects it once the year is published."""
    holiday = chinese_calendar.Holiday
    days: dict[dt.date, HolidayEntry] = {}

    def add(first: dt.date, count: int, name: str) -> None:
        for offset in range(count):
            days[first + dt.timedelta(days=offset)] = HolidayEntry(name)

    add(dt.date(year, 1, 1), 1, holiday.new_years_day.value)
    add(spring_festival(year) - dt.timedelta(days=1), 7, holiday.spring_festival.value)
    add(_solar_term(year, "清明"), 1, holiday.tomb_sweeping_day.value)
    add(dt.date(year, 5, 1), 5, holiday.labour_day.value)
    add(_lunar_day(year, 5, 5), 1, holiday.dragon_boat_festival.value)
    add(_lunar_day(year, 8, 15), 1, holiday.mid_autumn_festival.value)
    add(dt.date(year, 10, 1), 7, holiday.national_day.value)
    return days


def _lunar_day(year: int, month: int, day: int) -> dt.date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _solar_term(year: int, name: str) -> dt.date:
    solar = Lunar.fromYmd(year, 1, 1).getJieQiTable()[name]
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
