"""Making plans (docs/targets.md#the-plan): a store's annual target allocated to the days of its
financial year from last year's matching days, and a new annual target for a plan already made.
Changing a plan's periods is kpi.services.changes.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from kpi import jobs, plan_sql, selectors
from kpi.allocation import financial_year_days, year_days_allocate
from kpi.calendar import TradingCalendar
from kpi.models import PlanChange, SalesTarget
from kpi.rebalance import PlanRefused
from kpi.services.changes import (
    days_change,
    months_moved,
    plan_change_check,
    plan_change_record,
    plan_version_claim,
)
from kpi.weights import day_weight_sources, day_weights, matching_day_last_year
from stores import periods
from stores.models import Store
from stores.periods import Period, PeriodKind

WEIGHT_PLACES = Decimal("0.0001")


# Making plans -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanOrder:
    """One store's annual target for a new plan (or a changed one)."""

    store: Store
    annual: Decimal
    floor_percent: Decimal | None = None
    stretch_percent: Decimal | None = None


def targets_set(
    *,
    orders: Sequence[PlanOrder],
    year: int,
    user=None,
    reason: str = "",
    today: dt.date | None = None,
    calendar: TradingCalendar | None = None,
) -> list[SalesTarget]:
    """Set each store's target for financial year `year`: a new plan allocated to its days from last
    year's matching days, or a changed annual target re-balanced over the future unlocked days.

    The calendar and last year's numbers are read once for every store, so planning 500 stores
    costs a few queries and one pass of the calendar."""
    today = today or periods.today()
    calendar = calendar or selectors.calendar_get()
    first_months = selectors.first_months_get(
        organisation_ids={order.store.organisation_id for order in orders}
    )
    existing = {
        plan.store_id: plan
        for plan in SalesTarget.objects.filter(store__in=[order.store for order in orders], year=year)
    }
    new = [order for order in orders if order.store.pk not in existing]
    with transaction.atomic():
        for order in orders:
            plan_change_check(user, order.store)
        made = _plans_make(new, year, first_months, calendar, user, reason)
        # A new plan gives the attainment items of this week's and month's scores something to
        # measure against: score them again (the outbox runs it once this commits).
        for organisation_id in {plan.store.organisation_id for plan in made}:
            jobs.scores_enqueue(organisation_id=organisation_id, days=[today - dt.timedelta(days=1)])
        changed = [
            _annual_change(existing[order.store.pk], order, user=user, reason=reason, today=today)
            for order in orders
            if order.store.pk in existing
        ]
    return made + changed


def target_set(
    *, store: Store, year: int, annual: Decimal, floor_percent=None, stretch_percent=None, **options
):
    """One store's target (see targets_set)."""
    order = PlanOrder(store, Decimal(annual), floor_percent, stretch_percent)
    return targets_set(orders=[order], year=year, **options)[0]


def _plans_make(orders, year, first_months, calendar, user, reason) -> list[SalesTarget]:
    if not orders:
        return []
    by_first_month: dict[int, list[PlanOrder]] = {}
    for order in orders:
        by_first_month.setdefault(first_months[order.store.organisation_id], []).append(order)
    made = []
    for first_month, group in by_first_month.items():
        days = financial_year_days(year=year, first_month=first_month)
        _refuse_overlaps(group, days)
        matches = {day: matching_day_last_year(day, calendar=calendar) for day in days}
        history = selectors.store_gmv_get(
            store_ids=[order.store.pk for order in group], days=matches.values()
        )
        plans = SalesTarget.objects.bulk_create(
            [
                SalesTarget(
                    store=order.store,
                    year=year,
                    first_month=first_month,
                    first_day=days[0],
                    last_day=days[-1],
                    annual=order.annual,
                    floor_percent=order.floor_percent,
                    stretch_percent=order.stretch_percent,
                )
                for order in group
            ]
        )
        if any(plan.pk is None for plan in plans):  # backends that do not return ids
            plans = list(SalesTarget.objects.filter(store__in=[order.store for order in group], year=year))
        plan_days: list[tuple] = []
        changes: list[PlanChange] = []
        for plan in plans:
            store_history = history.get(plan.store_id, {})
            weights = day_weights(days=days, last_year_gmv=store_history, calendar=calendar)
            weights = {day: weight.quantize(WEIGHT_PLACES) for day, weight in weights.items()}
            sources = day_weight_sources(days=days, last_year_gmv=store_history, calendar=calendar)
            targets = year_days_allocate(annual=plan.annual, weights=weights)
            plan_days += [
                (plan.pk, plan.store_id, day, targets[day], weights[day], sources[day]) for day in days
            ]
            changes.append(
                PlanChange(
                    plan=plan,
                    version=1,
                    kind=PlanChange.Kind.CREATED,
                    label=plan.label,
                    after=plan.annual,
                    reason=reason,
                    months=months_moved({}, targets, first_month),
                    changed_by=user,
                )
            )
        plan_sql.plan_days_insert(plan_days)
        PlanChange.objects.bulk_create(changes)
        made += plans
    return made


def _refuse_overlaps(orders: Sequence[PlanOrder], days: list[dt.date]) -> None:
    """A store's plans may not share a day (a financial year that changed its first month)."""
    clash = SalesTarget.objects.filter(
        store__in=[order.store for order in orders], first_day__lte=days[-1], last_day__gte=days[0]
    ).first()
    if clash:
        raise PlanRefused(
            _("%(store)s already has a plan covering part of these days (%(plan)s).")
            % {"store": clash.store, "plan": clash.label}
        )


def _annual_change(plan: SalesTarget, order: PlanOrder, *, user, reason: str, today: dt.date) -> SalesTarget:
    """A new annual number (and levels) for an existing plan: the year's future unlocked days take
    the difference in proportion to their weights; passed and locked days keep theirs."""
    plan = SalesTarget.objects.select_for_update().get(pk=plan.pk)
    levels_changed = (plan.floor_percent, plan.stretch_percent) != (
        order.floor_percent,
        order.stretch_percent,
    )
    if order.annual == plan.annual and not levels_changed:
        return plan
    before, months = plan.annual, []
    if order.annual != plan.annual:
        year = Period(plan.first_day, plan.last_day, PeriodKind.YEAR)
        preview = days_change(
            plan, period=year, amount=order.annual, today=today, keep_total=False, source=None
        )
        months = preview.months_moved
    plan_version_claim(plan, None)
    SalesTarget.objects.filter(pk=plan.pk).update(
        annual=order.annual, floor_percent=order.floor_percent, stretch_percent=order.stretch_percent
    )
    plan.annual, plan.floor_percent, plan.stretch_percent = (
        order.annual,
        order.floor_percent,
        order.stretch_percent,
    )
    plan_change_record(plan, PlanChange.Kind.ANNUAL, plan.label, before, order.annual, reason, user, months)
    return plan
