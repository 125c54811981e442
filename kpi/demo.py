"""Demo data of kpi: the promotion calendar, every store's plan for this year and next from its own
history, a few overrides with their reasons, a locked 双11 month, and the boss's number for the
whole organisation, so that pacing shows on every page."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Sum

from kpi.models import OrganisationTarget, SalesTarget
from kpi.services.calendar import trading_calendar_seed
from kpi.services.changes import plan_lock, plan_override, plan_period_parse
from kpi.services.plans import PlanOrder, targets_set
from stores.models import DailyMetric, Organisation

GROWTH = {0: Decimal("1.15"), 1: Decimal("1.32")}  # this year's and next year's target on last year's GMV
ROUND_TO = Decimal("10000")
FLOOR, STRETCH = Decimal("90"), Decimal("115")
BOSS_ABOVE_PLAN = Decimal("1.05")  # the boss's number for the organisation, a little above the plans


def kpi_demo_seed(*, organisation: Organisation, today: dt.date, lead_username: str = "lead") -> None:
    lead = get_user_model().objects.filter(username=lead_username).first()
    trading_calendar_seed(years=(today.year, today.year + 1))
    stores = list(organisation.stores.order_by("pk"))
    SalesTarget.objects.filter(store__in=stores).delete()
    for offset, growth in GROWTH.items():
        year = today.year + offset
        orders = [
            PlanOrder(
                store, _annual(store, today.year - 1, growth), floor_percent=FLOOR, stretch_percent=STRETCH
            )
            for store in stores
        ]
        plans = targets_set(
            orders=orders, year=year, user=lead, reason="年度目标：去年 GMV 加增长", today=today
        )
        total = sum(plan.annual for plan in plans)
        OrganisationTarget.objects.update_or_create(
            organisation=organisation, year=year, defaults={"annual": _rounded(total * BOSS_ABOVE_PLAN)}
        )
    _overrides(stores[0], today, lead)


def _annual(store, last_year: int, growth: Decimal) -> Decimal:
    gmv = DailyMetric.objects.filter(store=store, date__year=last_year).aggregate(gmv=Sum("gmv"))["gmv"]
    return _rounded((gmv or Decimal("3000000")) * growth)


def _rounded(amount: Decimal) -> Decimal:
    return ((amount / ROUND_TO).quantize(Decimal(1), rounding=ROUND_HALF_UP) * ROUND_TO).quantize(
        Decimal("0.01")
    )


def _overrides(store, today: dt.date, lead) -> None:
    """The flagship's plan as an ops lead leaves it: this year's 双12 week raised (the rest of
    December gives way), next year's 618 month raised, 双11 day set and its month locked."""
    this_year = SalesTarget.objects.get(store=store, year=today.year)
    double_12 = dt.date(today.year, 12, 12)
    week = double_12.isocalendar()
    if double_12 - dt.timedelta(days=double_12.weekday()) > today:  # the whole week is still ahead
        _raise(
            this_year,
            f"{week.year}-W{week.week:02d}",
            Decimal("1.20"),
            "双12 主推款加投，目标上调 20%",
            today,
            lead,
        )
    next_year = SalesTarget.objects.get(store=store, year=today.year + 1)
    _raise(next_year, f"{today.year + 1}-06", Decimal("1.10"), "618 新品首发，6 月目标上调 10%", today, lead)
    _raise(
        next_year, f"{today.year + 1}-11-11", Decimal("1.05"), "双11 当天按去年爆发系数再加 5%", today, lead
    )
    next_year.refresh_from_db()
    plan_lock(plan=next_year, label=f"{today.year + 1}-11", user=lead, reason="双11 预算已与老板确认，锁定")


def _raise(plan: SalesTarget, label: str, factor: Decimal, reason: str, today: dt.date, lead) -> None:
    plan.refresh_from_db()
    period = plan_period_parse(label)
    current = sum(plan.days.filter(date__range=(period.start, period.end)).values_list("target", flat=True))
    plan_override(
        plan=plan,
        label=label,
        amount=(current * factor).quantize(Decimal("0.01")),
        reason=reason,
        user=lead,
        today=today,
    )
