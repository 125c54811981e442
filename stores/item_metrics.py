"""The figures of an item's day and of a traffic source's day (docs/items.md#figures), defined once.

The same building blocks as the store's metric dictionary (stores/metrics.py): a recorded figure
is a `Metric`, a derived one a `DerivedMetric`, a ratio never stored, computed from the values of
a day or from the sums of a period, with no value (None) when a side is missing or the
denominator is 0. The codes are the model fields' names (stores.models.ItemDaily,
TrafficSourceDaily). They differ from the store's codes on purpose: an item's `visitors` is not a
store's `uv` (item visitors overlap), so the two are never added up by mistake.
"""

from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from stores.metrics import DerivedMetric, Kind, Metric

# An item's day, in the order and wording of 生意参谋's 商品效果 export.
ITEM_RECORDED: tuple[Metric, ...] = (
    Metric("visitors", "商品访客数", _("Item visitors"), Kind.COUNT, True),
    Metric("pageviews", "商品浏览量", _("Item page views"), Kind.COUNT, True),
    Metric("favourite_buyers", "商品收藏人数", _("Buyers who saved the item"), Kind.COUNT, True),
    Metric("cart_units", "商品加购件数", _("Units added to cart"), Kind.COUNT, True),
    Metric("cart_buyers", "商品加购人数", _("Buyers who added to cart"), Kind.COUNT, True),
    Metric("order_buyers", "下单买家数", _("Buyers who ordered"), Kind.COUNT, True),
    Metric("order_units", "下单件数", _("Units ordered"), Kind.COUNT, True),
    Metric("order_amount", "下单金额", _("Amount ordered"), Kind.MONEY, True),
    Metric("paid_buyers", "支付买家数", _("Paid buyers"), Kind.COUNT, True),
    Metric("paid_units", "支付件数", _("Units paid"), Kind.COUNT, True),
    Metric("gmv", "支付金额", _("GMV"), Kind.MONEY, True),
    Metric("refund_amount", "成功退款金额", _("Refunds completed"), Kind.MONEY, False),
    Metric("search_visitors", "搜索引导访客数", _("Visitors from search"), Kind.COUNT, True),
    Metric("search_paid_buyers", "搜索引导支付买家数", _("Paid buyers from search"), Kind.COUNT, True),
)

ITEM_DERIVED: tuple[DerivedMetric, ...] = (
    DerivedMetric(
        "cart_rate", "加购率", _("Add-to-cart rate"), Kind.PERCENT, True, "cart_buyers", "visitors"
    ),
    DerivedMetric("conversion", "支付转化率", _("Conversion"), Kind.PERCENT, True, "paid_buyers", "visitors"),
    DerivedMetric("refund_rate", "退款率", _("Refund rate"), Kind.PERCENT, False, "refund_amount", "gmv"),
    # What a unit sold for on average: discounts and coupons show here, not in the list price.
    DerivedMetric("unit_price", "件单价", _("Average price paid"), Kind.MONEY, None, "gmv", "paid_units"),
)

# A traffic source's day (流量来源): its 支付转化率 is derived, never stored, even though the
# export has a column for it: a period's conversion is Σ buyers / Σ visitors, not an average.
TRAFFIC_RECORDED: tuple[Metric, ...] = (
    Metric("visitors", "访客数", _("Visitors"), Kind.COUNT, True),
    Metric("order_buyers", "下单买家数", _("Buyers who ordered"), Kind.COUNT, True),
    Metric("paid_buyers", "支付买家数", _("Paid buyers"), Kind.COUNT, True),
    Metric("gmv", "支付金额", _("GMV"), Kind.MONEY, True),
)

TRAFFIC_DERIVED: tuple[DerivedMetric, ...] = (
    DerivedMetric("conversion", "支付转化率", _("Conversion"), Kind.PERCENT, True, "paid_buyers", "visitors"),
)

ITEM_BY_CODE: dict[str, Metric] = {metric.code: metric for metric in ITEM_RECORDED + ITEM_DERIVED}
ITEM_RECORDED_CODES: tuple[str, ...] = tuple(metric.code for metric in ITEM_RECORDED)
TRAFFIC_BY_CODE: dict[str, Metric] = {metric.code: metric for metric in TRAFFIC_RECORDED + TRAFFIC_DERIVED}
TRAFFIC_RECORDED_CODES: tuple[str, ...] = tuple(metric.code for metric in TRAFFIC_RECORDED)


def item_derived(values: Mapping[str, object]) -> dict[str, Decimal | None]:
    """Every derived figure of one item's recorded values (a day, or the sums of a period)."""
    return {metric.code: metric.compute(values) for metric in ITEM_DERIVED}


def traffic_derived(values: Mapping[str, object]) -> dict[str, Decimal | None]:
    """Every derived figure of one traffic source's values (a day, or the sums of a period)."""
    return {metric.code: metric.compute(values) for metric in TRAFFIC_DERIVED}
