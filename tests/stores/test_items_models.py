"""Items and their days as the database keeps them (docs/items.md): an item is its 商品ID in its
store, a rename keeps one item and its name history, impossible figures are refused by the
database, a missing figure is NULL and never 0, and derived figures are computed in one place."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import translation

from stores import item_metrics, metric_sql
from stores.metrics import Kind
from stores.models import DailyMetric, Item, ItemDaily, ItemName, ItemStatus, MetricSource
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 20)
# 12 digits and more, as Taobao's are: as a float it would read 6.57123456789012e+14.
TAOBAO_ID = "657123456789012"


def _item(store=None, platform_id=TAOBAO_ID, day=DAY, name="夏季冰丝短袖T恤", **seen) -> Item:
    return Item.seen(store=store or StoreFactory(), platform_id=platform_id, day=day, name=name, **seen)


def _day(item: Item, date: dt.date = DAY, **values) -> ItemDaily:
    """A stored item day; like every writer, it first ensures the month's partition (PostgreSQL)."""
    metric_sql.item_partitions_ensure(months=[date])
    return ItemDaily.objects.create(item=item, date=date, source=MetricSource.IMPORT, **values)


def _refused(**values) -> bool:
    """Whether the database (not Python) refuses an item day with these values."""
    item = _item()
    metric_sql.item_partitions_ensure(months=[DAY])
    try:
        with transaction.atomic():
            ItemDaily.objects.create(item=item, date=DAY, source=MetricSource.IMPORT, **values)
    except IntegrityError:
        return True
    return False


# Identity ------------------------------------------------------------------------------------


def test_an_item_is_its_id_in_its_store():
    store, other_store = StoreFactory(), StoreFactory()
    first = _item(store, day=DAY)
    again = _item(store, day=DAY + dt.timedelta(days=1))
    elsewhere = _item(other_store)
    assert again.pk == first.pk, "the same 商品ID in the same store is the same item"
    assert elsewhere.pk != first.pk, "another store's item with that ID is another item"
    assert Item.objects.get(pk=first.pk).platform_id == TAOBAO_ID, "kept as text, every digit"
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.create(store=store, platform_id=TAOBAO_ID, name="x", first_seen=DAY, last_seen=DAY)


def test_an_item_knows_the_first_and_last_day_a_file_had_it():
    store = StoreFactory()
    for day in (dt.date(2026, 11, 5), dt.date(2026, 11, 1), dt.date(2026, 11, 9)):
        item = _item(store, day=day)
    item.refresh_from_db()
    assert (item.first_seen, item.last_seen) == (dt.date(2026, 11, 1), dt.date(2026, 11, 9))


def test_a_renamed_item_stays_one_item_and_keeps_its_names():
    store = StoreFactory()
    _item(store, day=dt.date(2026, 11, 1), name="冰丝T恤")
    _item(store, day=dt.date(2026, 11, 2), name="冰丝T恤")
    _item(store, day=dt.date(2026, 11, 3), name="【爆款】冰丝T恤 男")
    item = _item(store, day=dt.date(2026, 11, 4), name="【爆款】冰丝T恤 男")
    assert Item.objects.filter(store=store).count() == 1
    assert item.name == "【爆款】冰丝T恤 男", "the name is the latest day's"
    history = [(n.name, n.first_seen.day, n.last_seen.day) for n in ItemName.objects.filter(item=item)]
    assert history == [("冰丝T恤", 1, 2), ("【爆款】冰丝T恤 男", 3, 4)]


def test_an_older_file_imported_later_does_not_give_the_item_back_its_old_name():
    store = StoreFactory()
    _item(store, day=dt.date(2026, 11, 10), name="新名字", status=ItemStatus.ON_SALE, stock=40)
    item = _item(store, day=dt.date(2026, 10, 1), name="旧名字", status=ItemStatus.DELISTED, stock=3)
    item.refresh_from_db()
    assert (item.name, item.status, item.stock) == ("新名字", ItemStatus.ON_SALE, 40)
    assert item.first_seen == dt.date(2026, 10, 1)
    assert set(item.names.values_list("name", flat=True)) == {"新名字", "旧名字"}


def test_a_file_without_status_or_stock_leaves_the_known_ones():
    store = StoreFactory()
    _item(store, day=DAY, status=ItemStatus.ON_SALE, stock=12, sku_code="T-001")
    item = _item(store, day=DAY + dt.timedelta(days=1))  # no 商品状态, no stock, no 货号
    item.refresh_from_db()
    assert (item.status, item.stock, item.sku_code) == (ItemStatus.ON_SALE, 12, "T-001")


def test_an_item_id_is_digits():
    # Excel turns a long 商品ID into 6.57E+14 when a file is saved carelessly: refused, not stored.
    item = Item(store=StoreFactory(), platform_id="6.57E+14", name="x", first_seen=DAY, last_seen=DAY)
    with translation.override("en"), pytest.raises(ValidationError, match="digits only"):
        item.full_clean()


# Item days ------------------------------------------------------------------------------------


def test_the_model_has_one_field_per_recorded_figure_and_no_derived_one():
    fields = {field.name for field in ItemDaily._meta.get_fields()}
    assert set(item_metrics.ITEM_RECORDED_CODES) <= fields
    assert not {metric.code for metric in item_metrics.ITEM_DERIVED} & fields


def test_one_row_per_item_and_day_and_the_row_takes_its_items_store():
    item = _item()
    day = _day(item, visitors=10)
    assert day.pk == (item.pk, DAY)
    assert day.store_id == item.store_id
    with pytest.raises(IntegrityError), transaction.atomic():
        _day(item, visitors=11)


@pytest.mark.parametrize("code", [*item_metrics.ITEM_RECORDED_CODES, "stock"])
def test_negative_figures_are_refused(code):
    metric = item_metrics.ITEM_BY_CODE.get(code)
    negative, zero = (Decimal("-0.01"), Decimal("0.00")) if metric and metric.kind is Kind.MONEY else (-1, 0)
    assert _refused(**{code: negative})
    assert not _refused(**{code: zero})


def test_a_missing_figure_is_null_not_zero():
    day = _day(_item(), visitors=None, gmv=None, paid_buyers=3)
    day.refresh_from_db()
    assert (day.visitors, day.gmv, day.stock) == (None, None, None)
    derived = day.with_derived()
    assert derived["conversion"] is None, "no visitors known: no conversion, not 0 % nor ∞"
    assert derived["unit_price"] is None


def test_a_period_sums_the_known_days_and_has_none_when_no_day_knows():
    item = _item()
    _day(item, dt.date(2026, 11, 1), visitors=100, stock=None)
    _day(item, dt.date(2026, 11, 2), visitors=None, stock=None)
    totals = ItemDaily.objects.filter(item=item).aggregate(visitors=Sum("visitors"), stock=Sum("stock"))
    assert totals == {"visitors": 100, "stock": None}


def test_money_keeps_cents_exactly():
    day = _day(_item(), gmv=Decimal("123456789012.34"))
    day.refresh_from_db()
    assert day.gmv == Decimal("123456789012.34")


def test_deleting_an_item_deletes_its_days_and_leaves_the_store_day():
    item = _item()
    _day(item, visitors=5)
    DailyMetric.objects.create(store=item.store, date=DAY, uv=3, source=MetricSource.MANUAL)
    item.delete()
    assert not ItemDaily.objects.exists()
    assert DailyMetric.objects.get().uv == 3


# Derived figures ----------------------------------------------------------------------------


def test_derived_figures_of_a_day_by_hand():
    """400 visitors, 36 added to cart, 12 paid for 15 units at ¥1,188.00, ¥99.00 refunded:
    add-to-cart 36/400 = 9 %, conversion 12/400 = 3 %, refund rate 99/1188 = 8.33 %, ¥79.20 a unit."""
    day = ItemDaily(
        visitors=400,
        cart_buyers=36,
        paid_buyers=12,
        paid_units=15,
        gmv=Decimal("1188.00"),
        refund_amount=Decimal("99.00"),
    )
    derived = day.with_derived()
    assert derived["cart_rate"] == Decimal("0.09")
    assert derived["conversion"] == Decimal("0.03")
    assert round(derived["refund_rate"], 6) == Decimal("0.083333")
    assert derived["unit_price"] == Decimal("79.2")
    assert derived["visitors"] == 400, "the recorded figures come with them"


def test_a_periods_ratio_is_of_its_sums_not_an_average_of_days():
    """Day 1: 12 of 400 visitors paid (3 %); day 2: 1 of 100 (1 %). The two days: 13 / 500 = 2.6 %,
    not the 2 % an average of the daily rates would say."""
    days = [{"visitors": 400, "paid_buyers": 12}, {"visitors": 100, "paid_buyers": 1}]
    sums = {code: sum(day[code] for day in days) for code in ("visitors", "paid_buyers")}
    assert item_metrics.item_derived(sums)["conversion"] == Decimal("0.026")


@pytest.mark.parametrize(
    "values",
    [
        {"visitors": None, "paid_buyers": 5},
        {"visitors": 100, "paid_buyers": None},
        {"visitors": 0, "paid_buyers": 0},
    ],
)
def test_a_ratio_with_a_missing_side_or_no_denominator_has_no_value(values):
    assert item_metrics.item_derived(values)["conversion"] is None


def test_a_traffic_sources_conversion_is_derived():
    assert item_metrics.traffic_derived({"visitors": 2000, "paid_buyers": 50}) == {
        "conversion": Decimal("0.025")
    }
    assert item_metrics.traffic_derived({"visitors": None, "paid_buyers": 50}) == {"conversion": None}
