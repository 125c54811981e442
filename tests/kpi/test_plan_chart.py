"""The plan page's weekly chart shows its week labels whole (issue 16: the ops lead's journey saw
"2026" under every bar, the rest of each label covered by the legend) and spans the page's width
(a single chart took a third of it)."""

import datetime as dt
import html
import json
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from kpi.charts import plan_weeks
from kpi.selectors import PlanPeriodRow


def _figure(markup: str) -> dict:
    return json.loads(html.unescape(re.search(r'data-figure="([^"]*)"', markup).group(1)))


def test_the_week_labels_stand_upright_with_the_legend_below_them():
    rows = [
        PlanPeriodRow(
            f"2026-W{week:02d}", dt.date(2026, 1, 1), dt.date(2026, 1, 7), Decimal(1000), None, None, False
        )
        for week in range(1, 54)
    ]
    layout = _figure(plan_weeks(rows))["layout"]

    assert layout["xaxis"]["tickangle"] == -90 and layout["xaxis"]["automargin"] is True
    assert layout["legend"]["yref"] == "container" and layout["legend"]["yanchor"] == "bottom"


def test_a_page_with_one_chart_gives_it_the_whole_width():
    css = (Path(settings.BASE_DIR) / "static/css/opsdesk.css").read_text()
    assert ".charts { display: grid; grid-template-columns: repeat(auto-fit," in css
