"""Where a store's visitors came from (流量来源), per day and source, and the table that maps the
platform's changing source names to canonical groups (docs/items.md#traffic-sources)."""

import datetime as dt

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stores import item_metrics, traffic_sources
from stores.metrics import Kind
from stores.models.daily import MetricSource, import_batch_field
from stores.models.organisations import Store


class TrafficLevel(models.TextChoices):
    """The level-1 families of sources, as 生意参谋 groups them."""

    FREE = traffic_sources.FREE, _("Free on Taobao (淘内免费)")
    PAID = traffic_sources.PAID, _("Paid traffic (付费流量)")
    OWN = traffic_sources.OWN, _("Direct and own (自主访问)")
    OUTSIDE = traffic_sources.OUTSIDE, _("Outside Taobao (淘外流量)")
    OTHER = traffic_sources.OTHER, _("Other (其他)")


class TrafficSourceGroup(models.Model):
    """A canonical source (关键词推广, 手淘搜索 …): what reports add up, whatever the platform
    called it in a given year. Seeded from stores/traffic_sources.py."""

    Level = TrafficLevel

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=50)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Order in reports."))

    class Meta:
        verbose_name = _("traffic source group")
        verbose_name_plural = _("traffic source groups")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class TrafficSourceName(models.Model):
    """A source as a file names it, level 1 and level 2, and the group it counts in.

    A name no file had before is stored unmapped and flagged (`needs_mapping`): its days are
    imported, and the ops lead maps it once; every later file with it lands in that group."""

    level1 = models.CharField(_("level 1"), max_length=50)
    level2 = models.CharField(_("level 2"), max_length=50, blank=True)
    # PROTECT: removing a group must not silently unmap the names (and the days) counted in it.
    group = models.ForeignKey(
        TrafficSourceGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="names",
        verbose_name=_("group"),
    )
    needs_mapping = models.BooleanField(
        _("needs mapping"), default=False, help_text=_("A new name from an import, not mapped yet.")
    )
    # Empty for a seeded name no file has had yet.
    first_seen = models.DateField(_("first seen"), null=True, blank=True)

    class Meta:
        verbose_name = _("traffic source name")
        verbose_name_plural = _("traffic source names")
        ordering = ["level1", "level2"]
        constraints = [
            models.UniqueConstraint(fields=["level1", "level2"], name="traffic_source_name_once"),
        ]

    def __str__(self) -> str:
        return f"{self.level1} / {self.level2}" if self.level2 else self.level1

    def save(self, *args, **kwargs):
        # Mapping a flagged name (in the admin) is what clears its flag.
        if self.group_id is not None:
            self.needs_mapping = False
        super().save(*args, **kwargs)

    @classmethod
    def seen(cls, *, level1: str, level2: str, day: dt.date) -> "TrafficSourceName":
        """The name as a file has it on `day`; a name never seen before is stored unmapped and
        flagged for the ops lead."""
        with transaction.atomic():
            name, created = cls.objects.get_or_create(
                level1=level1,
                level2=level2,
                defaults={"needs_mapping": True, "first_seen": day},
            )
            if not created and (name.first_seen is None or day < name.first_seen):
                cls.objects.filter(pk=name.pk).update(first_seen=day)
                name.first_seen = day
        return name


def _figure(code: str) -> models.Field:
    metric = item_metrics.TRAFFIC_BY_CODE[code]
    if metric.kind is Kind.MONEY:
        return models.DecimalField(metric.label, max_digits=14, decimal_places=2, null=True, blank=True)
    return models.IntegerField(metric.label, null=True, blank=True)


class TrafficSourceDaily(models.Model):
    """One store's visitors, buyers and GMV from one source on one day.

    A missing value is NULL, never 0; conversion is derived (stores.item_metrics), never stored.
    The sum over sources is not the store's visitors (a visitor may come by several sources):
    the store's own day (DailyMetric) is kept as it is."""

    Source = MetricSource

    # The unique (store, date, source_name) index serves every read by store and period.
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="traffic_days", verbose_name=_("store"), db_index=False
    )
    date = models.DateField(_("date"))
    # The name as the file had it: mapping it to another group later moves its days with it.
    source_name = models.ForeignKey(
        TrafficSourceName,
        on_delete=models.PROTECT,
        related_name="days",
        verbose_name=_("traffic source"),
        db_index=False,
    )
    visitors = _figure("visitors")
    order_buyers = _figure("order_buyers")
    paid_buyers = _figure("paid_buyers")
    gmv = _figure("gmv")

    # Provenance, as for ItemDaily (stores/models/items.py).
    import_batch = import_batch_field()
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)

    class Meta:
        verbose_name = _("traffic source day")
        verbose_name_plural = _("traffic source days")
        ordering = ["store", "-date", "source_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "date", "source_name"], name="traffic_source_daily_one_per_day"
            ),
            *(
                models.CheckConstraint(condition=Q(**{f"{code}__gte": 0}), name=f"traffic_daily_{code}_range")
                for code in item_metrics.TRAFFIC_RECORDED_CODES
            ),
        ]

    def __str__(self) -> str:
        return f"{self.store} {self.date:%Y-%m-%d} {self.source_name}"

    def recorded(self) -> dict[str, object]:
        return {code: getattr(self, code) for code in item_metrics.TRAFFIC_RECORDED_CODES}

    def with_derived(self) -> dict[str, object]:
        recorded = self.recorded()
        return {**recorded, **item_metrics.traffic_derived(recorded)}
