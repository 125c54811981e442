"""A period report (日报 / 周报 / 月报) as files: .xlsx for the boss, .csv and JSON for other tools.

Headers are Chinese by default (the 生意参谋 wording of stores.metrics) or canonical codes with
lang="en", as in the raw export (stores/exports.py). Every value comes from the PeriodReport, which
reads the stored rollups: nothing is recomputed here except 环比 / 同比 changes.
A missing value (no data, or a ratio with a zero denominator) is an empty cell, or null in JSON.

The files are written by the modules of this package (words: what they share; data: JSON and
.csv; xlsx: the workbook; figures: other apps' row figures, reports.row_figures, in each); the
names below are the package's public ones.
"""

import json

from reports.exports.data import (
    csv_headers,
    csv_rows,
    csv_value,
    json_value,
    period_report_csv,
    period_report_dict,
)
from reports.exports.words import REPORT_CODES, SIDES, WORDS
from reports.exports.xlsx import (
    EXCEL_CHANGE,
    EXCEL_FORMATS,
    FIXED_SHEETS,
    SHEET_TITLE_MAX,
    excel_value,
    period_report_xlsx,
    sheet_title,
)
from reports.selectors import PeriodReport
from stores.periods import PeriodKind

FORMATS = ("json", "csv", "xlsx")
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
KIND_WORDS = {PeriodKind.DAY: "daily", PeriodKind.WEEK: "weekly", PeriodKind.MONTH: "monthly"}


def report_file_name(*, report: PeriodReport, file_format: str) -> str:
    """ASCII, so it travels safely in Content-Disposition and mail headers: acme-weekly-2026-W47.xlsx"""
    kind = KIND_WORDS.get(report.kind, report.kind.value)
    return f"{report.selection.organisation.slug}-{kind}-{report.period.label}.{file_format}"


def period_report_export(*, report: PeriodReport, file_format: str, lang: str = "zh") -> bytes:
    if file_format == "xlsx":
        return period_report_xlsx(report=report, lang=lang)
    if file_format == "csv":
        return period_report_csv(report=report, lang=lang)
    if file_format == "json":
        text = json.dumps(period_report_dict(report=report), ensure_ascii=False, indent=2)
        return (text + "\n").encode("utf-8")
    raise ValueError(f"Unknown export format {file_format!r}")


__all__ = [
    "CONTENT_TYPES",
    "EXCEL_CHANGE",
    "EXCEL_FORMATS",
    "FIXED_SHEETS",
    "FORMATS",
    "KIND_WORDS",
    "REPORT_CODES",
    "SHEET_TITLE_MAX",
    "SIDES",
    "WORDS",
    "csv_headers",
    "csv_rows",
    "csv_value",
    "excel_value",
    "json_value",
    "period_report_csv",
    "period_report_dict",
    "period_report_export",
    "period_report_xlsx",
    "report_file_name",
    "sheet_title",
]
