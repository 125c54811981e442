"""Why GMV moved: the LMDI split of a GMV change into traffic, conversion and AOV."""

import math
from decimal import Decimal

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from reports.decomposition import gmv_decomposition, parts_rounded


def side(uv: int, buyers: int, gmv: str) -> dict:
    return {"uv": uv, "paid_buyers": buyers, "gmv": Decimal(gmv)}


def test_a_hand_computed_decomposition():
    # Before: 10,000 UV × 2 % × ¥100 = ¥20,000. Now: 9,000 UV × 2.5 % × ¥120 = ¥27,000.
    before, now = side(10_000, 200, "20000.00"), side(9_000, 225, "27000.00")
    result = gmv_decomposition(now, before)
    # L(27000, 20000) = 7000 / ln(1.35) = 23325.20…; traffic: L · ln(0.9) = −2457.56 (−12.3 %),
    # conversion: L · ln(1.25) = 5204.87 (+26.0 %), AOV: L · ln(1.2) = 4252.69 (+21.3 %); sum 7000.00.
    weight = 7000 / math.log(1.35)
    expected = [weight * math.log(0.9), weight * math.log(1.25), weight * math.log(1.2)]
    amounts = [part.amount for part in result.contributions]
    assert [float(amount) for amount in amounts] == [round(value, 2) for value in expected]
    assert sum(amounts) == Decimal("7000.00") == result.change
    assert [part.percent for part in result.contributions] == [
        Decimal("-12.3"),
        Decimal("26.0"),
        Decimal("21.3"),
    ]
    assert result.change_percent == Decimal("35.0")
    with translation.override("en"):
        assert result.sentence() == "GMV +35.0 %: traffic −12.3 %, conversion +26.0 %, AOV +21.3 %"
    with translation.override("zh-hans"):
        assert result.sentence() == "GMV +35.0 %：流量 −12.3 %，转化率 +26.0 %，客单价 +21.3 %"


def test_no_change_has_zero_contributions():
    same = side(1000, 30, "4500.00")
    result = gmv_decomposition(same, same)
    assert [part.amount for part in result.contributions] == [Decimal("0.00")] * 3
    assert result.change_percent == Decimal("0.0")


def test_missing_or_zero_parts_give_no_decomposition():
    good = side(1000, 30, "4500.00")
    assert gmv_decomposition(good, side(0, 0, "0")) is None
    assert gmv_decomposition({"uv": 1000, "paid_buyers": 30, "gmv": None}, good) is None
    assert gmv_decomposition(good, {}) is None


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)


@given(
    uv_before=st.integers(1, 10**7),
    uv_now=st.integers(1, 10**7),
    buyers_before=st.integers(1, 10**5),
    buyers_now=st.integers(1, 10**5),
    gmv_before=amounts,
    gmv_now=amounts,
)
def test_contributions_always_add_up_to_the_change_to_the_cent(
    uv_before, uv_now, buyers_before, buyers_now, gmv_before, gmv_now
):
    result = gmv_decomposition(side(uv_now, buyers_now, gmv_now), side(uv_before, buyers_before, gmv_before))
    assert sum(part.amount for part in result.contributions) == gmv_now - gmv_before
    assert sum(part.percent for part in result.contributions) == result.change_percent


def test_rounded_parts_keep_their_sum():
    parts = parts_rounded(
        [Decimal("0.334"), Decimal("0.333"), Decimal("0.333")], total=Decimal("1.00"), step=Decimal("0.01")
    )
    assert parts == [Decimal("0.34"), Decimal("0.33"), Decimal("0.33")]
