"""Once a period's actual has reached its target, the rest of it needs nothing more a day: the
run-rate is ¥0.00, never a negative amount (issue 16: the boss's journey read "每日所需
¥-102,957.32" on the weekly report for a month already above its target)."""

import datetime as dt
from decimal import Decimal

from kpi.pacing import Pacing

D = Decimal


def _june(actual: str) -> Pacing:
    """June 2027 as of the 29th: one day left, ¥30,000 planned."""
    return Pacing(
        label="2027-06",
        start=dt.date(2027, 6, 1),
        end=dt.date(2027, 6, 30),
        as_of=dt.date(2027, 6, 29),
        target=D("30000.00"),
        planned_to_date=D("29000.00"),
        actual=D(actual),
    )


def test_a_period_above_its_target_needs_nothing_more_a_day():
    ahead = _june("32000.00")
    assert ahead.days_left == 1
    assert ahead.required_daily == 0
    assert ahead.as_json()["required_daily"] == "0.00"


def test_a_period_at_its_target_needs_nothing_more_a_day():
    assert _june("30000.00").required_daily == 0


def test_a_period_below_its_target_needs_the_rest_over_the_days_left():
    assert _june("28500.00").required_daily == D("1500.00")  # (30,000 − 28,500) / 1 day
