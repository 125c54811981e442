"""The pacing alert, a rule kpi registers into the reports app's alert rules."""

import datetime as dt
from decimal import Decimal

from django.utils import translation

from kpi.alerts import CODE, pacing_behind
from kpi.selectors import Pacing
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


def test_more_than_five_points_behind_the_months_pace_raises_it():
    # ¥40,000 of ¥100,000 on day 15 of 30: completion 40 % against time progress 50 %, 10 points
    # behind (more than 5): the threshold shown is 50 % − 5 % = 45 %.
    found = pacing_behind(_day(Pacing(Decimal(100_000), Decimal(40_000), 15, 30)))
    assert (found.value, found.threshold) == (Decimal("0.4"), Decimal("0.45"))


def test_at_most_five_points_behind_or_no_target_raises_nothing():
    # ¥46,000 of ¥100,000 on day 15 of 30: 4 points behind.
    assert pacing_behind(_day(Pacing(Decimal(100_000), Decimal(46_000), 15, 30))) is None
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
