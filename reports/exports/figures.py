"""Other apps' row figures (reports.row_figures) in the report files: their columns after the
report's own on each store's and the total's row (.csv, the workbook's summary), each provider's
`as_json` under its code in every JSON row. A report without registered providers has none."""

from reports.row_figures import SHOWN_AS, FigureCell
from reports.selectors import PeriodReport, ReportRow
from stores import metrics
from stores.metrics import Kind


def headers(report: PeriodReport, lang: str) -> list[str]:
    """The registered columns' headers: Chinese, or their codes with lang="en"."""
    return [column.label_zh if lang == "zh" else column.code for column in report.figure_columns]


def json_of(report: PeriodReport, row: ReportRow) -> dict:
    """{provider code: as_json(the row's figures), or None (null) when it gave the row none}."""
    shown = {}
    for provider in report.figure_providers:
        figures = report.figures_of(provider.code, row.store)
        shown[provider.code] = None if figures is None else provider.as_json(figures)
    return shown


def metric_like(cell: FigureCell) -> str:
    """The metric whose format the cell takes in a file: a money or a percent one."""
    return SHOWN_AS[cell.column.shown_as]


def kind(cell: FigureCell) -> Kind:
    return metrics.BY_CODE[metric_like(cell)].kind
