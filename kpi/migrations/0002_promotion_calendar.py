"""Seed the promotion calendar with this year's and next year's nodes from the shipped rules
(stores.calendar), and the holiday table with a first guess for each of those years that
`chinese_calendar` does not know yet. Both are editable afterwards; re-running adds nothing twice."""

import datetime as dt

from django.db import migrations


def seed(apps, schema_editor):
    from kpi.services.calendar import trading_calendar_seed

    this_year = dt.date.today().year
    trading_calendar_seed(
        years=(this_year, this_year + 1),
        node_model=apps.get_model("kpi", "PromotionNode"),
        holiday_model=apps.get_model("kpi", "HolidayDay"),
    )


class Migration(migrations.Migration):
    dependencies = [("kpi", "0001_sales_targets")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
