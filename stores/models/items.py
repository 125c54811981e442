"""A store's items (商品) and their numbers per day, as 生意参谋's 商品效果 exports give them
(docs/items.md).

ItemDaily is the big table: 500 stores × 300 items × 365 days is 55 million rows a year. On
PostgreSQL it is partitioned by month (stores/migrations/0006_items_and_traffic_sources.py,
stores/metric_sql/partitions.py); on SQLite it is one plain table.
"""

import datetime as dt

from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stores import item_metrics
from stores.metrics import Kind
from stores.models.daily import MetricSource, import_batch_field
from stores.models.organisations import Store


class ItemStatus(models.TextChoices):
    """商品状态 as the export says it."""

    ON_SALE = "on_sale", _("On sale (出售中)")
    DELISTED = "delisted", _("Delisted (已下架)")
    UNKNOWN = "unknown", _("Unknown")


class Item(models.Model):
    """One item of one store, known by its 商品ID: a renamed item stays one item, and the names it
    went by are kept in ItemName."""

    Status = ItemStatus

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="items", verbose_name=_("store"))
    # Text, never a number: Taobao's IDs run to 12 digits and more, and a spreadsheet that took
    # one for a number would show 6.57E+11 and lose its last digits.
    platform_id = models.CharField(
        _("item ID (商品ID)"),
        max_length=32,
        validators=[RegexValidator(r"^\d+$", _("An item ID is digits only."))],
    )
    name = models.CharField(_("name"), max_length=255, help_text=_("The name of the latest day seen."))
    sku_code = models.CharField(_("item code (货号)"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UNKNOWN)
    # The first and the last day a file had a row for the item.
    first_seen = models.DateField(_("first seen"))
    last_seen = models.DateField(_("last seen"))
    stock = models.IntegerField(_("stock"), null=True, blank=True, help_text=_("Empty: not known."))

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["store", "name"]
        constraints = [
            # Also the index of every read by store: a second one would only slow imports down.
            models.UniqueConstraint(fields=["store", "platform_id"], name="item_one_per_store_id"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="item_stock_range"),
            models.CheckConstraint(
                condition=Q(last_seen__gte=models.F("first_seen")), name="item_seen_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.platform_id})"

    @classmethod
    def seen(
        cls,
        *,
        store: Store,
        platform_id: str,
        day: dt.date,
        name: str,
        sku_code: str = "",
        status: str = ItemStatus.UNKNOWN,
        stock: int | None = None,
    ) -> "Item":
        """The item of `platform_id` as a file shows it on `day`, created the first time.

        Only a day at least as late as the latest one seen updates what the item is now (its name,
        货号, status and stock): importing last year's file must not give it back its old name.
        Every name is kept with the days it was seen under (ItemName). One item at a time: an
        import of a whole file will apply the same rule set-based (a later part of issue 17)."""
        with transaction.atomic():
            item, created = cls.objects.select_for_update().get_or_create(
                store=store,
                platform_id=platform_id,
                defaults={
                    "name": name,
                    "sku_code": sku_code,
                    "status": status,
                    "stock": stock,
                    "first_seen": day,
                    "last_seen": day,
                },
            )
            if not created:
                if day >= item.last_seen:
                    item.name, item.last_seen = name, day
                    item.sku_code = sku_code or item.sku_code
                    item.status = status if status != ItemStatus.UNKNOWN else item.status
                    item.stock = stock if stock is not None else item.stock
                item.first_seen = min(item.first_seen, day)
                item.save()
            item.name_seen(name, day)
        return item

    def name_seen(self, name: str, day: dt.date) -> None:
        """The name history holds `name` over `day`."""
        kept, created = ItemName.objects.get_or_create(
            item=self, name=name, defaults={"first_seen": day, "last_seen": day}
        )
        if not created and not kept.first_seen <= day <= kept.last_seen:
            kept.first_seen, kept.last_seen = min(kept.first_seen, day), max(kept.last_seen, day)
            kept.save(update_fields=["first_seen", "last_seen"])


class ItemName(models.Model):
    """A name an item went by, and the first and last day it was seen under it."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="names", verbose_name=_("item"))
    name = models.CharField(_("name"), max_length=255)
    first_seen = models.DateField(_("first seen"))
    last_seen = models.DateField(_("last seen"))

    class Meta:
        verbose_name = _("item name")
        verbose_name_plural = _("item names")
        ordering = ["item", "first_seen", "name"]
        constraints = [models.UniqueConstraint(fields=["item", "name"], name="item_name_once")]

    def __str__(self) -> str:
        return self.name


def _figure(code: str) -> models.Field:
    metric = item_metrics.ITEM_BY_CODE[code]
    if metric.kind is Kind.MONEY:
        return models.DecimalField(metric.label, max_digits=14, decimal_places=2, null=True, blank=True)
    return models.IntegerField(metric.label, null=True, blank=True)


def _figure_constraints() -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(condition=Q(**{f"{code}__gte": 0}), name=f"item_daily_{code}_range")
        for code in (*item_metrics.ITEM_RECORDED_CODES, "stock")
    ]


class ItemDaily(models.Model):
    """One item's recorded numbers for one day (docs/items.md#what-is-kept).

    A missing value is NULL, never 0. Derived figures are computed (stores.item_metrics), never
    stored. The store's own day (DailyMetric) is never replaced by a sum of these: item
    visitors overlap, one visitor sees several items.
    """

    Status = ItemStatus
    Source = MetricSource

    # The primary key holds the partition key (PostgreSQL requires it of a partitioned table's
    # unique indexes) and is the index of every read of one item's days: its trend, its page.
    pk = models.CompositePrimaryKey("item_id", "date")
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="days", verbose_name=_("item"), db_index=False
    )
    # The item's store, kept on the row so that a store's ranking of a month reads one index
    # range, (store, date), without joining 55 million rows to their items.
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="item_days", verbose_name=_("store"), db_index=False
    )
    date = models.DateField(_("date"))
    # One field per recorded figure of stores.item_metrics.ITEM_RECORDED, same code, same order.
    visitors = _figure("visitors")
    pageviews = _figure("pageviews")
    favourite_buyers = _figure("favourite_buyers")
    cart_units = _figure("cart_units")
    cart_buyers = _figure("cart_buyers")
    order_buyers = _figure("order_buyers")
    order_units = _figure("order_units")
    order_amount = _figure("order_amount")
    paid_buyers = _figure("paid_buyers")
    paid_units = _figure("paid_units")
    gmv = _figure("gmv")
    refund_amount = _figure("refund_amount")
    search_visitors = _figure("search_visitors")
    search_paid_buyers = _figure("search_paid_buyers")
    stock = models.IntegerField(_("stock"), null=True, blank=True, help_text=_("Empty: the file has none."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UNKNOWN)

    # Provenance: which import wrote the row last, and how.
    import_batch = import_batch_field()
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)

    class Meta:
        verbose_name = _("item day")
        verbose_name_plural = _("item days")
        # No default ordering: at 55 million rows every read says which order it needs, and none
        # pays for a sort it did not ask for.
        indexes = [models.Index(fields=["store", "date"], name="item_daily_store_date")]
        constraints = _figure_constraints()

    def __str__(self) -> str:
        return f"{self.item_id} {self.date:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        # The row's store is its item's: a writer that names only the item gets it right.
        if self.store_id is None and self.item_id is not None:
            self.store_id = Item.objects.values_list("store_id", flat=True).get(pk=self.item_id)
        super().save(*args, **kwargs)

    def recorded(self) -> dict[str, object]:
        return {code: getattr(self, code) for code in item_metrics.ITEM_RECORDED_CODES}

    def with_derived(self) -> dict[str, object]:
        recorded = self.recorded()
        return {**recorded, **item_metrics.item_derived(recorded)}
