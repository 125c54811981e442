"""The metric dictionary (docs/metrics.md): every recorded and derived metric, defined once.

Every page, export and job takes labels, units, directions and formulas from here.
Derived metrics are ratios of recorded ones; a zero or missing denominator (or a missing
numerator) has no value: None, shown "—", exported as an empty cell, null in JSON.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Kind(StrEnum):
    COUNT = "count"  # non-negative integer
    MONEY = "money"  # CNY, Decimal with 2 dp
    SCORE = "score"  # DSR, 0–5
    PERCENT = "percent"  # a fraction, shown ×100 with %
    RATIO = "ratio"  # a plain number, 2 dp


@dataclass(frozen=True)
class Metric:
    code: str
    label_zh: str  # the 生意参谋 wording, used as the Chinese export header
    label: str  # translatable UI label
    kind: Kind
    higher_is_better: bool | None  # None: neither direction is "good"

    @property
    def is_derived(self) -> bool:
        return False


@dataclass(frozen=True)
class DerivedMetric(Metric):
    numerator: str = ""
    denominator: str = ""

    @property
    def is_derived(self) -> bool:
        return True

    def compute(self, values: Mapping[str, object]) -> Decimal | None:
        top, bottom = values.get(self.numerator), values.get(self.denominator)
        if top is None or bottom is None or bottom == 0:
            return None
        return Decimal(top) / Decimal(bottom)


RECORDED: tuple[Metric, ...] = (
    Metric("uv", "访客数", _("Visitors (UV)"), Kind.COUNT, True),
    Metric("pv", "浏览量", _("Page views (PV)"), Kind.COUNT, True),
    Metric("paid_buyers", "支付买家数", _("Paid buyers"), Kind.COUNT, True),
    Metric("paid_orders", "支付子订单数", _("Paid orders"), Kind.COUNT, True),
    Metric("paid_items", "支付件数", _("Units paid"), Kind.COUNT, True),
    Metric("gmv", "支付金额", _("GMV"), Kind.MONEY, True),
    Metric("refund_amount", "成功退款金额", _("Refunds completed"), Kind.MONEY, False),
    Metric("ad_spend", "推广花费", _("Ad spend"), Kind.MONEY, None),
    Metric("ad_gmv", "推广成交金额", _("Ad-attributed GMV"), Kind.MONEY, True),
    Metric("new_buyers", "支付新买家数", _("New buyers"), Kind.COUNT, True),
    Metric("returning_buyers", "支付老买家数", _("Returning buyers"), Kind.COUNT, True),
    Metric("dsr_item", "描述相符评分", _("DSR: item as described"), Kind.SCORE, True),
    Metric("dsr_service", "服务态度评分", _("DSR: service"), Kind.SCORE, True),
    Metric("dsr_logistics", "物流服务评分", _("DSR: logistics"), Kind.SCORE, True),
    Metric("cs_inquiries", "咨询人数", _("Customer-service inquiries"), Kind.COUNT, True),
    Metric("cs_inquiry_buyers", "询单成交人数", _("Inquiries that bought"), Kind.COUNT, True),
    Metric("bad_reviews", "中差评数", _("Neutral and negative reviews"), Kind.COUNT, False),
)


DERIVED: tuple[DerivedMetric, ...] = (
    DerivedMetric("conversion", "支付转化率", _("Conversion"), Kind.PERCENT, True, "paid_buyers", "uv"),
    DerivedMetric("aov", "客单价", _("Average order value"), Kind.MONEY, True, "gmv", "paid_buyers"),
    DerivedMetric("uv_value", "UV价值", _("Value per visitor"), Kind.MONEY, True, "gmv", "uv"),
    DerivedMetric("pv_per_uv", "人均浏览量", _("Page views per visitor"), Kind.RATIO, True, "pv", "uv"),
    DerivedMetric("refund_rate", "退款率", _("Refund rate"), Kind.PERCENT, False, "refund_amount", "gmv"),
    DerivedMetric("roi", "投入产出比", _("ROI"), Kind.RATIO, True, "ad_gmv", "ad_spend"),
    DerivedMetric(
        "returning_share",
        "老买家占比",
        _("Returning-buyer share"),
        Kind.PERCENT,
        True,
        "returning_buyers",
        "paid_buyers",
    ),
    DerivedMetric(
        "inquiry_conversion",
        "询单转化率",
        _("Inquiry conversion"),
        Kind.PERCENT,
        True,
        "cs_inquiry_buyers",
        "cs_inquiries",
    ),
)

ALL: tuple[Metric, ...] = RECORDED + DERIVED
BY_CODE: dict[str, Metric] = {metric.code: metric for metric in ALL}
RECORDED_CODES: tuple[str, ...] = tuple(metric.code for metric in RECORDED)
DERIVED_CODES: tuple[str, ...] = tuple(metric.code for metric in DERIVED)


def derive_all(values: Mapping[str, object]) -> dict[str, Decimal | None]:
    """Every derived metric of one set of recorded values (a day, or the sums of a period)."""
    return {metric.code: metric.compute(values) for metric in DERIVED}


def with_derived(values: Mapping[str, object]) -> dict[str, object]:
    """The recorded values plus every derived one, keyed by canonical code."""
    return {**{code: values.get(code) for code in RECORDED_CODES}, **derive_all(values)}


def recorded_inputs(codes: tuple[str, ...]) -> tuple[str, ...]:
    """The recorded metrics that showing `codes` needs: a recorded code itself, a derived one
    its numerator and denominator (in the registry's order, each once)."""
    needed = set()
    for code in codes:
        metric = BY_CODE[code]
        needed |= {metric.numerator, metric.denominator} if metric.is_derived else {code}
    return tuple(code for code in RECORDED_CODES if code in needed)


TWO_PLACES = Decimal("0.01")
DASH = "—"


def round_2dp(number: Decimal) -> Decimal:
    """Rounded half up (四舍五入), as a business report rounds, not banker's rounding."""
    return number.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def display(code: str, value: object) -> str:
    """A value as the user reads it: ¥ and % with 2 dp, counts with thousands separators."""
    if value is None:
        return DASH
    kind = BY_CODE[code].kind
    number = Decimal(value)
    if kind is Kind.COUNT:
        return f"{int(number):,}"
    if kind is Kind.MONEY:
        return f"¥{round_2dp(number):,}"
    if kind is Kind.PERCENT:
        return f"{round_2dp(number * 100)}%"
    return f"{round_2dp(number)}"
