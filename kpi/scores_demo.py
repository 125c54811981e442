"""Demo data of the KPI scorecards: the default templates with targets the demo stores can reach, a
person's own target, the ops lead's manual scores with comments, and every demo person's scores of
the last 12 weeks and 6 months, one month closed and then corrected late, so /kpi/ is full."""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Sum

from kpi.models import KpiItem, KpiPersonValue, ManualScore
from kpi.scorecard_inputs import holders_get
from kpi.services.kpi_templates import MANUAL, kpi_templates_seed
from kpi.services.scores import month_close, period_of, scores_compute
from stores import periods
from stores.models import DailyMetric, Organisation
from stores.services import daily_metric_enter

WEEKS, MONTHS = 12, 6
COMMENTS = ("按时完成", "质量稳定", "有两次延误", "超出预期", "需要加快节奏")


def kpi_scores_demo_seed(*, organisation: Organisation, today: dt.date, lead_username: str = "lead") -> None:
    lead = get_user_model().objects.filter(username=lead_username).first()
    kpi_templates_seed(organisation=organisation)
    _targets_from_history(organisation, today)
    weeks = _periods("week", today, WEEKS)
    months = _periods("month", today, MONTHS)
    _manual_scores(organisation, weeks + months, lead)
    for kind, period in weeks + months:
        scores_compute(organisation=organisation, kind=kind, period=period, today=today)
    _closed_and_corrected(organisation, today, lead)


def _periods(kind: str, today: dt.date, count: int) -> list[tuple[str, periods.Period]]:
    found = [period_of(kind, today - dt.timedelta(days=1))]
    while len(found) < count:
        found.insert(0, periods.previous_period(found[0]))
    return [(kind, period) for period in found]


def _targets_from_history(organisation: Organisation, today: dt.date) -> None:
    """The count and money targets the ops lead would set from the last 4 weeks: for each item, the
    daily level of the stores its role holders hold, × 7 for a week and × 30 for a month, a little
    above (traffic) or below (spend, bad reviews) it; the content writer gets her own traffic target."""
    since = today - dt.timedelta(days=28)
    holders = holders_get(organisation=organisation)
    for role, source, factor in (
        ("promotion", "uv", Decimal("1.05")),
        ("promotion", "ad_spend", Decimal("0.95")),
        ("customer_service", "bad_reviews", Decimal("0.9")),
        ("content", "uv", Decimal("1.05")),
    ):
        stores = {store.pk for holder in holders if holder.role == role for store in holder.stores}
        daily = _daily_level(stores, source, since) * factor
        KpiItem.objects.filter(
            template__organisation=organisation, template__role=role, source=source
        ).update(week_target=(daily * 7).quantize(Decimal(1)), month_target=(daily * 30).quantize(Decimal(1)))
    content = get_user_model().objects.filter(username="content").first()
    item = KpiItem.objects.filter(
        template__organisation=organisation, template__role="content", source="uv"
    ).first()
    if content and item and item.week_target:
        KpiPersonValue.objects.update_or_create(
            item=item,
            user=content,
            defaults={
                "week_target": item.week_target * Decimal("0.9"),
                "month_target": item.month_target * Decimal("0.9"),
            },
        )


def _daily_level(store_ids: set[int], source: str, since: dt.date) -> Decimal:
    """The stores' sum of `source` per day, on average over the days since `since`."""
    rows = DailyMetric.objects.filter(store_id__in=store_ids, date__gte=since)
    total = rows.aggregate(total=Sum(source))["total"] or 0
    days = rows.values("date").distinct().count() or 1
    return Decimal(total) / days


def _manual_scores(organisation: Organisation, scored: list, lead) -> None:
    rng = random.Random("opsdesk-demo-kpi")
    holders = holders_get(organisation=organisation)
    manual = {
        (item.template.role, item.code)
        for item in KpiItem.objects.filter(template__organisation=organisation, source=MANUAL).select_related(
            "template"
        )
    }
    rows = []
    for kind, period in scored[:-1] if scored else []:
        for holder in holders:
            for role, code in manual:
                if role != holder.role:
                    continue
                rows.append(
                    ManualScore(
                        organisation=organisation,
                        user_id=holder.user_id,
                        role=role,
                        item_code=code,
                        kind=kind,
                        period_start=period.start,
                        attainment=Decimal(rng.randint(80, 115)) / 100,
                        comment=rng.choice(COMMENTS),
                        entered_by=lead,
                    )
                )
    ManualScore.objects.filter(organisation=organisation).delete()
    ManualScore.objects.bulk_create(rows)


def _closed_and_corrected(organisation: Organisation, today: dt.date, lead) -> None:
    """The month before last is closed by the ops lead; then a late order is recorded on one of its
    days (GMV up by a tenth), so its scores show "the numbers changed after closing"."""
    last_month = period_of("month", today.replace(day=1) - dt.timedelta(days=1))
    closed = periods.previous_period(last_month)
    month_close(organisation=organisation, month=closed, user=lead, today=today)
    store = organisation.stores.order_by("pk").first()
    day = closed.start + dt.timedelta(days=9)
    row = DailyMetric.objects.filter(store=store, date=day).first()
    if row is None or row.gmv is None:
        return
    daily_metric_enter(
        store_id=store.pk,
        date=day,
        values={"gmv": (row.gmv * Decimal("1.1")).quantize(Decimal("0.01"))},
        user=lead,
    )
    scores_compute(organisation=organisation, kind="month", period=closed, today=today)
