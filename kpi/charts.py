"""kpi's charts (the plan page's weeks, a person's score trend), drawn like the reports'
(reports.charts): an empty element carrying its plotly figure as JSON, drawn by static/js/charts.js;
no inline script or style (CSP)."""

from decimal import Decimal

import plotly.graph_objects as go
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from plotly.io.json import to_json_plotly

from kpi.selectors import PlanPeriodRow
from reports.charts import CONFIG, GOOD, INK, LAYOUT, MUTED


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def plan_weeks(rows: list[PlanPeriodRow]) -> SafeString:
    """Each week's target as a bar, last year's matching days and this year's actual as lines."""
    labels = [row.label for row in rows]
    figure = go.Figure()
    figure.add_bar(x=labels, y=[_number(row.target) for row in rows], name=_("Target"), marker_color=INK)
    figure.add_scatter(
        x=labels,
        y=[_number(row.last_year) for row in rows],
        name=_("Last year"),
        mode="lines",
        line={"color": MUTED, "dash": "dash"},
    )
    figure.add_scatter(
        x=labels,
        y=[_number(row.actual) for row in rows],
        name=_("Actual"),
        mode="lines+markers",
        line={"color": GOOD},
    )
    # A year's 52 or 53 week labels stand upright, with room made for them, and the legend goes
    # under them: at the reports' legend height it covered all but their first characters (2026).
    figure.update_xaxes(type="category", tickangle=-90, automargin=True)
    figure.update_layout(
        title={"text": _("Target, last year and actual by week (¥)"), "x": 0, "font": {"size": 14}},
        **{
            **LAYOUT,
            "height": 340,
            "margin": {**LAYOUT["margin"], "b": 28},
            "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
        },
    )
    spec = to_json_plotly({**figure.to_plotly_json(), "config": CONFIG})
    return format_html('<div class="plotly-chart" data-figure="{}"></div>', spec)


TREND_COLOURS = ("#0969da", "#d4380d", "#1a7f37", "#8250df", "#bf8700", "#cf222e")


def score_trend(trends, attribute: str, title: str) -> SafeString:
    """Each role's totals as a line, against 100 points (on target); drawn by static/js/charts.js."""
    figure = go.Figure()
    for position, trend in enumerate(trends):
        points = getattr(trend, attribute)
        figure.add_scatter(
            x=[point.label for point in points],
            y=[_number(point.total) for point in points],
            name=trend.label,
            mode="lines+markers",
            line={"color": TREND_COLOURS[position % len(TREND_COLOURS)]},
        )
    figure.add_hline(y=100, line={"color": MUTED, "dash": "dash"})
    figure.update_xaxes(type="category")
    figure.update_layout(title={"text": title, "x": 0, "font": {"size": 14}}, **LAYOUT)
    spec = to_json_plotly({**figure.to_plotly_json(), "config": CONFIG})
    return format_html('<div class="plotly-chart" data-figure="{}"></div>', spec)
