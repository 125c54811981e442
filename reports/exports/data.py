"""The report as JSON and as .csv, for other tools (docs/metrics.md#exports)."""

import csv
import io
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from reports.exports import figures
from reports.exports.words import REPORT_CODES, SIDES, WORDS, rows_with_total
from reports.selectors import PeriodReport
from stores import metrics
from stores.exports import formula_neutralised
from stores.metrics import Kind

# --- JSON ------------------------------------------------------------------------------------

MILLIONTH = Decimal("0.000001")
SCORE_PLACES = Decimal("0.0001")


def json_value(code: str, value: object) -> str | int | float | None:
    """One value as the JSON export states it: money a string with 2 decimals ("1234.50", exact),
    a count an integer, a percent or ratio a fraction (0.0325 for 3.25 %) rounded to 6
    decimals, a DSR score a number with 4; missing is None (null)."""
    if value is None:
        return None
    kind = metrics.BY_CODE[code].kind
    number = Decimal(str(value))
    if kind is Kind.COUNT:
        return int(number)
    if kind is Kind.MONEY:
        return str(metrics.round_2dp(number))
    places = SCORE_PLACES if kind is Kind.SCORE else MILLIONTH
    return float(number.quantize(places, rounding=ROUND_HALF_UP))


def _json_side(values: dict) -> dict:
    return {code: json_value(code, values.get(code)) for code in REPORT_CODES}


def period_report_dict(*, report: PeriodReport) -> dict:
    """{"kind", "period": {"start", "end", "label"}, "rows": [...]}: one row per store (its slug),
    then the total (store null), each with every code's current, previous and last-year value, and
    each registered row figures provider's own under its code (reports.row_figures)."""
    return {
        "kind": report.kind.value,
        "period": {
            "start": report.period.start.isoformat(),
            "end": report.period.end.isoformat(),
            "label": report.period.label,
        },
        # The days each side covers: a period in progress is compared like for like.
        "comparison": {
            "partial": report.comparison.partial,
            **{side: _json_window(getattr(report.comparison, side)) for side in SIDES},
        },
        "rows": [
            {
                "store": row.store.slug if row.store else None,
                **{side: _json_side(row.side(side)) for side in SIDES},
                **figures.json_of(report, row),
            }
            for row in rows_with_total(report)
        ],
    }


def _json_window(window) -> dict | None:
    return None if window is None else {"start": window.start.isoformat(), "end": window.end.isoformat()}


# --- CSV -------------------------------------------------------------------------------------


def csv_headers(lang: str) -> list[str]:
    words = WORDS[lang]
    headers = [words["store"], words["store_slug"]]
    for code in REPORT_CODES:
        name = metrics.BY_CODE[code].label_zh if lang == "zh" else code
        joiner = "·" if lang == "zh" else "."
        headers += [f"{name}{joiner}{words[side] if lang == 'zh' else side}" for side in SIDES]
    return headers


def csv_rows(report: PeriodReport, lang: str) -> Iterable[list]:
    """A store per row, then the total: name, slug, then each code's current, previous, last year,
    then the registered row figures' columns."""
    for row in rows_with_total(report):
        name = row.store.name if row.store else WORDS[lang]["total"]
        slug = row.store.slug if row.store else ""
        values = [csv_value(code, row.side(side).get(code)) for code in REPORT_CODES for side in SIDES]
        values += [csv_value(figures.metric_like(cell), cell.value) for cell in row.figure_cells]
        yield [formula_neutralised(name), formula_neutralised(slug), *values]


def csv_value(code: str, value: object) -> str:
    """As in JSON, but a fraction is always written out plainly (0.000001, never 1e-06)."""
    shown = json_value(code, value)
    if shown is None:
        return ""
    if isinstance(shown, float):
        return format(Decimal(str(shown)).normalize(), "f")
    return str(shown)


def period_report_csv(*, report: PeriodReport, lang: str = "zh") -> bytes:
    # UTF-8 with BOM, so Excel opens it with the Chinese headers intact (as the raw export does).
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_headers(lang) + figures.headers(report, lang))
    for row in csv_rows(report, lang):
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
