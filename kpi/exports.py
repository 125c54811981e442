"""A store's plan as files (docs/targets.md#exports): JSON and .csv for other tools, .xlsx for people.

Every figure comes from the plan table (kpi.selectors.plan_table_get): the day targets as stored,
each larger period the sum of its days, last year's GMV on the matching days and this year's so
far. JSON states money as strings with two decimals ("36000000.00", exact), weights with four, and
null where a figure is unknown. The .xlsx has a sheet per level (月, 周, 日) with Chinese headers,
¥ and % formats; its 月 sheet is the layout the months import reads back (kpi.imports).
Text a spreadsheet would run as a formula is written with a leading ' (stores.exports).
"""

import csv
import io
import json
import re
from collections.abc import Sequence
from decimal import Decimal

import xlsxwriter

from kpi.allocation import PlanLevel
from kpi.models import SalesTarget
from kpi.pacing import money_json
from kpi.selectors import PlanPeriodRow, PlanTable, plan_table_get
from stores.exports import formula_neutralised

FORMATS = ("json", "csv", "xlsx")
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CENT = Decimal("0.01")
WEIGHT_PLACES = Decimal("0.0001")
# The periods of the JSON export, by key.
LEVELS = {
    "weeks": PlanLevel.WEEK,
    "months": PlanLevel.MONTH,
    "quarters": PlanLevel.QUARTER,
    "halves": PlanLevel.HALF,
}

# Headers: the same words in every file, and the months import reads the 月 sheet's (kpi.imports.parse).
STORE, STORE_CODE, PERIOD, DATE = "店铺", "店铺代码", "期间", "日期"
TARGET, WEIGHT, LOCKED, SOURCE = "目标", "权重", "锁定", "来源"
LAST_YEAR, ACTUAL, ATTAINMENT = "去年同期", "实际", "达成率"
YES, NO = "是", "否"
CSV_HEADERS = (DATE, TARGET, WEIGHT, LOCKED, SOURCE, LAST_YEAR, ACTUAL)
SHEETS = (("月", PlanLevel.MONTH), ("周", PlanLevel.WEEK), ("日", "day"))
MONEY_FORMAT = "¥#,##0.00"
PERCENT_FORMAT = "0.00%"
DIGIT_PIXELS = 7
SHEET_WIDTHS = (20, 16, 12, 16, 16, 16, 10)  # in digits: store, code, period, target, last year, actual, %


def _percent(percent: Decimal | None) -> str | None:
    return None if percent is None else format(Decimal(percent).quantize(CENT), "f")


def _weight(weight: Decimal) -> str:
    return format(Decimal(weight).quantize(WEIGHT_PLACES), "f")


# JSON --------------------------------------------------------------------------------------------


def _period_dict(row: PlanPeriodRow) -> dict:
    return {
        "label": row.label,
        "target": money_json(row.target),
        "last_year": money_json(row.last_year),
        "actual": money_json(row.actual),
    }


def _days(table: PlanTable) -> list[dict]:
    return [
        {
            "date": plan_day.date.isoformat(),
            "target": money_json(plan_day.target),
            "weight": _weight(plan_day.weight),
            "locked": plan_day.locked,
            "source": plan_day.source,
            "last_year": money_json(table.last_year_gmv.get(table.matching[plan_day.date])),
            "actual": money_json(table.actual_gmv.get(plan_day.date)),
        }
        for plan_day in table.days
    ]


def plan_dict(*, plan: SalesTarget, table: PlanTable | None = None) -> dict:
    """{"store": slug, "year", "first_day", "last_day", "annual", "floor", "stretch", "floor_percent",
    "stretch_percent", "version", "days": [{"date", "target", "weight", "locked", "source",
    "last_year", "actual"}], "weeks" / "months" / "quarters" / "halves": [{"label", "target",
    "last_year", "actual"}]}. `table`: the plan table when the caller has read it already."""
    table = table or plan_table_get(plan=plan)
    return {
        "store": plan.store.slug,
        "year": plan.year,
        "first_day": plan.first_day.isoformat(),
        "last_day": plan.last_day.isoformat(),
        "annual": money_json(plan.annual),
        "floor": money_json(plan.floor),
        "stretch": money_json(plan.stretch),
        "floor_percent": _percent(plan.floor_percent),
        "stretch_percent": _percent(plan.stretch_percent),
        "version": plan.version,
        "days": _days(table),
        **{key: [_period_dict(row) for row in table.rows(level)] for key, level in LEVELS.items()},
    }


def plan_json(*, plan: SalesTarget) -> bytes:
    text = json.dumps(plan_dict(plan=plan), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


# CSV ---------------------------------------------------------------------------------------------


def plan_csv(*, plan: SalesTarget) -> bytes:
    """The plan's days, UTF-8 with a BOM (so Excel reads the Chinese headers): 日期, 目标, 权重,
    锁定 (是 / 否), 来源 (history, default or override, as in JSON), 去年同期, 实际; money with two
    decimals, an unknown figure empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for day in plan_dict(plan=plan)["days"]:
        writer.writerow(
            [
                day["date"],
                day["target"],
                day["weight"],
                YES if day["locked"] else NO,
                day["source"],
                day["last_year"] or "",
                day["actual"] or "",
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


# XLSX --------------------------------------------------------------------------------------------


def _sheet_write(workbook, formats: dict, title: str, period_header: str, plan, rows: Sequence) -> None:
    sheet = workbook.add_worksheet(title)
    sheet.freeze_panes(1, 0)
    for column, width in enumerate(SHEET_WIDTHS):
        sheet.set_column_pixels(column, column, width * DIGIT_PIXELS)
    headers = (STORE, STORE_CODE, period_header, TARGET, LAST_YEAR, ACTUAL, ATTAINMENT)
    for column, header in enumerate(headers):
        sheet.write_string(0, column, header, formats["bold"])
    store_name = formula_neutralised(plan.store.name)
    for number, row in enumerate(rows, start=1):
        sheet.write_string(number, 0, store_name)
        sheet.write_string(number, 1, formula_neutralised(plan.store.slug))
        sheet.write_string(number, 2, row.label)
        for column, amount in ((3, row.target), (4, row.last_year), (5, row.actual)):
            if amount is not None:
                sheet.write_number(number, column, float(amount), formats["money"])
        if row.attainment is not None:
            sheet.write_number(number, 6, float(row.attainment), formats["percent"])


def plan_xlsx(*, plan: SalesTarget) -> bytes:
    """The workbook: sheets 月 (months), 周 (ISO weeks; the weeks at the year's ends hold only the
    plan's days of them) and 日 (days), each with 店铺, 店铺代码, 期间 (日期), 目标, 去年同期, 实际 and
    达成率; money as ¥#,##0.00, 达成率 as a percentage, an unknown figure an empty cell."""
    table = plan_table_get(plan=plan)
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(buffer, options) as workbook:
        formats = {
            "bold": workbook.add_format({"bold": True}),
            "money": workbook.add_format({"num_format": MONEY_FORMAT}),
            "percent": workbook.add_format({"num_format": PERCENT_FORMAT}),
        }
        for title, level in SHEETS:
            period_header = DATE if level == "day" else PERIOD
            _sheet_write(workbook, formats, title, period_header, plan, table.rows(level))
        workbook.set_properties({"title": f"{plan.store.name} {plan.label} {TARGET}"})
    return buffer.getvalue()


# Any format --------------------------------------------------------------------------------------


def plan_export(*, plan: SalesTarget, file_format: str) -> bytes:
    if file_format == "json":
        return plan_json(plan=plan)
    if file_format == "csv":
        return plan_csv(plan=plan)
    if file_format == "xlsx":
        return plan_xlsx(plan=plan)
    raise ValueError(f"Unknown export format {file_format!r}")


_NOT_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def plan_file_name(*, plan: SalesTarget, file_format: str) -> str:
    """ASCII, so it travels safely in Content-Disposition: store-a-targets-2027.xlsx, or
    store-a-targets-FY2027.xlsx for a financial year that does not start in January."""
    name = _NOT_FILE_NAME.sub("-", f"{plan.store.slug}-targets-{plan.label}").strip("-.") or "targets"
    return f"{name}.{file_format}"
