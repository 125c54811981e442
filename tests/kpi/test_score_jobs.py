"""When scores are computed: after an organisation's rollups are written (here: a correction typed in
the entry page, its rollups run in this process as in the demo), and last month closes by itself
on its closing day unless the ops lead reopened it."""

import datetime as dt
from decimal import Decimal

from kpi import jobs
from kpi.models import KpiScore, MonthClose
from kpi.services.kpi_templates import kpi_templates_seed
from kpi.services.scores import month_close, month_reopen, period_of
from stores import periods
from stores.services import daily_metric_enter


def test_a_correction_of_yesterdays_numbers_scores_the_week_and_month_again(
    personas, jobs_in_process, django_capture_on_commit_callbacks
):
    kpi_templates_seed(organisation=personas.acme)
    yesterday = periods.yesterday()
    with django_capture_on_commit_callbacks(execute=True):
        daily_metric_enter(
            store_id=personas.store_a.pk,
            date=yesterday,
            values={"uv": 1000, "paid_buyers": 30, "gmv": Decimal("4500.00")},
            user=personas.lead,
        )
    week, month = period_of("week", yesterday), period_of("month", yesterday)
    scored = set(KpiScore.objects.values_list("user__username", "role", "kind", "period_start"))
    assert ("promotion", "promotion", "week", week.start) in scored
    assert ("lead", "lead", "month", month.start) in scored
    promotion = KpiScore.objects.get(user=personas.promotion, kind="week", period_start=week.start)
    traffic = next(item for item in promotion.items if item["code"] == "traffic")
    assert traffic["actual"] == "1000.0000"  # store A's visitors of the week so far


def test_last_month_closes_on_its_day_unless_the_lead_reopened_it(personas, monkeypatch, settings):
    settings.KPI_MONTH_CLOSE_DAY = 5
    monkeypatch.setattr(jobs.periods, "today", lambda: dt.date(2026, 12, 4))
    assert jobs.months_close_due() == 0  # the 4th: not yet
    monkeypatch.setattr(jobs.periods, "today", lambda: dt.date(2026, 12, 5))
    assert jobs.months_close_due() == 2  # acme and the other organisation
    assert MonthClose.objects.filter(month_start=dt.date(2026, 11, 1), closed=True).count() == 2
    november = period_of("month", dt.date(2026, 11, 1))
    month_reopen(organisation=personas.acme, month=november, reason="补录退款", user=personas.lead)
    assert jobs.months_close_due() == 0, "a reopened month waits for the ops lead"
    month_close(organisation=personas.acme, month=november, user=personas.lead, today=dt.date(2026, 12, 6))
    assert MonthClose.objects.get(organisation=personas.acme).closed
