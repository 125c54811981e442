"""Filling the trading calendar's tables (docs/targets.md#the-calendar): a year's promotion nodes
from the shipped rules, and a first guess at its holidays when `chinese_calendar` does not know it.
Rows already there are kept: the tables are the team's to edit."""

from collections.abc import Iterable

from kpi.calendar import default_nodes, estimated_holidays, official_calendar_knows
from kpi.models import HolidayDay, PromotionNode


def trading_calendar_seed(*, years: Iterable[int], node_model=PromotionNode, holiday_model=HolidayDay) -> int:
    """Add the missing nodes (and guessed holidays) of `years`; returns the rows added. The models
    are parameters so that the data migration can pass its historical ones."""
    added = 0
    for year in years:
        for node in default_nodes(year):
            _node, created = node_model.objects.get_or_create(
                code=node.code,
                year=year,
                defaults={
                    "name": node.name,
                    "presale_start": node.presale_start,
                    "peak_start": node.peak_start,
                    "peak_end": node.peak_end,
                    "return_end": node.return_end,
                    "presale_uplift": node.presale_uplift,
                    "peak_uplift": node.peak_uplift,
                    "return_uplift": node.return_uplift,
                },
            )
            added += created
        if not official_calendar_knows(year) and not holiday_model.objects.filter(date__year=year).exists():
            holiday_model.objects.bulk_create(
                holiday_model(date=date, name=entry.name, day_off=entry.day_off)
                for date, entry in estimated_holidays(year).items()
            )
            added += len(estimated_holidays(year))
    return added
