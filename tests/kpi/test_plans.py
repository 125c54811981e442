"""Making a plan and changing it: every level sums to the cent, overrides re-balance only future
unlocked days, locks hold their totals, refusals change nothing, two editors cannot both win."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import translation

from kpi import selectors
from kpi.allocation import PlanLevel, period_sums
from kpi.models import PlanChange, PlanDay, PlanSettings, SalesTarget
from kpi.rebalance import PlanRefused
from kpi.services.changes import (
    PlanConflict,
    PlanForbidden,
    plan_lock,
    plan_override,
    plan_override_preview,
    plan_unlock,
)
from kpi.services.plans import target_set
from stores.periods import days_between
from tests.factories import DailyMetricFactory

D = Decimal
day = dt.date
ANNUAL = D("36000000.00")


@pytest.fixture(autouse=True)
def in_english():
    """The refusals are matched in English (the catalogue says them in Chinese by default)."""
    with translation.override("en"):
        yield


def _targets(plan) -> dict[dt.date, Decimal]:
    return selectors.plan_day_targets(plan=plan)


def _sum(targets, first, last) -> Decimal:
    return sum(target for date, target in targets.items() if first <= date <= last)


@pytest.mark.parametrize(("year", "first_month", "days"), [(2026, 1, 365), (2028, 1, 366), (2027, 4, 366)])
def test_every_level_of_a_new_plan_sums_to_the_annual_target_to_the_cent(personas, year, first_month, days):
    PlanSettings.objects.create(organisation=personas.acme, first_month=first_month)
    plan = target_set(store=personas.store_a, year=year, annual=D("36000000.01"), today=day(2020, 1, 1))
    targets = _targets(plan)
    assert len(targets) == days
    assert min(targets) == day(year, first_month, 1)
    assert sum(targets.values()) == D("36000000.01")
    assert all(target == target.quantize(D("0.01")) and target > 0 for target in targets.values())
    for level, count in (
        (PlanLevel.MONTH, 12),
        (PlanLevel.QUARTER, 4),
        (PlanLevel.HALF, 2),
        (PlanLevel.YEAR, 1),
    ):
        sums = period_sums(day_targets=targets, kind=level, first_month=first_month)
        assert len(sums) == count
        assert sum(sums.values()) == D("36000000.01")
    weeks = period_sums(day_targets=targets, kind=PlanLevel.WEEK, first_month=first_month)
    assert sum(weeks.values()) == D("36000000.01")
    if first_month == 4:
        assert plan.label == "FY2027" and plan.last_day == day(2028, 3, 31)  # with 29 February 2028


def test_a_plan_is_weighted_by_last_years_matching_days(personas):
    # Last year's 双11 sold ten times an ordinary day; this year's 双11 gets ten times the target.
    for date in days_between(day(2025, 1, 1), day(2025, 12, 31)):
        DailyMetricFactory(
            store=personas.store_a,
            date=date,
            gmv=D("10000.00") if date != day(2025, 11, 11) else D("100000.00"),
        )
    plan = target_set(store=personas.store_a, year=2026, annual=ANNUAL, today=day(2026, 1, 1))
    targets = _targets(plan)
    # Both are rounded to the cent: ten times the ordinary day within ten cents.
    assert abs(targets[day(2026, 11, 11)] - 10 * targets[day(2026, 4, 15)]) <= D("0.10")
    sources = dict(PlanDay.objects.filter(plan=plan).values_list("date", "source"))
    assert sources[day(2026, 11, 11)] == "history"


def test_a_year_beyond_chinese_calendar_is_planned(personas):
    plan = target_set(store=personas.store_a, year=2031, annual=D("1000000.00"), today=day(2030, 1, 1))
    targets = _targets(plan)
    assert len(targets) == 365 and sum(targets.values()) == D("1000000.00")


def _plan(personas, **options):
    return target_set(
        store=personas.store_a, year=2027, annual=D("3650000.00"), today=day(2027, 1, 1), **options
    )


def test_an_override_rebalances_only_future_unlocked_days_and_keeps_the_year(personas):
    plan = _plan(personas)
    before = _targets(plan)
    today = day(2027, 3, 1)  # January and February have passed
    plan_lock(plan=plan, label="2027-12")
    plan.refresh_from_db()
    change = plan_override(
        plan=plan, label="2027-05", amount=D("600000.00"), reason="618 pre-sale starts early", today=today
    )
    after = _targets(plan)
    assert sum(after.values()) == D("3650000.00")
    assert _sum(after, day(2027, 5, 1), day(2027, 5, 31)) == D("600000.00")
    assert all(after[date] == before[date] for date in before if date < today), "days passed never change"
    assert all(after[date] == before[date] for date in before if date.month == 12), "a locked month holds"
    moved = [date for date in before if after[date] != before[date] and date.month != 5]
    assert moved and all(today <= date < day(2027, 12, 1) for date in moved)
    # Outside May, the difference is taken in proportion to the weights: about the same share a day.
    assert change.version == 3 and change.kind == PlanChange.Kind.OVERRIDE
    assert change.reason == "618 pre-sale starts early" and change.label == "2027-05"
    assert {month["label"] for month in change.months} >= {"2027-05", "2027-03", "2027-11"}
    assert "2027-01" not in {month["label"] for month in change.months}


def test_a_locked_month_keeps_its_total_through_a_later_override(personas):
    plan = _plan(personas)
    plan_override(
        plan=plan, label="2027-06", amount=D("500000.00"), reason="618", lock=True, today=day(2027, 1, 1)
    )
    plan.refresh_from_db()
    plan_override(
        plan=plan, label="2027-W22", amount=D("120000.00"), reason="week 22 strong", today=day(2027, 1, 1)
    )
    targets = _targets(plan)
    assert _sum(targets, day(2027, 6, 1), day(2027, 6, 30)) == D("500000.00")
    # Week 22 (31 May – 6 June) has six locked June days: only 31 May moved to make the week.
    assert _sum(targets, day(2027, 5, 31), day(2027, 6, 6)) == D("120000.00")
    assert sum(targets.values()) == D("3650000.00")


def test_an_impossible_override_is_refused_and_changes_nothing(personas):
    plan = _plan(personas)
    before = _targets(plan)
    with pytest.raises(PlanRefused, match="negative"):
        plan_override(
            plan=plan, label="2027-05", amount=D("4000000.00"), reason="too much", today=day(2027, 1, 1)
        )
    with pytest.raises(PlanRefused, match="passed"):
        plan_override(plan=plan, label="2027-01", amount=D("1.00"), reason="late", today=day(2027, 2, 1))
    plan_lock(plan=plan, label="2027-05")
    with pytest.raises(PlanRefused, match="locked"):
        plan_override(
            plan=plan, label="2027-05-20", amount=D("1.00"), reason="in a locked month", today=day(2027, 1, 1)
        )
    with pytest.raises(PlanRefused, match="reason"):
        plan_override(plan=plan, label="2027-06", amount=D("1.00"), reason="  ", today=day(2027, 1, 1))
    assert _targets(plan) == before
    assert SalesTarget.objects.get(pk=plan.pk).version == 2  # the lock only
    assert list(PlanChange.objects.filter(plan=plan).values_list("kind", flat=True)) == ["lock", "created"]


def test_when_every_other_day_is_locked_the_difference_cannot_be_absorbed(personas):
    plan = _plan(personas)
    for month in range(1, 13):
        if month != 5:
            plan_lock(plan=plan, label=f"2027-{month:02d}")
    plan.refresh_from_db()
    with pytest.raises(PlanRefused, match="absorb"):
        plan_override(plan=plan, label="2027-05", amount=D("1.00"), reason="x", today=day(2027, 1, 1))
    plan_unlock(plan=plan, label="2027-06")
    plan.refresh_from_db()
    plan_override(plan=plan, label="2027-05", amount=D("1.00"), reason="x", today=day(2027, 1, 1))
    assert sum(_targets(plan).values()) == D("3650000.00")


def test_the_preview_shows_each_month_before_and_after_and_saves_nothing(personas):
    plan = _plan(personas)
    before = _targets(plan)
    preview = plan_override_preview(plan=plan, label="2027-05", amount=D("600000.00"), today=day(2027, 1, 1))
    may = next(month for month in preview.months if month["label"] == "2027-05")
    assert may["after"] == "600000.00" and D(may["before"]) == _sum(before, day(2027, 5, 1), day(2027, 5, 31))
    assert len(preview.months) == 12
    assert sum(D(month["after"]) for month in preview.months) == D("3650000.00")
    assert _targets(plan) == before


def test_a_save_from_an_older_version_is_refused(personas):
    plan = _plan(personas)
    opened_by_first, opened_by_second = plan.version, plan.version
    plan_override(
        plan=plan,
        label="2027-05",
        amount=D("400000.00"),
        reason="first",
        expected_version=opened_by_first,
        today=day(2027, 1, 1),
    )
    between = _targets(plan)
    with pytest.raises(PlanConflict, match="changed since you opened it"):
        plan_override(
            plan=plan,
            label="2027-06",
            amount=D("400000.00"),
            reason="second",
            expected_version=opened_by_second,
            today=day(2027, 1, 1),
        )
    assert _targets(plan) == between


def test_a_new_annual_target_moves_only_future_unlocked_days(personas):
    plan = _plan(personas)
    plan_lock(plan=plan, label="2027-11")
    before = _targets(plan)
    plan = target_set(
        store=personas.store_a,
        year=2027,
        annual=D("4000000.00"),
        floor_percent=D("90"),
        today=day(2027, 7, 1),
    )
    after = _targets(plan)
    assert sum(after.values()) == D("4000000.00")
    assert all(after[date] == before[date] for date in before if date < day(2027, 7, 1) or date.month == 11)
    assert plan.floor == D("3600000.00")
    assert PlanChange.objects.filter(plan=plan).first().kind == PlanChange.Kind.ANNUAL


@pytest.mark.parametrize(
    ("persona", "may"),
    [("lead", True), ("superuser", True), ("boss", False), ("operator", False), ("stranger", False)],
)
def test_only_the_ops_lead_may_change_a_plan(personas, persona, may):
    plan = _plan(personas)
    user = personas.user(persona)
    if may:
        plan_override(
            plan=plan, label="2027-05", amount=D("1.00"), reason="x", user=user, today=day(2027, 1, 1)
        )
        return
    with pytest.raises(PlanForbidden):
        plan_override(
            plan=plan, label="2027-05", amount=D("1.00"), reason="x", user=user, today=day(2027, 1, 1)
        )
    with pytest.raises(PlanForbidden):
        target_set(store=personas.store_a, year=2027, annual=D("1.00"), user=user)
    assert SalesTarget.objects.get(pk=plan.pk).version == 1


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_the_same_moment_one_wins_and_the_other_is_refused(personas):
    """Two real connections, each in its own transaction, both from version 1: one is saved, the
    other waits for it on the plan's row and is then refused; nothing is merged."""
    if connection.vendor != "postgresql":
        pytest.skip("two connections at once need the PostgreSQL test database")
    plan = _plan(personas)
    both_inside = threading.Barrier(2, timeout=10)
    outcome: dict[str, str] = {}

    def edit(label: str) -> None:
        try:
            with translation.override("en"), transaction.atomic():
                opened = SalesTarget.objects.get(pk=plan.pk)
                both_inside.wait()
                plan_override(
                    plan=opened,
                    label=label,
                    amount=D("400000.00"),
                    reason=f"editor of {label}",
                    expected_version=opened.version,
                    today=day(2027, 1, 1),
                )
            outcome[label] = "saved"
        except PlanConflict:
            outcome[label] = "refused"
        finally:
            connection.close()

    editors = [threading.Thread(target=edit, args=(label,)) for label in ("2027-05", "2027-06")]
    for editor in editors:
        editor.start()
    for editor in editors:
        editor.join(timeout=30)
    assert sorted(outcome.values()) == ["refused", "saved"]
    saved = next(label for label, result in outcome.items() if result == "saved")
    assert list(PlanChange.objects.filter(plan=plan, kind="override").values_list("label", flat=True)) == [
        saved
    ]
    assert SalesTarget.objects.get(pk=plan.pk).version == 2
    targets = _targets(plan)
    assert sum(targets.values()) == D("3650000.00")
    month = int(saved[-2:])
    assert _sum(targets, day(2027, month, 1), max(date for date in targets if date.month == month)) == D(
        "400000.00"
    )
