"""Reads of the plans (docs/targets.md): the trading calendar, a plan's days by period, its history.
Pacing, which every page and the alerts read, is kpi.pacing."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from kpi.allocation import PlanLevel, financial_year_days, period_sums
from kpi.calendar import HolidayEntry, NodeDates, TradingCalendar
from kpi.models import HolidayDay, PlanChange, PlanDay, PlanSettings, PromotionNode, SalesTarget
from kpi.rebalance import DayState
from stores import access
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


def last_year_gmv_get(
    *, store_ids: Iterable[int], days: Iterable[dt.date]
) -> dict[int, dict[dt.date, Decimal]]:
    """Each store's recorded GMV on `days` (last year's matching days), one query."""
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


def plans_visible_to(*, user) -> QuerySet[SalesTarget]:
    return SalesTarget.objects.filter(store__in=access.stores_visible_to(user))


def plan_day_states(*, plan: SalesTarget) -> dict[dt.date, DayState]:
    """The plan's days in date order, as the re-balancing reads them."""
    rows = (
        PlanDay.objects.filter(plan=plan).order_by("date").values_list("date", "target", "weight", "locked")
    )
    return {date: DayState(target, weight, locked) for date, target, weight, locked in rows}


@dataclass(frozen=True)
class PlanPeriodRow:
    """One week, month, quarter or half of a plan: its target (Σ days), and the actuals."""

    label: str
    start: dt.date
    end: dt.date
    target: Decimal
    last_year: Decimal | None  # last year's GMV on the matching days
    actual: Decimal | None  # this year's GMV so far
    locked: bool

    @property
    def attainment(self) -> Decimal | None:  # 达成率
        return self.actual / self.target if self.actual is not None and self.target else None


def plan_changes_get(*, plan: SalesTarget, limit: int = 50) -> list[PlanChange]:
    return list(plan.changes.select_related("changed_by")[:limit])


def organisation_targets_sum(*, organisation: Organisation, year: int) -> Decimal | None:
    total = sum(
        (plan.annual for plan in SalesTarget.objects.filter(store__organisation=organisation, year=year)),
        Decimal(0),
    )
    return total or None


def plan_day_targets(*, plan: SalesTarget) -> dict[dt.date, Decimal]:
    return dict(PlanDay.objects.filter(plan=plan).order_by("date").values_list("date", "target"))


def plan_level_sums(*, plan: SalesTarget, day_targets: dict[dt.date, Decimal], level: PlanLevel):
    return period_sums(day_targets=day_targets, kind=level, first_month=plan.first_month)


def plan_days_expected(*, plan: SalesTarget) -> list[dt.date]:
    return financial_year_days(year=plan.year, first_month=plan.first_month)
