"""The KPI arithmetic on hand-computed examples: attainment in each direction and for a band, the
floor and the cap, and a scorecard whose unscored item's weight is shared out."""

from decimal import Decimal

import pytest

from kpi.scoring import attainment, capped, grade_of, scorecard, weights_sum_to_100

D = Decimal


def test_higher_is_better_is_actual_over_target():
    # ¥90,000 of a ¥100,000 target: 90 %.
    assert attainment(actual=D(90_000), target=D(100_000), direction="higher") == D("0.9")


def test_lower_is_better_is_target_over_actual():
    # Refund rate 12.5 % against a target of 10 %: 10 / 12.5 = 80 %, not a fail.
    assert attainment(actual=D("0.125"), target=D("0.10"), direction="lower") == D("0.8")
    # Better than the target: 8 % against 10 % is 125 %.
    assert attainment(actual=D("0.08"), target=D("0.10"), direction="lower") == D("1.25")


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("4.0", "1"),  # inside 3.5–4.5: 100 %
        ("3.5", "1"),  # on the edge
        ("2.8", "0.8"),  # below: 2.8 / 3.5
        ("5.0", "0.9"),  # above: 4.5 / 5.0
    ],
)
def test_a_band_scores_100_inside_and_falls_off_either_side(actual, expected):
    found = attainment(actual=D(actual), target=None, direction="band", band_low=D("3.5"), band_high=D("4.5"))
    assert found == D(expected)


@pytest.mark.parametrize(("actual", "target"), [(None, D(10)), (D(0), D(10)), (D(5), None), (D(5), D(0))])
def test_missing_or_zero_gives_no_attainment(actual, target):
    assert attainment(actual=actual, target=target, direction="higher") is None
    assert attainment(actual=actual, target=target, direction="lower") is None


def test_the_floor_scores_zero_and_the_cap_keeps_over_achievement_visible_to_120():
    assert capped(D("0.55"), floor=D("0.6")) == 0
    assert capped(D("0.6"), floor=D("0.6")) == D("0.6")
    assert capped(D("1.15")) == D("1.15")  # above 100 %: shown, not cut
    assert capped(D("1.5")) == D("1.2")
    assert capped(D("1.5"), cap=D("1.0")) == D("1.0")
    assert capped(None, floor=D("0.6")) is None


def test_a_scorecard_is_the_weighted_sum_of_capped_attainments():
    # 50 % × 110 % + 30 % × 90 % + 20 % × 120 % = 55 + 27 + 24 = 106 points.
    rows, total = scorecard([(D(50), D("1.1")), (D(30), D("0.9")), (D(20), D("1.2"))])
    assert total == D("106.00")
    assert [row.points for row in rows] == [D("55.00"), D("27.00"), D("24.00")]


def test_an_item_without_attainment_shares_its_weight_out_over_the_others():
    # The 20 % item has no attainment: 50 and 30 become 62.5 and 37.5.
    # 62.5 × 110 % + 37.5 × 90 % = 68.75 + 33.75 = 102.5 points (not 82.5 with a 0 for the item).
    rows, total = scorecard([(D(50), D("1.1")), (D(30), D("0.9")), (D(20), None)])
    assert total == D("102.50")
    assert [row.effective_weight for row in rows] == [D("62.5"), D("37.5"), None]
    assert rows[2].points is None


def test_nothing_scored_gives_no_total():
    assert scorecard([(D(100), None)])[1] is None


def test_weights_must_sum_to_100():
    assert weights_sum_to_100([D(50), D("30"), D("20.00")])
    assert not weights_sum_to_100([D(50), D(30)])


@pytest.mark.parametrize(
    ("total", "grade"), [("125", "A"), ("110", "A"), ("109.99", "B"), ("95", "C"), ("12", "D")]
)
def test_a_total_falls_in_the_grade_band_it_reaches(total, grade):
    assert grade_of(D(total)).grade == grade
    assert grade_of(None) is None
