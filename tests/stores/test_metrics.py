"""Every derived metric of docs/metrics.md#derived-metrics against a hand-computed example."""

from decimal import Decimal

import pytest

from stores import metrics

# A day worked out by hand: 2,000 visitors viewing 7,000 pages; 50 paid buyers, 12 of them
# returning; ¥9,000 paid and ¥450 refunded; ¥1,200 ads bringing ¥4,200; 80 inquiries, 32 bought.
DAY = {
    "uv": 2000,
    "pv": 7000,
    "paid_buyers": 50,
    "returning_buyers": 12,
    "gmv": Decimal("9000.00"),
    "refund_amount": Decimal("450.00"),
    "ad_spend": Decimal("1200.00"),
    "ad_gmv": Decimal("4200.00"),
    "cs_inquiries": 80,
    "cs_inquiry_buyers": 32,
}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("conversion", Decimal("0.025")),  # 50 / 2000
        ("aov", Decimal("180")),  # 9000 / 50
        ("uv_value", Decimal("4.5")),  # 9000 / 2000
        ("pv_per_uv", Decimal("3.5")),  # 7000 / 2000
        ("refund_rate", Decimal("0.05")),  # 450 / 9000
        ("roi", Decimal("3.5")),  # 4200 / 1200
        ("returning_share", Decimal("0.24")),  # 12 / 50
        ("inquiry_conversion", Decimal("0.4")),  # 32 / 80
    ],
)
def test_derived_metric_matches_hand_computation(code, expected):
    assert metrics.BY_CODE[code].compute(DAY) == expected


def test_every_derived_metric_of_the_domain_is_defined():
    assert set(metrics.DERIVED_CODES) == {
        "conversion",
        "aov",
        "uv_value",
        "pv_per_uv",
        "refund_rate",
        "roi",
        "returning_share",
        "inquiry_conversion",
    }


@pytest.mark.parametrize("metric", metrics.DERIVED, ids=lambda metric: metric.code)
def test_zero_denominator_has_no_value(metric):
    assert metric.compute({**DAY, metric.denominator: 0}) is None


@pytest.mark.parametrize("metric", metrics.DERIVED, ids=lambda metric: metric.code)
def test_missing_part_has_no_value(metric):
    assert metric.compute({**DAY, metric.denominator: None}) is None
    assert metric.compute({**DAY, metric.numerator: None}) is None


def test_zero_numerator_is_a_real_zero():
    assert metrics.BY_CODE["conversion"].compute({"uv": 100, "paid_buyers": 0}) == 0


def test_derive_all_gives_every_code():
    derived = metrics.derive_all(DAY)
    assert derived["roi"] == Decimal("3.5")
    assert derived["aov"] == Decimal("180")
    assert set(derived) == set(metrics.DERIVED_CODES)


def test_ratios_stay_exact_decimals_not_floats():
    aov = metrics.BY_CODE["aov"].compute({"gmv": Decimal("100.00"), "paid_buyers": 3})
    assert isinstance(aov, Decimal)
    assert metrics.display("aov", aov) == "¥33.33"


@pytest.mark.parametrize(
    ("code", "value", "shown"),
    [
        ("uv", 1234567, "1,234,567"),
        ("gmv", Decimal("1234.5"), "¥1,234.50"),
        ("conversion", Decimal("0.032549"), "3.25%"),
        ("refund_rate", Decimal("0.12345"), "12.35%"),  # half-up at the cent of a percent
        ("roi", Decimal("3.456"), "3.46"),
        ("dsr_item", Decimal("4.8512"), "4.85"),
        ("conversion", None, "—"),
        ("gmv", None, "—"),
    ],
)
def test_display(code, value, shown):
    assert metrics.display(code, value) == shown


def test_every_metric_has_labels_unit_and_direction():
    for metric in metrics.ALL:
        assert metric.label_zh and str(metric.label)
        assert metric.kind in metrics.Kind
    lower_is_better = {metric.code for metric in metrics.ALL if metric.higher_is_better is False}
    assert lower_is_better == {"refund_amount", "bad_reviews", "refund_rate"}
