from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from reports.selectors import change_shown
from stores import access, metrics

register = template.Library()


@register.simple_tag
def change(row, code: str, side: str = "previous"):
    """`{% change row "gmv" "previous" %}`: ↑ 12.3% (环比) or ↓, coloured by the metric's
    direction; "—" when either side lacks a value."""
    shown = change_shown(code, row.current.get(code), row.side(side).get(code))
    label = _("vs previous") if side == "previous" else _("vs last year")
    return format_html('<span class="change {}" title="{}">{}</span>', shown.tone, label, shown.text)


@register.filter
def metric(code: str) -> metrics.Metric:
    return metrics.BY_CODE[code]


@register.simple_tag
def shown(values: dict, code: str) -> str:
    return metrics.display(code, values.get(code))


@register.filter
def leads_an_organisation(user) -> bool:
    return access.leads_an_organisation(user)
