"""Making a plan and changing it (docs/targets.md): the writes of kpi.

Every change runs in one transaction that first claims the plan's next version: a save made from
an older version (somebody else saved in between) is refused with PlanConflict, never merged. Each
change is kept as a PlanChange with who, when, why, the period, and each month before and after.
Who may change a plan is checked here, at the moment of the write (stores.access).
"""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi import plan_sql, selectors
from kpi.allocation import ZERO, PlanLevel, financial_year_days, period_sums, year_days_allocate
from kpi.calendar import TradingCalendar
from kpi.models import DaySource, PlanChange, PlanDay, PlanLock, SalesTarget
from kpi.rebalance import DayState, PlanRefused, period_rebalance
from kpi.weights import day_weight_sources, day_weights, matching_day_last_year
from stores import access, periods
from stores.models import Store
from stores.periods import Period, PeriodKind

WEIGHT_PLACES = Decimal("0.0001")
WRITE_BATCH = 2000
# The periods an override or a lock can name, by the shape of their label (2027-05-20, 2027-W19, 2027-05).
OVERRIDE_KINDS = (PeriodKind.DAY, PeriodKind.WEEK, PeriodKind.MONTH)


class PlanConflict(PlanRefused):
    """The plan changed since the user read it."""


class PlanForbidden(PlanRefused):
    """The user may read the plan but not change it."""


def plan_period_parse(text: str) -> Period:
    """A day, ISO week or month from its label: 2027-05-20, 2027-W19, 2027-05."""
    text = text.strip()
    for kind in OVERRIDE_KINDS:
        try:
            period = periods.period_parse(kind, text)
        except ValueError:
            continue
        if period.label == text:
            return period
    raise PlanRefused(
        _("%(text)s is not a month (2027-05), a week (2027-W19) or a day (2027-05-20).") % {"text": text}
    )


def _check_may_change(user, store: Store) -> None:
    if user is not None and not access.can_change_targets(user, store.organisation_id):
        raise PlanForbidden(_("Only the operations lead may change a plan."))


def plan_version_claim(plan: SalesTarget, expected_version: int | None) -> None:
    """Take the plan's next version, or refuse: somebody saved since `expected_version` was read."""
    expected = plan.version if expected_version is None else expected_version
    claimed = SalesTarget.objects.filter(pk=plan.pk, version=expected).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not claimed:
        raise PlanConflict(
            _("The plan changed since you opened it: reload it to see the change, then try again.")
        )
    plan.version = expected + 1


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
            _check_may_change(user, order.store)
        made = _plans_make(new, year, first_months, calendar, user, reason)
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
                    months=_months_moved({}, targets, first_month),
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
        preview = _days_change(
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


# Overrides and locks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangePreview:
    """What a change would do, before it is saved: the period before and after, and each month."""

    label: str
    before: Decimal
    after: Decimal
    months: list[dict]  # {"label", "before", "after"} for every month of the plan
    targets: dict[dt.date, Decimal]

    @property
    def months_moved(self) -> list[dict]:
        return [month for month in self.months if month["before"] != month["after"]]


def plan_override_preview(
    *, plan: SalesTarget, label: str, amount: Decimal, today: dt.date | None = None
) -> ChangePreview:
    """What setting `label` to `amount` does to each month (refused with PlanRefused)."""
    period = plan_period_parse(label)
    days = selectors.plan_day_states(plan=plan)
    return _preview(plan, days, period, Decimal(amount), today or periods.today())


def _preview(
    plan, days: Mapping[dt.date, DayState], period: Period, amount: Decimal, today, keep_total: bool = True
) -> ChangePreview:
    label = plan.label if period.kind is PeriodKind.YEAR else period.label
    targets = period_rebalance(
        days=days, period=period, label=label, amount=amount, today=today, keep_total=keep_total
    )
    before = {day: state.target for day, state in days.items()}
    return ChangePreview(
        label=label,
        before=sum((target for day, target in before.items() if day in period), ZERO),
        after=sum((target for day, target in targets.items() if day in period), ZERO),
        months=_months_all(before, targets, plan.first_month),
        targets=targets,
    )


def plan_override(
    *,
    plan: SalesTarget,
    label: str,
    amount: Decimal,
    reason: str,
    user=None,
    expected_version: int | None = None,
    lock: bool = False,
    today: dt.date | None = None,
) -> PlanChange:
    """Set a month, week or day to `amount` (and lock it, with `lock`)."""
    if not reason.strip():
        raise PlanRefused(_("Say why: a change of the plan needs a reason."))
    period = plan_period_parse(label)
    today = today or periods.today()
    with transaction.atomic():
        _check_may_change(user, plan.store)
        plan = SalesTarget.objects.select_for_update().select_related("store").get(pk=plan.pk)
        plan_version_claim(plan, expected_version)
        preview = _days_change(
            plan, period=period, amount=Decimal(amount), today=today, source=DaySource.OVERRIDE
        )
        change = plan_change_record(
            plan,
            PlanChange.Kind.OVERRIDE,
            period.label,
            preview.before,
            preview.after,
            reason,
            user,
            preview.months_moved,
        )
        if lock:
            _lock_add(plan, period)
    return change


def _days_change(plan, *, period, amount, today, keep_total=True, source) -> ChangePreview:
    """Re-balance the plan's days for `period` at `amount` and save the days that moved."""
    days = selectors.plan_day_states(plan=plan)
    preview = _preview(plan, days, period, amount, today, keep_total)
    plan_days_save(
        plan=plan,
        targets=preview.targets,
        moved=[day for day, state in days.items() if preview.targets[day] != state.target],
        overridden=(lambda day: day in period) if source else None,
    )
    return preview


def plan_days_save(
    *,
    plan: SalesTarget,
    targets: Mapping[dt.date, Decimal],
    moved: Sequence[dt.date],
    overridden: Callable[[dt.date], bool] | None = None,
) -> None:
    """Write the `moved` days' new targets (an override, an import); a day `overridden` says is set
    by the change takes the source "override"."""
    rows = list(PlanDay.objects.filter(plan=plan, date__in=list(moved)))
    for row in rows:
        row.target = targets[row.date]
        if overridden and overridden(row.date):
            row.source = DaySource.OVERRIDE
    PlanDay.objects.bulk_update(rows, ["target", "source"], batch_size=WRITE_BATCH)


def plan_lock(
    *, plan: SalesTarget, label: str, user=None, reason: str = "", expected_version: int | None = None
):
    """Lock a month, week or day: no later change moves its total."""
    period = plan_period_parse(label)
    with transaction.atomic():
        _check_may_change(user, plan.store)
        plan = SalesTarget.objects.select_for_update().select_related("store").get(pk=plan.pk)
        if not (plan.first_day <= period.start and period.end <= plan.last_day):
            raise PlanRefused(_("%(period)s is not in this plan's year.") % {"period": period.label})
        if plan.locks.filter(label=period.label).exists():
            raise PlanRefused(_("%(period)s is already locked.") % {"period": period.label})
        plan_version_claim(plan, expected_version)
        _lock_add(plan, period)
        total = sum(
            PlanDay.objects.filter(plan=plan, date__range=(period.start, period.end)).values_list(
                "target", flat=True
            ),
            ZERO,
        )
        return plan_change_record(plan, PlanChange.Kind.LOCK, period.label, total, total, reason, user, [])


def plan_unlock(
    *, plan: SalesTarget, label: str, user=None, reason: str = "", expected_version: int | None = None
):
    period = plan_period_parse(label)
    with transaction.atomic():
        _check_may_change(user, plan.store)
        plan = SalesTarget.objects.select_for_update().select_related("store").get(pk=plan.pk)
        deleted, _rows = plan.locks.filter(label=period.label).delete()
        if not deleted:
            raise PlanRefused(_("%(period)s is not locked.") % {"period": period.label})
        plan_version_claim(plan, expected_version)
        _locked_days_mark(plan)
        total = sum(
            PlanDay.objects.filter(plan=plan, date__range=(period.start, period.end)).values_list(
                "target", flat=True
            ),
            ZERO,
        )
        return plan_change_record(plan, PlanChange.Kind.UNLOCK, period.label, total, total, reason, user, [])


def _lock_add(plan: SalesTarget, period: Period) -> None:
    PlanLock.objects.get_or_create(
        plan=plan, label=period.label, defaults={"start": period.start, "end": period.end}
    )
    _locked_days_mark(plan)


def _locked_days_mark(plan: SalesTarget) -> None:
    """PlanDay.locked from the plan's locks: a day is locked when any lock covers it."""
    locks = list(plan.locks.values_list("start", "end"))
    PlanDay.objects.filter(plan=plan).update(locked=False)
    for start, end in locks:
        PlanDay.objects.filter(plan=plan, date__range=(start, end)).update(locked=True)


def plan_change_record(plan, kind, label, before, after, reason, user, months) -> PlanChange:
    return PlanChange.objects.create(
        plan=plan,
        version=plan.version,
        kind=kind,
        label=label,
        before=before,
        after=after,
        reason=reason,
        months=months,
        changed_by=user,
    )


def _months_all(
    before: Mapping[dt.date, Decimal], after: Mapping[dt.date, Decimal], first_month: int
) -> list[dict]:
    old = period_sums(day_targets=before, kind=PlanLevel.MONTH, first_month=first_month)
    new = period_sums(day_targets=after, kind=PlanLevel.MONTH, first_month=first_month)
    return [
        {"label": month.label, "before": f"{old.get(month, ZERO):.2f}", "after": f"{total:.2f}"}
        for month, total in new.items()
    ]


def _months_moved(before, after, first_month) -> list[dict]:
    return [month for month in _months_all(before, after, first_month) if month["before"] != month["after"]]
