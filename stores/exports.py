"""Raw daily metrics out, as 生意参谋-style files that the import takes back unchanged."""

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import QuerySet
from openpyxl import Workbook

from stores import metrics
from stores.imports.headers import AD_SPEND_CHANNELS
from stores.models import DailyMetric, Store

DATE_HEADER = {"zh": "统计日期", "en": "date"}
STORE_HEADER = {"zh": "店铺名称", "en": "store"}
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXCEL_MONEY = "#,##0.00"
# A spreadsheet reads a cell starting with one of these as a formula (or, for tab and CR, may
# shift it into one): text from users (store names, commentary) must never run as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def formula_neutralised(text: str) -> str:
    """Text safe for a csv or xlsx cell: a leading formula character gets a single quote before
    it, so Excel and WPS show the text instead of evaluating it (formula injection). The one
    place for this rule: every export of OpsDesk writes its text cells through it."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def formula_neutralising_undone(text: str) -> str:
    """The text formula_neutralised() was given: what an import of our own export must compare
    (a store named "=A" is exported as "'=A" and must import back as "=A")."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS) else text


def export_headers(lang: str) -> list[str]:
    metric_headers = [metric.label_zh if lang == "zh" else metric.code for metric in metrics.RECORDED]
    channel_headers = [
        header if lang == "zh" else f"ad_spend:{channel}" for channel, header in AD_SPEND_CHANNELS.items()
    ]
    return [DATE_HEADER[lang], STORE_HEADER[lang], *metric_headers, *channel_headers]


def export_rows(
    *, stores: QuerySet[Store], date_from: dt.date | None, date_to: dt.date | None, lang: str
) -> Iterator[list]:
    """One row per store and date: date, store, every recorded metric, the ad-spend channels."""
    days = (
        DailyMetric.objects.filter(store__in=stores).select_related("store").order_by("store__slug", "date")
    )
    if date_from:
        days = days.filter(date__gte=date_from)
    if date_to:
        days = days.filter(date__lte=date_to)
    for day in days.iterator(chunk_size=5000):
        split = day.ad_spend_split or {}
        channel_values = [
            Decimal(split[channel]) if split.get(channel) else None for channel in AD_SPEND_CHANNELS
        ]
        store = formula_neutralised(day.store.name if lang == "zh" else day.store.slug)
        yield [day.date, store, *(getattr(day, code) for code in metrics.RECORDED_CODES), *channel_values]


def daily_metrics_export(
    *,
    stores: QuerySet[Store],
    date_from: dt.date | None,
    date_to: dt.date | None,
    lang: str,
    file_format: str,
) -> bytes:
    rows = export_rows(stores=stores, date_from=date_from, date_to=date_to, lang=lang)
    if file_format == "xlsx":
        return _xlsx(export_headers(lang), rows)
    return _csv(export_headers(lang), rows)


def _csv(headers: list[str], rows: Iterator[list]) -> bytes:
    # UTF-8 with BOM: Excel opens it with the Chinese headers intact.
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [
                "" if value is None else value.isoformat() if isinstance(value, dt.date) else value
                for value in row
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(headers: list[str], rows: Iterator[list]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("daily")
    sheet.freeze_panes = "A2"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
