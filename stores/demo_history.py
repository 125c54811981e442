"""A few days of team life on top of the demo numbers, so the import and audit pages have
something to show: refunds re-imported (they keep arriving for days), and the same file uploaded
again, a file checked but not yet imported, a refused file, and a correction typed by hand. All
through the real services."""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.contrib.auth import get_user_model

from stores.imports.services import import_batch_create, import_batch_run
from stores.models import DailyMetric, Store
from stores.services import daily_metric_enter

REFUND_CATCH_UP = Decimal("1.04")  # refunds completed after the first export: about 4 % more
CENT = Decimal("0.01")


def _csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode("utf-8-sig")


def demo_history_seed(*, stores: list[Store], end_date: dt.date) -> None:
    """Imports and corrections of the last week."""
    operator = get_user_model().objects.get(username="operator")
    flagship, specialty = stores[0], stores[1 % len(stores)]
    week = [end_date - dt.timedelta(days=offset) for offset in range(7, 0, -1)]

    # Refunds keep arriving for days: the operator re-imports the last week's refunds.
    refunds = dict(
        DailyMetric.objects.filter(store=flagship, date__in=week).values_list("date", "refund_amount")
    )
    refund_rows = [[day.isoformat(), (refunds[day] * REFUND_CATCH_UP).quantize(CENT)] for day in week]
    for _upload in ("imported", "uploaded again: did it go through?"):  # the second changes nothing
        late_refunds = import_batch_create(
            content=_csv(["统计日期", "成功退款金额"], refund_rows),
            file_name="退款补录_近7天.csv",
            user=operator,
            store=flagship,
        )
        import_batch_run(batch=late_refunds, dry_run=False)

    # Yesterday's export of the second store, checked but not imported yet.
    yesterday = DailyMetric.objects.get(store=specialty, date=end_date)
    checked = import_batch_create(
        content=_csv(
            ["统计日期", "访客数", "支付买家数", "支付金额"],
            [[end_date.isoformat(), yesterday.uv, yesterday.paid_buyers, yesterday.gmv]],
        ),
        file_name=f"店铺整体_{end_date:%Y%m%d}.csv",
        user=operator,
        store=specialty,
    )
    import_batch_run(batch=checked, dry_run=True)

    # A file typed by hand, with two mistakes: refused, nothing saved.
    refused = import_batch_create(
        content=_csv(
            ["统计日期", "访客数", "支付金额"],
            [[week[-1].isoformat(), "1,2OO", "3520.00"], [end_date.isoformat(), "-5", "3520.00"]],
        ),
        file_name="手工整理.csv",
        user=operator,
        store=specialty,
    )
    import_batch_run(batch=refused, dry_run=False)

    # A late bad review found in the evening, corrected by hand.
    reviews = DailyMetric.objects.get(store=flagship, date=end_date).bad_reviews or 0
    daily_metric_enter(
        store_id=flagship.pk, date=end_date, values={"bad_reviews": reviews + 1}, user=operator
    )
