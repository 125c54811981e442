"""The report's charts, built with plotly and embedded as HTML fragments that hold no script.

Each fragment is an empty element carrying its figure as JSON in a data attribute;
static/js/charts.js draws every such element with plotly.js, which comes from our static
files (opsdesk.staticfinders), never a CDN. No inline script and no style attribute: the
Content-Security-Policy (opsdesk/settings.py) allows scripts and styles from our own files only.
"""

from decimal import Decimal

import plotly.graph_objects as go
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from plotly.io.json import to_json_plotly

from reports.decomposition import GmvDecomposition
from stores.periods import Period, PeriodKind

GOOD, BAD, MUTED, INK = "#1a7f37", "#cf222e", "#8c959f", "#0969da"
CONFIG = {"displayModeBar": False, "responsive": True}
LAYOUT = {
    "margin": {"l": 48, "r": 48, "t": 36, "b": 36},
    "height": 280,
    "legend": {"orientation": "h", "y": -0.2},
    "font": {"family": "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif", "size": 12},
    "plot_bgcolor": "#fff",
    "paper_bgcolor": "#fff",
}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _percent(value: Decimal | None) -> float | None:
    return None if value is None else float(value * 100)


def _html(figure: go.Figure, title: str) -> SafeString:
    figure.update_layout(title={"text": title, "x": 0, "font": {"size": 14}}, **LAYOUT)
    spec = to_json_plotly({**figure.to_plotly_json(), "config": CONFIG})
    return format_html('<div class="plotly-chart" data-figure="{}"></div>', spec)


def waterfall(decomposition: GmvDecomposition, *, before_label: str, now_label: str) -> SafeString:
    """Comparison GMV → traffic, conversion, AOV → this period's GMV."""
    parts = decomposition.contributions
    figure = go.Figure(
        go.Waterfall(
            x=[before_label, *(part.label for part in parts), now_label],
            measure=["absolute", *(["relative"] * len(parts)), "total"],
            y=[_number(decomposition.gmv_before), *(_number(part.amount) for part in parts), None],
            text=["", *(f"{'+' if part.percent > 0 else ''}{part.percent}%" for part in parts), ""],
            textposition="outside",
            increasing={"marker": {"color": GOOD}},
            decreasing={"marker": {"color": BAD}},
            totals={"marker": {"color": INK}},
            connector={"line": {"color": MUTED}},
        )
    )
    # Start the axis near the smaller GMV: from zero, a 5 % change would be a sliver.
    running, levels = decomposition.gmv_before, [decomposition.gmv_before]
    for part in parts:
        running += part.amount
        levels.append(running)
    low, high = float(min(levels)), float(max(levels))
    margin = max((high - low) * 0.6, high * 0.02)
    figure.update_yaxes(range=[max(low - margin, 0), high + margin * 0.5])
    return _html(figure, _("Why GMV moved (¥)"))


def days_compared(days: list[dict], previous_days: list[dict], *, metric: str, title: str) -> SafeString:
    """One metric per day of the period, with the comparison period's days beside it."""
    convert = _percent if metric == "conversion" else _number
    labels = [entry["period"].start.strftime("%m-%d") for entry in days]
    # A complete period is compared with the whole comparison period, which may be longer (all
    # 31 days of October beside November's 30): its extra days get their own dates as labels.
    labels += [entry["period"].start.strftime("%m-%d") for entry in previous_days[len(days) :]]
    figure = go.Figure()
    figure.add_bar(
        x=labels[: len(days)],
        y=[convert(entry[metric]) for entry in days],
        name=_("This period"),
        marker_color=INK,
    )
    figure.add_scatter(
        x=labels[: len(previous_days)],
        y=[convert(entry[metric]) for entry in previous_days],
        customdata=[entry["period"].label for entry in previous_days],
        hovertemplate="%{customdata}: %{y}<extra></extra>",
        name=_("Comparison period"),
        mode="lines+markers",
        line={"color": MUTED, "dash": "dash"},
    )
    figure.update_xaxes(type="category")
    if metric == "conversion":
        figure.update_yaxes(ticksuffix="%", tickformat=".1f")
    return _html(figure, title)


def gmv_and_conversion(series: list[dict], *, title: str) -> SafeString:
    """GMV bars and conversion as a line on its own axis, one point per period."""
    labels = [_short_label(entry["period"]) for entry in series]
    figure = go.Figure()
    figure.add_bar(x=labels, y=[_number(entry["gmv"]) for entry in series], name=_("GMV"), marker_color=INK)
    figure.add_scatter(
        x=labels,
        y=[_percent(entry["conversion"]) for entry in series],
        name=_("Conversion"),
        yaxis="y2",
        mode="lines+markers",
        line={"color": GOOD},
    )
    figure.update_layout(
        yaxis2={"overlaying": "y", "side": "right", "ticksuffix": "%", "tickformat": ".1f", "showgrid": False}
    )
    figure.update_xaxes(type="category")
    return _html(figure, title)


def _short_label(period: Period) -> str:
    """W47, 2026-11 or 11-21: what fits under a bar."""
    if period.kind is PeriodKind.WEEK:
        return period.label.split("-")[1]
    if period.kind is PeriodKind.DAY:
        return period.start.strftime("%m-%d")
    return period.label
