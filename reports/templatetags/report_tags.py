from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from reports.selectors import change_shown
from stores import metrics

register = template.Library()


@register.simple_tag
def change(row, code: str, side: str = "previous"):
    """`{% change row "gmv" "previous" %}`: ↑ 12.3% (环比) or ↓, coloured by the metric's
    direction; "—" when either side lacks a value."""
    return change_shown(code, row.current.get(code), row.side(side).get(code)).html()


@register.filter
def metric(code: str) -> metrics.Metric:
    return metrics.BY_CODE[code]


@register.simple_tag
def shown(values: dict, code: str) -> str:
    return metrics.display(code, values.get(code))


@register.simple_tag
def weekday_average(card, code: str) -> str:
    """The 4-week same-weekday average of a dashboard card's metric, as shown."""
    return metrics.display(code, card.same_weekday_average(code))


@register.filter
def alert_text(alert) -> str:
    return alert.text


@register.simple_tag
def sparkline(values, width: int = 140, height: int = 32):
    """A tiny inline SVG line of the values (None: a gap in the data, skipped)."""
    points = [(index, float(value)) for index, value in enumerate(values) if value is not None]
    if len(points) < 2:
        return ""
    low, high = min(value for _index, value in points), max(value for _index, value in points)
    span, step = (high - low) or 1.0, width / max(len(values) - 1, 1)
    coordinates = " ".join(
        f"{index * step:.1f},{height - 2 - (value - low) / span * (height - 4):.1f}"
        for index, value in points
    )
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}">'
        '<polyline points="{}" /></svg>',
        width,
        height,
        width,
        height,
        _("GMV, last 14 days"),
        coordinates,
    )
