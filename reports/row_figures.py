"""Row figures: columns of another app on each row of a period report (each store and the total).

A higher app (kpi: a store's target and its attainment) registers a RowFigures in its
AppConfig.ready(); reports never imports it. `reports.selectors.period_report_get` computes every
registered provider once per report (PeriodReport.figures), so the page's per-store table, the
.csv / .xlsx / JSON files, the weekly email's attachment and `manage.py report` all show the same.
Without a registration every page and file is exactly as without this module.

A provider's figures are its own object per row; its columns read Decimals from it, shown as money
or as a percent (a fraction, 0.1234 shown 12.34%); a row without figures (missing key or None)
shows "—" on the page, an empty cell in .csv / .xlsx and null in JSON.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise

from stores import metrics

# A report below is a reports.selectors.PeriodReport, which is built with this module's figures:
# annotated as `object` so that this module needs nothing of selectors.

# How a column's value is shown: as a metric of this kind (stores.metrics.display) is.
SHOWN_AS = {"money": "gmv", "percent": "conversion"}


@dataclass(frozen=True)
class RowColumn:
    code: str  # the column's key in .csv / .xlsx with lang="en" (e.g. "target", "attainment")
    label: Promise | str  # translatable (gettext_lazy): the page's header
    label_zh: str  # the Chinese header of .csv / .xlsx with lang="zh" (e.g. "目标", "达成率")
    value: Callable[[object], Decimal | None]  # from the provider's figures of one row
    shown_as: str  # "money" or "percent" (a fraction)

    def __post_init__(self) -> None:
        if self.shown_as not in SHOWN_AS:
            raise ValueError(f"RowColumn {self.code!r}: shown_as must be one of {sorted(SHOWN_AS)}")


@dataclass(frozen=True)
class RowFigures:
    code: str  # the key under which each JSON row carries as_json(figures), e.g. "pacing"
    # The report → each row's figures: store pk, or None for the total row. A missing key or None
    # is "no figures". Must run a fixed number of queries whatever the number of stores.
    compute: Callable[[object], Mapping[int | None, object]]
    columns: Sequence[RowColumn]
    as_json: Callable[[object], dict]  # the row's figures in the JSON export (never called with None)


@dataclass(frozen=True)
class FigureCell:
    """One registered column's value on one row, as the page and the files show it."""

    column: RowColumn
    value: Decimal | None

    @property
    def shown(self) -> str:
        """As the page's other money and percent cells: ¥1,234.50, 12.34%, "—" without a value."""
        return metrics.display(SHOWN_AS[self.column.shown_as], self.value)


_registry: dict[str, RowFigures] = {}
# A JSON row's own keys (reports.exports.period_report_dict): no provider may take them.
ROW_KEYS = frozenset(("store", "current", "previous", "last_year"))


def row_figures_register(figures: RowFigures) -> None:
    """Add (or, with the same code, replace) a provider; columns come in registration order.
    Called from an app's AppConfig.ready(); registering twice is harmless."""
    if figures.code in ROW_KEYS:
        raise ValueError(f"{figures.code!r} is a key of every JSON row already: choose another code")
    _registry[figures.code] = figures


def row_figures_unregister(code: str) -> None:
    """Remove a provider (for tests); an unknown code is ignored."""
    _registry.pop(code, None)


def row_figures_all() -> list[RowFigures]:
    return list(_registry.values())


def figures_computed(report: object, providers: Sequence[RowFigures]) -> dict[str, Mapping]:
    """Each provider's figures of the report's rows: code → {store pk or None: figures}."""
    return {provider.code: provider.compute(report) or {} for provider in providers}


def figure_cells(report: object, store: object | None) -> list[FigureCell]:
    """Every registered column of one row of the report (the total's with store None), in order."""
    cells = []
    for provider in report.figure_providers:
        figures = report.figures_of(provider.code, store)
        for column in provider.columns:
            value = None if figures is None else column.value(figures)
            if value is not None and not isinstance(value, Decimal):
                value = Decimal(str(value))
            cells.append(FigureCell(column, value))
    return cells
