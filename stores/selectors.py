import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stores import access, metrics
from stores.imports.headers import AD_SPEND_CHANNELS
from stores.models import DailyMetric, MetricRevision, Store

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


def derived_formulas() -> list[dict]:
    """The derived metrics as data, so the entry page computes them live with the same formulas."""
    return [
        {
            "code": metric.code,
            "label": str(metric.label),
            "numerator": metric.numerator,
            "denominator": metric.denominator,
            "kind": metric.kind.value,
        }
        for metric in metrics.DERIVED
    ]


def metric_revisions(*, store: Store, date: dt.date) -> list[dict]:
    """The audit trail of one store-day, newest first, with metric labels and values as shown."""
    revisions = MetricRevision.objects.filter(store=store, date=date).select_related("changed_by", "batch")
    return [
        {
            "revision": revision,
            "changes": [
                {
                    "metric": metrics.BY_CODE.get(code),
                    "code": code,
                    "previous": _shown(code, revision.previous.get(code)),
                    "current": _shown(code, revision.current.get(code)),
                }
                for code in revision.current
            ],
        }
        for revision in revisions.order_by("-pk")
    ]


def _shown(code: str, text) -> str:
    if code not in metrics.BY_CODE:  # the ad-spend split: {channel: amount}
        return _split_shown(text or {})
    return metrics.display(code, text)


def _split_shown(split: dict) -> str:
    """Each channel by its 生意参谋 column (the file's own wording, in every language, as the import's
    errors quote columns), in the channels' order, its amount as money: 关键词推广花费 ¥3,640.39、…"""
    order = list(AD_SPEND_CHANNELS)
    channels = sorted(split, key=lambda channel: order.index(channel) if channel in order else len(order))
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    shown = separator.join(
        f"{AD_SPEND_CHANNELS.get(channel, channel)} {metrics.display('ad_spend', split[channel])}"
        for channel in channels
    )
    return shown or metrics.DASH


def import_summary(*, batch) -> dict:
    """What an import does (preview) or did, per date and with its first changed values, for the page."""
    summary = batch.summary or {}
    store_names = dict(
        Store.objects.filter(pk__in={c["store"] for c in summary.get("changes", [])}).values_list(
            "pk", "name"
        )
    )
    changes = [
        {
            "store": store_names.get(change["store"], ""),
            "date": change["date"],
            "values": [
                {
                    "metric": metrics.BY_CODE.get(code),
                    "previous": _shown(code, change["previous"].get(code)),
                    "current": _shown(code, text),
                }
                for code, text in change["current"].items()
            ],
        }
        for change in summary.get("changes", [])
    ]
    revert = summary.get("revert")
    if revert:
        kept_store_names = dict(
            Store.objects.filter(pk__in={kept["store"] for kept in revert["kept"]}).values_list("pk", "name")
        )
        revert = {
            **revert,
            "kept": [
                {**kept, "store": kept_store_names.get(kept["store"], ""), "metric": _label(kept["code"])}
                for kept in revert["kept"]
            ],
        }
    return {"by_date": summary.get("by_date", []), "changes": changes, "revert": revert}


def _label(code: str) -> str:
    metric = metrics.BY_CODE.get(code)
    return str(metric.label) if metric else str(_("Ad spend by channel"))
