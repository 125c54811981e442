"""Pacing (docs/metrics.md#pacing, domain.md §5): a period's target against its actual so far, as of
yesterday, per store and in total. The one module every page, export and the alerts read.

A period's target is the sum of its planned days, so it exists only when every day of the period
is planned. Reads are a fixed number of queries whatever the number of stores or periods: one over
the plan's days, one over the daily numbers, one for the plans' floor and stretch, per financial
year start among the stores (nearly always one).
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db.models import Count, Q, Sum

from kpi import selectors
from kpi.allocation import ZERO, PlanLevel, plan_period
from kpi.models import PlanDay, SalesTarget
from stores.models import DailyMetric, Store
from stores.periods import DateRange

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# The periods the pages pace: the current week, month, quarter and year of the financial year.
LEVELS = (PlanLevel.WEEK, PlanLevel.MONTH, PlanLevel.QUARTER, PlanLevel.YEAR)
TOTAL = None  # the key of the stores' total in every result


class Landing(StrEnum):
    """Where the forecast lands against the plan's levels."""

    BELOW_FLOOR = "below_floor"
    BELOW_TARGET = "below_target"  # below the target, no 保底 set
    FLOOR = "floor"  # at or above 保底, below the target
    TARGET = "target"  # at or above the target, below 冲刺
    STRETCH = "stretch"  # at or above 冲刺


@dataclass(frozen=True)
class Pacing:
    """One period of one store (or of several together) as of a day (docs/metrics.md#pacing)."""

    label: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    target: Decimal  # Σ daily targets of the period
    planned_to_date: Decimal  # Σ daily targets through as_of
    actual: Decimal  # GMV through as_of
    floor: Decimal | None = None  # 保底 of the period
    stretch: Decimal | None = None  # 冲刺 of the period

    @property
    def days_in_period(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def days_elapsed(self) -> int:
        return max(0, min((self.as_of - self.start).days + 1, self.days_in_period))

    @property
    def days_left(self) -> int:
        return self.days_in_period - self.days_elapsed

    @property
    def completion(self) -> Decimal | None:
        """完成进度: actual to date / period target."""
        return self.actual / self.target if self.target else None

    @property
    def linear_progress(self) -> Decimal:
        """时间进度 (linear): days elapsed / days in the period."""
        return Decimal(self.days_elapsed) / Decimal(self.days_in_period)

    @property
    def planned_progress(self) -> Decimal | None:
        """时间进度 (planned): Σ daily targets to date / period target."""
        return self.planned_to_date / self.target if self.target else None

    @property
    def behind(self) -> bool:
        """Behind pace: completion below planned time progress."""
        return self.completion is not None and self.completion < self.planned_progress

    @property
    def gap(self) -> Decimal:
        """The gap to date in ¥: actual − planned to date (negative when behind)."""
        return self.actual - self.planned_to_date

    @property
    def progress_gap(self) -> Decimal | None:
        """Completion − planned time progress, as a fraction of the target (negative when behind)."""
        if self.completion is None:
            return None
        return self.completion - self.planned_progress

    @property
    def required_daily(self) -> Decimal | None:
        """The run-rate the rest of the period needs: (target − actual) / days left, nothing (0)
        once the actual has reached the target, never a negative amount."""
        return max(self.target - self.actual, ZERO) / self.days_left if self.days_left else None

    @property
    def forecast(self) -> Decimal | None:
        """The period's GMV if the rest goes as the days so far went against their targets:
        actual + (target − planned to date) × actual / planned to date. None before any day is
        planned above zero; the actual itself once the period is over."""
        if not self.days_left:
            return self.actual
        if not self.planned_to_date:
            return None
        return self.actual + (self.target - self.planned_to_date) * self.actual / self.planned_to_date

    @property
    def landing(self) -> Landing | None:
        forecast = self.forecast
        if forecast is None:
            return None
        if self.stretch is not None and forecast >= self.stretch:
            return Landing.STRETCH
        if forecast >= self.target:
            return Landing.TARGET
        if self.floor is None:
            return Landing.BELOW_TARGET
        return Landing.FLOOR if forecast >= self.floor else Landing.BELOW_FLOOR

    def as_json(self) -> dict:
        """Money as strings of two decimals, fractions as strings of four, None as null."""
        return {
            "period": self.label,
            "first_day": self.start.isoformat(),
            "last_day": self.end.isoformat(),
            "as_of": self.as_of.isoformat(),
            "target": money_json(self.target),
            "actual": money_json(self.actual),
            "planned_to_date": money_json(self.planned_to_date),
            "completion": _fraction(self.completion),
            "time_progress_linear": _fraction(self.linear_progress),
            "time_progress_planned": _fraction(self.planned_progress),
            "behind": self.behind,
            "gap": money_json(self.gap),
            "days_elapsed": self.days_elapsed,
            "days_left": self.days_left,
            "required_daily": money_json(self.required_daily),
            "forecast": money_json(self.forecast),
            "floor": money_json(self.floor),
            "stretch": money_json(self.stretch),
            "landing": self.landing.value if self.landing else None,
        }


def money_json(amount: Decimal | None) -> str | None:
    """Money as kpi's JSON writes it: a string of two decimals, null for none."""
    return None if amount is None else f"{Decimal(amount).quantize(CENT):.2f}"


def _fraction(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(Decimal('0.0001')):.4f}"


PacingByStore = dict[int | None, Pacing | None]


def pacing_get(
    *,
    stores: Sequence[Store],
    day: dt.date,
    levels: Sequence[PlanLevel] = LEVELS,
    periods: Mapping[str, DateRange] | None = None,
) -> dict[PlanLevel | str, PacingByStore]:
    """The current week, month, quarter and year (of each store's financial year) as of `day`
    (yesterday), per store pk and in total (key None); with `periods`, those too under their keys
    (a report's own period: "day": DateRange(day, day)), as of `day` or their last day if earlier."""
    periods = dict(periods or {})
    result: dict[PlanLevel | str, PacingByStore] = {key: {} for key in (*levels, *periods)}
    for first_month, group in _by_first_month(stores).items():
        windows = {level: plan_period(level, day, first_month=first_month) for level in levels}
        windows |= {
            key: _Window(period.start, period.end, _label(key, period)) for key, period in periods.items()
        }
        found = _windows_pacing([store.pk for store in group], windows, day)
        for key in result:
            result[key].update(found[key])
    for key in result:
        result[key][TOTAL] = total_of(result[key].values())
    return result


def _label(key: str, period: DateRange) -> str:
    label = getattr(period, "label", None)
    if label:
        return label
    return (
        period.start.isoformat()
        if period.days == 1
        else f"{period.start.isoformat()}/{period.end.isoformat()}"
    )


def period_pacing_get(*, stores: Sequence[Store], period: DateRange, day: dt.date) -> PacingByStore:
    """One period (a report's day, week or month) as of `day` (its last day once it is over)."""
    return pacing_get(stores=stores, day=day, levels=(), periods={"period": period})["period"]


def month_pacing_get(*, store_ids: Sequence[int], day: dt.date) -> dict[int, Pacing | None]:
    """Each store's month as of `day` (the alert rule's input)."""
    stores = list(Store.objects.filter(pk__in=list(store_ids)).only("pk", "organisation_id"))
    by_store = pacing_get(stores=stores, day=day, levels=(PlanLevel.MONTH,))[PlanLevel.MONTH]
    return {store_id: by_store.get(store_id) for store_id in store_ids}


def total_of(pacings) -> Pacing | None:
    """Several stores' pacing of one period together: the sums of the stores that have a plan."""
    found = [pacing for pacing in pacings if pacing is not None]
    if not found:
        return None
    first = found[0]
    floors = [pacing.floor for pacing in found]
    stretches = [pacing.stretch for pacing in found]
    return Pacing(
        label=first.label,
        start=first.start,
        end=first.end,
        as_of=first.as_of,
        target=sum((pacing.target for pacing in found), ZERO),
        planned_to_date=sum((pacing.planned_to_date for pacing in found), ZERO),
        actual=sum((pacing.actual for pacing in found), ZERO),
        floor=None if None in floors else sum(floors, ZERO),
        stretch=None if None in stretches else sum(stretches, ZERO),
    )


@dataclass(frozen=True)
class _Window(DateRange):
    name: str = ""

    @property
    def label(self) -> str:
        return self.name


def _by_first_month(stores: Sequence[Store]) -> dict[int, list[Store]]:
    first_months = selectors.first_months_get(organisation_ids={store.organisation_id for store in stores})
    groups: dict[int, list[Store]] = {}
    for store in stores:
        groups.setdefault(first_months[store.organisation_id], []).append(store)
    return groups


def _windows_pacing(store_ids: list[int], windows: Mapping[object, DateRange], day: dt.date) -> dict:
    """Each window's Pacing per store, None where some day of the window has no target."""
    if not store_ids:
        return {key: {} for key in windows}
    first = min(window.start for window in windows.values())
    last = max(window.end for window in windows.values())
    names = {key: f"w{index}" for index, key in enumerate(windows)}
    planned = PlanDay.objects.filter(store_id__in=store_ids, date__range=(first, last)).values("store_id")
    actual = DailyMetric.objects.filter(store_id__in=store_ids, date__range=(first, min(last, day)))
    aggregates, sums = {}, {}
    for key, window in windows.items():
        name, in_window = names[key], Q(date__range=(window.start, window.end))
        to_date = Q(date__range=(window.start, min(window.end, day)))
        aggregates |= {
            f"{name}_target": Sum("target", filter=in_window),
            f"{name}_days": Count("id", filter=in_window),
            f"{name}_to_date": Sum("target", filter=to_date),
        }
        sums[f"{name}_actual"] = Sum("gmv", filter=to_date)
    plan_rows = {row["store_id"]: row for row in planned.annotate(**aggregates)}
    actual_rows = {row["store_id"]: row for row in actual.values("store_id").annotate(**sums)}
    levels = _levels_get(store_ids, day, first)
    result = {}
    for key, window in windows.items():
        name, by_store = names[key], {}
        for store_id in store_ids:
            row = plan_rows.get(store_id)
            if row is None or row[f"{name}_days"] != window.days:
                by_store[store_id] = None
                continue
            target = row[f"{name}_target"]
            floor_percent, stretch_percent = levels.get(store_id, (None, None))
            by_store[store_id] = Pacing(
                label=window.label,
                start=window.start,
                end=window.end,
                as_of=min(day, window.end),
                target=target,
                planned_to_date=row[f"{name}_to_date"] or ZERO,
                actual=Decimal(actual_rows.get(store_id, {}).get(f"{name}_actual") or 0).quantize(CENT),
                floor=_level(target, floor_percent),
                stretch=_level(target, stretch_percent),
            )
        result[key] = by_store
    return result


def _levels_get(store_ids: list[int], day: dt.date, first: dt.date) -> dict[int, tuple]:
    """Each store's floor and stretch percentages: of the plan that holds `day`, else the
    earliest plan that runs through the windows' first day."""
    plans = SalesTarget.objects.filter(store_id__in=store_ids, last_day__gte=first).order_by("first_day")
    levels: dict[int, tuple] = {}
    for store_id, first_day, last_day, floor, stretch in plans.values_list(
        "store_id", "first_day", "last_day", "floor_percent", "stretch_percent"
    ):
        if store_id not in levels or first_day <= day <= last_day:
            levels[store_id] = (floor, stretch)
    return levels


def _level(target: Decimal, percent: Decimal | None) -> Decimal | None:
    return None if percent is None else (target * percent / HUNDRED).quantize(CENT)
