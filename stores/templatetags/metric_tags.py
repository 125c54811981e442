from django import template

from stores import metrics

register = template.Library()


@register.filter
def show(values: dict, metric: metrics.Metric) -> str:
    """`{{ values|show:metric }}`: one metric of a row of values, as the user reads it."""
    return metrics.display(metric.code, values.get(metric.code))
