from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from reports.selectors import relative_change
from stores import access, metrics

register = template.Library()
TENTH = Decimal("0.1")


def change_tone(code: str, change: Decimal) -> str:
    """good / bad by the metric's direction (a refund rate going up is bad), not by the sign."""
    better = metrics.BY_CODE[code].higher_is_better
    if change == 0 or better is None:
        return "flat"
    return "good" if (change > 0) == better else "bad"


@register.simple_tag
def change(row, code: str, side: str = "previous"):
    """`{% change row "gmv" "previous" %}`: ↑ 12.3% (环比) or ↓, coloured by direction; "—" when
    either side lacks a value."""
    ratio = relative_change(row.current.get(code), row.side(side).get(code))
    label = _("vs previous") if side == "previous" else _("vs last year")
    if ratio is None:
        return format_html('<span class="change none" title="{}">—</span>', label)
    percent = (ratio * 100).quantize(TENTH, rounding=ROUND_HALF_UP)
    arrow = "↑" if percent > 0 else "↓" if percent < 0 else "→"
    return format_html(
        '<span class="change {}" title="{}">{} {}%</span>',
        change_tone(code, ratio),
        label,
        arrow,
        abs(percent),
    )


@register.filter
def metric(code: str) -> metrics.Metric:
    return metrics.BY_CODE[code]


@register.simple_tag
def shown(values: dict, code: str) -> str:
    return metrics.display(code, values.get(code))


@register.filter
def leads_an_organisation(user) -> bool:
    return access.leads_an_organisation(user)
