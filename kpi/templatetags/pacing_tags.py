"""How pacing figures read on a page: ¥ and % with two places, "—" for none (stores.metrics)."""

from django import template
from django.utils.translation import gettext_lazy as _

from kpi.pacing import Landing
from stores import metrics

register = template.Library()

LANDINGS = {
    Landing.STRETCH: _("above stretch (冲刺)"),
    Landing.TARGET: _("on target"),
    Landing.FLOOR: _("between floor (保底) and target"),
    Landing.BELOW_TARGET: _("below target"),
    Landing.BELOW_FLOOR: _("below floor (保底)"),
}


@register.filter
def money(amount) -> str:
    return metrics.display("gmv", amount)


@register.filter
def percent(fraction) -> str:
    return metrics.display("conversion", fraction)


@register.filter
def landing(pacing) -> str:
    return str(LANDINGS[pacing.landing]) if pacing and pacing.landing else metrics.DASH
