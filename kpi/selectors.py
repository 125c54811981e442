"""Reads of the plans (docs/targets.md): the trading calendar, a plan's days by period, its history.
Pacing, which every page and the alerts read, is kpi.pacing."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from kpi.allocation import PlanLevel, plan_period
from kpi.calendar import HolidayEntry, NodeDates, TradingCalendar
from kpi.models import (
    HolidayDay,
    OrganisationTarget,
    PlanChange,
    PlanDay,
    PlanSettings,
    PromotionNode,
    SalesTarget,
)
from kpi.rebalance import DayState
from kpi.weights import matching_day_last_year
from stores.models import DailyMetric, Organisation, Store


def calendar_get() -> TradingCalendar:
    """The trading calendar as the tables hold it now (two queries)."""
    nodes = [
        NodeDates(
            code=node.code,
            name=node.name,
            year=node.year,
            presale_start=node.presale_start,
            peak_start=node.peak_start,
            peak_end=node.peak_end,
            return_end=node.return_end,
            presale_uplift=node.presale_uplift,
            peak_uplift=node.peak_uplift,
            return_uplift=node.return_uplift,
        )
        for node in PromotionNode.objects.all()
    ]
    holidays = {row.date: HolidayEntry(row.name, row.day_off) for row in HolidayDay.objects.all()}
    return TradingCalendar(nodes=nodes, holidays=holidays)


def first_month_get(*, organisation_id: int) -> int:
    """The month the organisation's financial year starts in (January unless set)."""
    found = PlanSettings.objects.filter(organisation_id=organisation_id).values_list("first_month", flat=True)
    return next(iter(found), 1)


def first_months_get(*, organisation_ids: Iterable[int]) -> dict[int, int]:
    ids = set(organisation_ids)
    found = dict(
        PlanSettings.objects.filter(organisation_id__in=ids).values_list("organisation_id", "first_month")
    )
    return {organisation_id: found.get(organisation_id, 1) for organisation_id in ids}


def store_gmv_get(*, store_ids: Iterable[int], days: Iterable[dt.date]) -> dict[int, dict[dt.date, Decimal]]:
    """Each store's recorded GMV on `days` (last year's matching days, or this year's), one query."""
    days = set(days)
    if not days:
        return {}
    rows = DailyMetric.objects.filter(store_id__in=list(store_ids), date__range=(min(days), max(days)))
    gmv: dict[int, dict[dt.date, Decimal]] = {}
    for store_id, date, value in rows.values_list("store_id", "date", "gmv"):
        if date in days:
            gmv.setdefault(store_id, {})[date] = value
    return gmv


def plan_get(*, store: Store, year: int) -> SalesTarget | None:
    return SalesTarget.objects.filter(store=store, year=year).select_related("store__organisation").first()


def plan_day_states(*, plan: SalesTarget) -> dict[dt.date, DayState]:
    """The plan's days in date order, as the re-balancing reads them."""
    rows = (
        PlanDay.objects.filter(plan=plan).order_by("date").values_list("date", "target", "weight", "locked")
    )
    return {date: DayState(target, weight, locked) for date, target, weight, locked in rows}


@dataclass(frozen=True)
class PlanPeriodRow:
    """One day, week, month, quarter, half or the year of a plan: its target (Σ its days), last
    year's GMV on the matching days, this year's GMV so far, and whether it is locked."""

    label: str
    start: dt.date
    end: dt.date
    target: Decimal
    last_year: Decimal | None  # Σ last year's GMV on the matching days (None: none recorded)
    actual: Decimal | None  # Σ this year's GMV recorded so far (None: none yet)
    locked: bool

    @property
    def attainment(self) -> Decimal | None:
        """达成率: actual / target."""
        return self.actual / self.target if self.actual is not None and self.target else None


@dataclass(frozen=True)
class PlanTable:
    """A plan's days with what the pages and exports show beside them (four queries)."""

    plan: SalesTarget
    days: list[PlanDay]
    matching: dict[dt.date, dt.date]  # each day's matching day last year
    last_year_gmv: dict[dt.date, Decimal]  # by last year's date
    actual_gmv: dict[dt.date, Decimal]  # by this year's date
    lock_labels: frozenset[str]

    def rows(self, level: PlanLevel | str) -> list[PlanPeriodRow]:
        """The plan by `level`: "day", or a PlanLevel (week, month, quarter, half, year)."""
        groups: dict[object, list[PlanDay]] = {}
        for plan_day in self.days:
            period = (
                plan_day.date
                if level == "day"
                else plan_period(PlanLevel(level), plan_day.date, first_month=self.plan.first_month)
            )
            groups.setdefault(period, []).append(plan_day)
        return [self._row(period, days) for period, days in groups.items()]

    def _row(self, period, days: list[PlanDay]) -> PlanPeriodRow:
        label = period.isoformat() if isinstance(period, dt.date) else period.label
        last_year = [self.last_year_gmv.get(self.matching[day.date]) for day in days]
        actual = [self.actual_gmv.get(day.date) for day in days]
        return PlanPeriodRow(
            label=label,
            start=days[0].date,
            end=days[-1].date,
            target=sum((day.target for day in days), Decimal("0.00")),
            last_year=_sum_known(last_year),
            actual=_sum_known(actual),
            locked=label in self.lock_labels or all(day.locked for day in days),
        )


def _sum_known(values: list[Decimal | None]) -> Decimal | None:
    known = [value for value in values if value is not None]
    return sum(known, Decimal("0.00")) if known else None


def plan_table_get(*, plan: SalesTarget, calendar: TradingCalendar | None = None) -> PlanTable:
    """The plan's days, last year's GMV on their matching days and this year's GMV so far."""
    calendar = calendar or calendar_get()
    days = list(PlanDay.objects.filter(plan=plan).order_by("date"))
    matching = {day.date: matching_day_last_year(day.date, calendar=calendar) for day in days}
    last_year = store_gmv_get(store_ids=[plan.store_id], days=matching.values()).get(plan.store_id, {})
    actual = store_gmv_get(store_ids=[plan.store_id], days=matching.keys()).get(plan.store_id, {})
    locks = frozenset(plan.locks.values_list("label", flat=True))
    return PlanTable(plan, days, matching, last_year, actual, locks)


def plan_changes_get(*, plan: SalesTarget, limit: int = 50) -> list[PlanChange]:
    return list(plan.changes.select_related("changed_by")[:limit])


def organisation_target_get(*, organisation: Organisation, year: int) -> Decimal | None:
    found = OrganisationTarget.objects.filter(organisation=organisation, year=year).values_list(
        "annual", flat=True
    )
    return next(iter(found), None)


def plan_day_targets(*, plan: SalesTarget) -> dict[dt.date, Decimal]:
    """The plan's day targets in date order."""
    return dict(PlanDay.objects.filter(plan=plan).order_by("date").values_list("date", "target"))
