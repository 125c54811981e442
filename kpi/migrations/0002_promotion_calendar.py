"""Seed the promotion calendar with this year's and next year's nodes from the shipped rules
(stores.calendar), and the holiday table with a first guess for each of those years that
`chinese_calendar` does not know yet. Both are editable afterwards; re-running adds nothing twice."""

import datetime as dt

from django.db import migrations


def seed(apps, schema_editor):
    from kpi.calendar import default_nodes, estimated_holidays, official_calendar_knows

    promotion_node = apps.get_model("kpi", "PromotionNode")
    holiday_day = apps.get_model("kpi", "HolidayDay")
    this_year = dt.date.today().year
    for year in (this_year, this_year + 1):
        for node in default_nodes(year):
            promotion_node.objects.get_or_create(
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
        if not official_calendar_knows(year):
            for date, entry in estimated_holidays(year).items():
                holiday_day.objects.get_or_create(date=date, defaults={"name": entry.name, "day_off": entry.day_off})


class Migration(migrations.Migration):
    dependencies = [("kpi", "0001_sales_targets")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
