"""The pacing alert, a rule kpi registers into the reports app's alert rules."""

import datetime as dt
from decimal import Decimal

from django.utils import translation

from kpi.alerts import CODE, pacing_behind
from kpi.pacing import Pacing
from reports import alerts, selectors
from reports.alerts import StoreDay

THRESHOLDS = {"pacing_gap": Decimal("0.05")}


def _day(pacing: Pacing | None) -> StoreDay:
    return StoreDay(
        values=None,
        same_weekday=None,
        thresholds=THRESHOLDS,
        nightly_failed=False,
        data_due=False,
        extra={CODE: pacing},
    )


def _june(*, planned_to_date: int, actual: int) -> Pacing:
    """June 2027 (30 days) with a target of ¥100,000, as of the 15th."""
    return Pacing(
        label="2027-06",
        start=dt.date(2027, 6, 1),
        end=dt.date(2027, 6, 30),
        as_of=dt.date(2027, 6, 15),
        target=Decimal(100_000),
        planned_to_date=Decimal(planned_to_date),
        actual=Decimal(actual),
    )


def test_more_than_five_points_behind_the_months_planned_pace_raises_it():
    # ¥40,000 of ¥100,000 on the 15th, when the days so far were planned at ¥50,000: completion
    # 40 % against planned time progress 50 %, 10 points behind (more than 5): the threshold
    # shown is 50 % − 5 % = 45 %.
    found = pacing_behind(_day(_june(planned_to_date=50_000, actual=40_000)))
    assert (found.value, found.threshold) == (Decimal("0.4"), Decimal("0.45"))


def test_the_planned_pace_not_the_calendar_decides():
    # Linear time progress is 50 % on the 15th, but with 618 still ahead only ¥30,000 of the month
    # was planned by then: ¥40,000 is ahead of pace, not 10 points behind.
    assert pacing_behind(_day(_june(planned_to_date=30_000, actual=40_000))) is None


def test_at_most_five_points_behind_or_no_target_raises_nothing():
    # ¥46,000 of ¥100,000 when ¥50,000 was planned: 4 points behind.
    assert pacing_behind(_day(_june(planned_to_date=50_000, actual=46_000))) is None
    assert pacing_behind(_day(None)) is None


def test_the_rule_is_registered_and_reads_its_own_inputs(personas):
    assert CODE in {rule.code for rule in alerts.rules()}
    inputs = selectors.alert_inputs_get(
        stores=[personas.store_a], day=dt.date(2026, 11, 20), now=dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
    )
    assert inputs[personas.store_a.pk].extra == {CODE: None}, "no target yet"
    with translation.override("en"):
        shown = alerts.shown(CODE, Decimal("0.4"), Decimal("0.45"), {})
    assert shown == "Behind the month's pace: 40.00% (limit 45.00%)"
