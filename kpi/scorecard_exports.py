"""The scorecards as .xlsx (issue 14): the team table of a week or month, and a person's page.

Chinese headers whatever the page's language; real numbers with real formats: attainment and
weights as percentages (0.00%), points as 0.00, actuals and targets as their metric reads (¥, %,
counts); "—" on the page is an empty cell here. Text a spreadsheet would run as a formula is
written with a leading ' (stores.exports).
"""

import io
import re
from decimal import Decimal

import xlsxwriter

from kpi.scorecard_lines import ItemLine, ScoreRow, value_kind
from kpi.scorecard_selectors import PersonScores, TeamTable
from stores.exports import formula_neutralised
from stores.templatetags.people import person

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT_FORMAT, POINTS_FORMAT, MONEY_FORMAT, COUNT_FORMAT = "0.00%", "0.00", "¥#,##0.00", "#,##0"
VALUE_FORMATS = {
    "money": "money",
    "percent": "percent",
    "count": "count",
    "score": "points",
    "ratio": "points",
}
HUNDRED = Decimal(100)
ROLES_ZH = {
    "lead": "运营负责人",
    "operator": "运营",
    "promotion": "推广",
    "designer": "美工",
    "customer_service": "客服",
    "content": "文案",
}
KINDS_ZH = {"week": "周", "month": "月"}
DIRECTIONS_ZH = {"higher": "越高越好", "lower": "越低越好", "band": "区间内"}
SOURCES_ZH = {
    "target_attainment": "销售目标达成",
    "checklist_completion": "工作清单完成率",
    "daily_report_rate": "日报提交率",
    "manual": "负责人评分",
}
PERIOD, PERSON, USERNAME, ROLE, STORES = "期间", "姓名", "用户名", "角色", "店铺"
TOTAL, GRADE, STATUS, LATEST = "得分", "等级", "状态", "关闭后按最新数据"
ITEM_HEADERS = (
    "项目代码",
    "项目",
    "来源",
    "方向",
    "实际",
    "目标",
    "达成率",
    "计分达成率",
    "权重",
    "有效权重",
    "得分",
    "个人值",
    "说明",
)
YES, NO = "是", "否"
PROVISIONAL, CLOSED = "暂定", "已关闭"
DIGIT_PIXELS = 7


def _text(value: str) -> str:
    return formula_neutralised(value or "")


def _status(row: ScoreRow) -> str:
    return CLOSED if row.closed else PROVISIONAL if row.provisional else ""


class _Book:
    """An in-memory workbook with the formats the scorecards use."""

    def __init__(self):
        self.buffer = io.BytesIO()
        options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        self.workbook = xlsxwriter.Workbook(self.buffer, options)
        self.formats = {
            "bold": self.workbook.add_format({"bold": True}),
            "percent": self.workbook.add_format({"num_format": PERCENT_FORMAT}),
            "points": self.workbook.add_format({"num_format": POINTS_FORMAT}),
            "money": self.workbook.add_format({"num_format": MONEY_FORMAT}),
            "count": self.workbook.add_format({"num_format": COUNT_FORMAT}),
        }

    def sheet(self, title: str, headers, widths=()):
        sheet = self.workbook.add_worksheet(title[:31])
        sheet.freeze_panes(1, 0)
        for column, header in enumerate(headers):
            sheet.write_string(0, column, header, self.formats["bold"])
            width = widths[column] if column < len(widths) else max(10, len(header) * 2 + 2)
            sheet.set_column_pixels(column, column, width * DIGIT_PIXELS)
        return sheet

    def number(self, sheet, row: int, column: int, value: Decimal | None, style: str) -> None:
        """A number in its format; nothing (an empty cell) for none. Percent styles take fractions."""
        if value is not None:
            sheet.write_number(row, column, float(value), self.formats[style])

    def close(self) -> bytes:
        self.workbook.close()
        return self.buffer.getvalue()


def _weight(value: Decimal | None) -> Decimal | None:
    """A weight in % of the template (60) as the fraction a 0.00% cell shows as 60.00%."""
    return None if value is None else value / HUNDRED


def _item_cells(book: _Book, sheet, number: int, first: int, item: ItemLine) -> None:
    value_style = VALUE_FORMATS.get(value_kind(item.source), "points")
    sheet.write_string(number, first, _text(item.code))
    sheet.write_string(number, first + 1, _text(item.label))
    sheet.write_string(number, first + 2, SOURCES_ZH.get(item.source, _text(item.source)))
    sheet.write_string(number, first + 3, DIRECTIONS_ZH.get(item.direction, ""))
    book.number(sheet, number, first + 4, item.actual, value_style)
    book.number(sheet, number, first + 5, item.target, value_style)
    book.number(sheet, number, first + 6, item.attainment, "percent")
    book.number(sheet, number, first + 7, item.capped, "percent")
    book.number(sheet, number, first + 8, _weight(item.weight), "percent")
    book.number(sheet, number, first + 9, _weight(item.effective_weight), "percent")
    book.number(sheet, number, first + 10, item.points, "points")
    sheet.write_string(number, first + 11, YES if item.personal else NO)
    note = item.note or ("权重已分摊给其他项目：无达成率" if item.shared_out else "")
    sheet.write_string(number, first + 12, _text(note))


# The team table -----------------------------------------------------------------------------------


def team_xlsx(*, table: TeamTable) -> bytes:
    """Sheet 总览: everyone's total, grade and state; a sheet per role with each item's attainment
    and points (the role's columns of the page)."""
    book = _Book()
    label = table.period.label
    headers = (PERIOD, PERSON, USERNAME, ROLE, STORES, TOTAL, GRADE, STATUS, LATEST)
    summary = book.sheet("总览", headers, (10, 12, 14, 12, 24, 10, 8, 8, 16))
    for number, row in enumerate(table.rows, start=1):
        summary.write_string(number, 0, label)
        summary.write_string(number, 1, _text(person(row.user)))
        summary.write_string(number, 2, _text(row.user.get_username()))
        summary.write_string(number, 3, ROLES_ZH.get(row.role, row.role))
        summary.write_string(number, 4, _text("、".join(store.name for store in row.stores)))
        book.number(summary, number, 5, row.total, "points")
        summary.write_string(number, 6, row.grade.grade if row.grade else "")
        summary.write_string(number, 7, _status(row))
        if row.changed_after_closing:
            book.number(summary, number, 8, row.latest_total, "points")
    for group in table.groups:
        item_headers = [
            f"{column.label}{suffix}" for column in group.columns for suffix in ("达成率", "得分")
        ]
        sheet = book.sheet(
            ROLES_ZH.get(group.role, group.role), (PERSON, USERNAME, STORES, *item_headers, TOTAL, GRADE)
        )
        for number, row in enumerate(group.rows, start=1):
            sheet.write_string(number, 0, _text(person(row.user)))
            sheet.write_string(number, 1, _text(row.user.get_username()))
            sheet.write_string(number, 2, _text("、".join(store.name for store in row.stores)))
            for position, cell in enumerate(row.cells):
                if cell.item is not None:
                    book.number(sheet, number, 3 + 2 * position, cell.item.attainment, "percent")
                    book.number(sheet, number, 4 + 2 * position, cell.item.points, "points")
            end = 3 + 2 * len(group.columns)
            book.number(sheet, number, end, row.total, "points")
            sheet.write_string(number, end + 1, row.grade.grade if row.grade else "")
    book.workbook.set_properties({"title": f"{table.organisation.name} {label} 绩效考核"})
    return book.close()


# A person's page --------------------------------------------------------------------------------


def person_xlsx(*, scores: PersonScores) -> bytes:
    """Sheet 评分卡: each role's items of the period with their figures and the total; sheet 趋势:
    the last 12 weeks' and 6 months' totals."""
    book = _Book()
    label = scores.period.label
    card = book.sheet(
        "评分卡", (PERIOD, ROLE, *ITEM_HEADERS), (10, 12, 14, 16, 14, 10, 14, 14, 10, 12, 10, 10, 10, 8, 30)
    )
    number = 1
    for row in scores.cards:
        for item in row.items:
            card.write_string(number, 0, label)
            card.write_string(number, 1, ROLES_ZH.get(row.role, row.role))
            _item_cells(book, card, number, 2, item)
            number += 1
        card.write_string(number, 0, label)
        card.write_string(number, 1, ROLES_ZH.get(row.role, row.role))
        card.write_string(number, 3, TOTAL, book.formats["bold"])
        book.number(card, number, 12, row.total, "points")
        card.write_string(
            number, 14, " ".join(filter(None, [row.grade.grade if row.grade else "", _status(row)]))
        )
        number += 2
    trend = book.sheet("趋势", (ROLE, "周期", PERIOD, TOTAL), (12, 8, 12, 10))
    number = 1
    for series in scores.trends:
        for kind, points in (("week", series.weeks), ("month", series.months)):
            for point in points:
                trend.write_string(number, 0, ROLES_ZH.get(series.role, series.role))
                trend.write_string(number, 1, KINDS_ZH[kind])
                trend.write_string(number, 2, point.label)
                book.number(trend, number, 3, point.total, "points")
                number += 1
    book.workbook.set_properties({"title": f"{person(scores.person)} {label} 绩效考核"})
    return book.close()


_NOT_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def file_name(*parts: str) -> str:
    """ASCII, so it travels safely in Content-Disposition: acme-kpi-2026-W47.xlsx."""
    name = _NOT_FILE_NAME.sub("-", "-".join(parts)).strip("-.") or "kpi"
    return f"{name}.xlsx"
