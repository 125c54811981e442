import datetime as dt

from django.db.models import QuerySet

from stores import access
from stores.models import DailyMetric, Store

# The columns a store's daily table shows, in the order an operator reads them.
DAILY_TABLE_CODES = (
    "gmv",
    "uv",
    "conversion",
    "aov",
    "paid_buyers",
    "refund_amount",
    "refund_rate",
    "ad_spend",
    "roi",
    "dsr_item",
    "dsr_service",
    "dsr_logistics",
)


def store_list(*, user) -> QuerySet[Store]:
    return (
        access.stores_visible_to(user).select_related("organisation").order_by("organisation__name", "name")
    )


def daily_metric_rows(*, store: Store, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """One dict per recorded day, newest first: date plus every recorded and derived code."""
    days = DailyMetric.objects.filter(store=store, date__range=(date_from, date_to)).order_by("-date")
    return [{"date": day.date, **day.with_derived()} for day in days]


def day_overview(*, stores: QuerySet[Store], date: dt.date) -> list[dict]:
    """Each store with its numbers of one day (None where nothing was recorded)."""
    by_store = {day.store_id: day for day in DailyMetric.objects.filter(store__in=stores, date=date)}
    rows = []
    for store in stores:
        day = by_store.get(store.pk)
        rows.append({"store": store, "recorded": day is not None, **(day.with_derived() if day else {})})
    return rows
