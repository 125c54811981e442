"""The report as an .xlsx workbook for the boss, written with XlsxWriter."""

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from reports.decomposition import FACTORS, GmvDecomposition
from reports.exports import figures
from reports.exports.words import REPORT_CODES, SIDES, WORDS, rows_with_total
from reports.models import SCORE_CODES, WeeklyCommentary
from reports.selectors import HEADLINE_CODES, PeriodReport, ReportRow, relative_change
from stores import metrics
from stores.exports import formula_neutralised
from stores.metrics import Kind
from stores.periods import PeriodKind

EXCEL_FORMATS = {
    Kind.MONEY: "¥#,##0.00",
    Kind.PERCENT: "0.00%",
    Kind.COUNT: "#,##0",
    Kind.RATIO: "0.00",
    Kind.SCORE: "0.00",
}
EXCEL_CHANGE = "0.00%"  # 环比 / 同比, written as fractions
SHEET_TITLE_MAX = 31
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
FIXED_SHEETS = ("summary", "total", "decomposition", "commentary")


def _utf16_prefix(text: str, units: int) -> str:
    """The longest start of `text` of at most `units` UTF-16 code units, as Excel counts them
    (a character beyond the BMP, such as an emoji, counts twice)."""
    length = 0
    for index, character in enumerate(text):
        length += 2 if ord(character) > 0xFFFF else 1
        if length > units:
            return text[:index]
    return text


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unused sheet title for `name`: no []:*?/\\, not starting or ending with an
    apostrophe, at most 31 characters (UTF-16 units, as Excel counts them), unique ignoring case
    (as Excel compares them) — two stores whose names share their first 31 characters get "~2",
    "~3"… Adds the title to `taken`."""
    base = SHEET_TITLE_FORBIDDEN.sub("_", name).strip().strip("'") or "sheet"
    # Cut short, a title must not end with an apostrophe either (XlsxWriter refuses it, as Excel).
    title, number = _utf16_prefix(base, SHEET_TITLE_MAX).rstrip("'"), 1
    while title.casefold() in taken:
        number += 1
        suffix = f"~{number}"
        title = _utf16_prefix(base, SHEET_TITLE_MAX - len(suffix)).rstrip("'") + suffix
    taken.add(title.casefold())
    return title


def excel_value(code: str, value: object) -> object:
    """A number for a cell: percent kinds stay fractions (the 0.00% format shows ×100)."""
    if value is None:
        return None
    if metrics.BY_CODE[code].kind is Kind.COUNT:
        return int(value)
    return Decimal(str(value))


# A cell's style: a number format (one of EXCEL_FORMATS or EXCEL_CHANGE), bold, or wrapped text.
BOLD, WRAPPED = "bold", "wrapped"
# Excel's width unit is the widest digit of Calibri 11, 7 pixels: widths are given in pixels so the
# file states exactly these widths (XlsxWriter's set_column adds Excel's 5 pixels of cell padding).
DIGIT_PIXELS = 7


class XlsxCell(NamedTuple):
    value: object
    style: str | None = None


def _cell(value: object, style: str | None = None) -> XlsxCell:
    return XlsxCell(value, style)


def _formats(workbook: Workbook) -> dict[str, Format]:
    """Every style of the workbook, each made once and shared by every cell that shows it."""
    formats = {
        number_format: workbook.add_format({"num_format": number_format})
        for number_format in dict.fromkeys([*EXCEL_FORMATS.values(), EXCEL_CHANGE])
    }
    formats[BOLD] = workbook.add_format({"bold": True})
    formats[WRAPPED] = workbook.add_format({"text_wrap": True, "valign": "top"})
    return formats


class _Sheet:
    """A worksheet written a row at a time, top to bottom, its header row and first column frozen."""

    def __init__(self, workbook: Workbook, formats: dict[str, Format], title: str, widths: Sequence[int]):
        self.worksheet: Worksheet = workbook.add_worksheet(title)
        self.formats = formats
        self.row = 0
        self.worksheet.freeze_panes(1, 1)  # "B2": the header row and the first column stay in view
        for index, width in enumerate(widths):
            self.worksheet.set_column_pixels(index, index, width * DIGIT_PIXELS)

    def append(self, cells: Sequence[XlsxCell] = ()) -> None:
        """One row. Text is written as text, never a formula, through formula_neutralised; a
        number (Decimal as float) with its format; None is no cell at all (empty, unstyled), ""
        an empty cell."""
        worksheet, row = self.worksheet, self.row
        for column, (value, style) in enumerate(cells):
            if value is None:
                continue
            cell_format = self.formats[style] if style else None
            if isinstance(value, str) and value:
                worksheet.write_string(row, column, formula_neutralised(value), cell_format)
            elif isinstance(value, str):  # as openpyxl writes "": an empty cell, with its style if any
                worksheet.write_blank(row, column, None, cell_format)
            elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                number = float(value) if isinstance(value, Decimal) else value
                worksheet.write_number(row, column, number, cell_format)
            else:
                raise TypeError(f"No xlsx cell for {value!r}")
        self.row += 1

    def header(self, headers: Sequence[str]) -> None:
        self.append([_cell(header, BOLD) for header in headers])

    def notes(self, lines: Sequence[str]) -> None:
        self.append()
        for line in lines:
            self.append([_cell(line)])


def _metric_name(code: str, lang: str) -> str:
    return metrics.BY_CODE[code].label_zh if lang == "zh" else code


def _period_notes(report: PeriodReport, lang: str) -> list[str]:
    """What the numbers cover: the period, the compared dates (like for like when in progress)."""
    words, comparison = WORDS[lang], report.comparison

    def dates(window) -> str:
        return "—" if window is None else f"{window.start.isoformat()} – {window.end.isoformat()}"

    lines = [
        f"{words['period']}: {report.period.label} ({dates(report.period)})",
        f"{words['current']}: {dates(comparison.current)}",
        f"{words['previous']}: {dates(comparison.previous)}",
        f"{words['last_year']}: {dates(comparison.last_year)}",
    ]
    if comparison.partial:
        lines.append(words["partial"].format(days=comparison.current.days))
    if report.kind is not PeriodKind.DAY:
        lines.append(words["visitor_days"])
    return lines


def _summary_sheet(workbook: Workbook, formats: dict, report: PeriodReport, lang: str) -> None:
    words = WORDS[lang]
    widths = [24, *([14] * (3 * len(HEADLINE_CODES) + len(report.figure_columns)))]
    sheet = _Sheet(workbook, formats, words["summary"], widths)
    headers = [words["store"]]
    for code in HEADLINE_CODES:
        name = _metric_name(code, lang)
        joiner = "" if lang == "zh" else "_"
        headers += [name, f"{name}{joiner}{words['vs_previous']}", f"{name}{joiner}{words['vs_last_year']}"]
    sheet.header(headers + figures.headers(report, lang))
    for row in rows_with_total(report):
        name = row.store.name if row.store else words["total"]
        cells = [_cell(name, None if row.store else BOLD)]
        for code in HEADLINE_CODES:
            now = row.current.get(code)
            cells += [
                _cell(excel_value(code, now), EXCEL_FORMATS[metrics.BY_CODE[code].kind]),
                _cell(relative_change(now, row.previous.get(code)), EXCEL_CHANGE),
                _cell(relative_change(now, row.last_year.get(code)), EXCEL_CHANGE),
            ]
        # The registered row figures' columns (reports.row_figures): money or percent, empty without.
        cells += [_cell(cell.value, EXCEL_FORMATS[figures.kind(cell)]) for cell in row.figure_cells]
        sheet.append(cells)
    sheet.notes(_period_notes(report, lang))
    sheet.worksheet.activate()  # the workbook opens on the summary


def _store_sheet(workbook: Workbook, formats: dict, row: ReportRow, lang: str, title: str) -> None:
    """Every recorded and derived metric of one store (or the total), each as a row."""
    words = WORDS[lang]
    name = row.store.name if row.store else words["total"]
    sheet = _Sheet(workbook, formats, title, [22, 20, 14, 14, 14, 10, 10])
    sides = [words[side] for side in SIDES]
    sheet.header([words["metric"], words["code"], *sides, words["vs_previous"], words["vs_last_year"]])
    for code in REPORT_CODES:
        number_format = EXCEL_FORMATS[metrics.BY_CODE[code].kind]
        values = [row.side(side).get(code) for side in SIDES]
        sheet.append(
            [
                _cell(_metric_name(code, lang)),
                _cell(code),
                *(_cell(excel_value(code, value), number_format) for value in values),
                _cell(relative_change(values[0], values[1]), EXCEL_CHANGE),
                _cell(relative_change(values[0], values[2]), EXCEL_CHANGE),
            ]
        )
    # A DSR is the period's last score; its lowest is worth a look next to it (docs/metrics.md#dsr).
    for code in SCORE_CODES:
        minimum = f"{code}_min"
        sheet.append(
            [
                _cell(_metric_name(code, lang) + words["lowest"]),
                _cell(minimum),
                *(_cell(row.side(side).get(minimum), EXCEL_FORMATS[Kind.SCORE]) for side in SIDES),
            ]
        )
    slug = f" ({row.store.slug})" if row.store else ""
    sheet.notes([f"{words['store']}: {name}{slug}"])


def _decomposition_row(label: str, decomposition: GmvDecomposition | None) -> list[XlsxCell]:
    if decomposition is None:
        return [_cell(label), *([_cell(None)] * (4 + 2 * len(FACTORS))), _cell("—")]
    money, change = EXCEL_FORMATS[Kind.MONEY], EXCEL_CHANGE
    cells = [
        _cell(label),
        _cell(decomposition.gmv_before, money),
        _cell(decomposition.gmv_now, money),
        _cell(decomposition.change, money),
        _cell(decomposition.change_percent / 100, change),
    ]
    for part in decomposition.contributions:
        cells += [_cell(part.amount, money), _cell(part.percent / 100, change)]
    return [*cells, _cell(decomposition.sentence())]


def _decomposition_sheet(workbook: Workbook, formats: dict, report: PeriodReport, lang: str) -> None:
    """GMV = UV × conversion × AOV: each factor's share of the change, 环比 and 同比 (LMDI)."""
    words = WORDS[lang]
    widths = [10, 16, 16, 16, 10, *([14, 10] * len(FACTORS)), 60]
    sheet = _Sheet(workbook, formats, words["decomposition"], widths)
    headers = [words["comparison"], words["gmv_before"], words["gmv_now"], words["change"]]
    headers.append(words["change_percent"])
    for code, _label in FACTORS:
        joiner = "" if lang == "zh" else "_"
        headers += [f"{words[code]}{joiner}{words['amount']}", f"{words[code]}{joiner}{words['percent']}"]
    sheet.header([*headers, words["sentence"]])
    sheet.append(_decomposition_row(words["vs_previous"], report.decomposition))
    sheet.append(_decomposition_row(words["vs_last_year"], report.decomposition_last_year))
    sheet.notes(_period_notes(report, lang))


def _commentary_sheet(workbook: Workbook, formats: dict, commentary: WeeklyCommentary, lang: str) -> None:
    words = WORDS[lang]
    sheet = _Sheet(workbook, formats, words["commentary"], [14, 100])
    sheet.header([words["item"], words["text"]])
    for field in ("wins", "problems", "next_week_plan"):
        sheet.append([_cell(words[field]), _cell(getattr(commentary, field), WRAPPED)])


def period_report_xlsx(*, report: PeriodReport, lang: str = "zh") -> bytes:
    """The workbook: summary (each store and the total: headline metrics with 环比 and 同比, then
    the registered row figures' columns), one sheet per store and one for the total (every
    metric: current, previous, last year, 环比, 同比), the GMV decomposition, and for a week with
    commentary, the ops lead's words."""
    words = WORDS[lang]
    # The fixed titles are taken first, so a store named 汇总 gets "汇总~2", not the summary's title.
    taken = {words[key].casefold() for key in FIXED_SHEETS}
    store_titles = [sheet_title(row.store.name, taken) for row in report.rows]
    buffer = io.BytesIO()
    # XlsxWriter (write-only, 2–3× faster than openpyxl here), assembled in memory: no temporary
    # files. Text goes through write_string only; the two options keep write() from ever making
    # a formula or a link of it should it be used.
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(buffer, options) as workbook:
        formats = _formats(workbook)
        _summary_sheet(workbook, formats, report, lang)
        for row, title in zip(report.rows, store_titles, strict=True):
            _store_sheet(workbook, formats, row, lang, title)
        _store_sheet(workbook, formats, report.total, lang, words["total"])
        _decomposition_sheet(workbook, formats, report, lang)
        commentary = report.commentary
        if report.kind is PeriodKind.WEEK and commentary is not None and not commentary.is_empty:
            _commentary_sheet(workbook, formats, commentary, lang)
        workbook.set_properties({"title": f"{report.selection.organisation.name} {report.period.label}"})
    return buffer.getvalue()
