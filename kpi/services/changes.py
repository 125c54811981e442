"""Changing a plan (docs/targets.md#overrides-and-locks): setting a month, week or day, locking and
unlocking, and what every change shares: the version claim (a save made from an older version is
refused with PlanConflict, never merged), the check of who may change, the record of the change
(PlanChange: who, when, why, the period, each month before and after), the write of moved days.
"""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi import selectors
from kpi.allocation import ZERO, PlanLevel, period_sums
from kpi.models import DaySource, PlanChange, PlanDay, PlanLock, SalesTarget
from kpi.rebalance import DayState, PlanRefused, period_rebalance
from stores import access, periods
from stores.models import Store
from stores.periods import Period, PeriodKind

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


def plan_change_check(user, store: Store) -> None:
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
        plan_change_check(user, plan.store)
        plan = SalesTarget.objects.select_for_update().select_related("store").get(pk=plan.pk)
        plan_version_claim(plan, expected_version)
        preview = days_change(
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


def days_change(plan, *, period, amount, today, keep_total=True, source) -> ChangePreview:
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
        plan_change_check(user, plan.store)
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
        plan_change_check(user, plan.store)
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


def months_moved(before, after, first_month) -> list[dict]:
    return [month for month in _months_all(before, after, first_month) if month["before"] != month["after"]]
