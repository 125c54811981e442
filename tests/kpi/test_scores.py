"""Scorecards computed from the numbers: a person in two stores is scored on the stores' sums, a
missing target shares its weight out, the job gives one result however often it runs, a changed
template applies from the next period, and a closed month does not move."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from kpi.models import KpiPersonValue, KpiScore, ManualScore, MonthClose
from kpi.models.scorecards import Direction
from kpi.scorecard_lines import ItemLine
from kpi.services.kpi_templates import (
    MANUAL,
    ItemSpec,
    TemplateRefused,
    kpi_template_save,
    kpi_templates_seed,
)
from kpi.services.scores import ScoresRefused, month_close, month_reopen, period_of, scores_compute
from reports import services as report_services
from stores.models import DailyMetric, Store, StoreAssignment
from tasks.models import DailyChecklist, DailyReport
from tests.factories import DailyMetricFactory

D = Decimal
WEEK = period_of("week", dt.date(2026, 11, 16))  # 2026-W47, Monday 16 to Sunday 22 November
MONTH = period_of("month", dt.date(2026, 11, 1))
TODAY = dt.date(2026, 12, 3)
ITEMS = (
    ItemSpec(
        "inquiry", "询单转化率", "inquiry_conversion", D(50), week_target=D("0.45"), month_target=D("0.45")
    ),
    ItemSpec(
        "refunds",
        "退款率",
        "refund_rate",
        D(30),
        direction=Direction.LOWER,
        week_target=D("0.10"),
        month_target=D("0.10"),
    ),
    ItemSpec("response", "响应时间", MANUAL, D(20)),
)


@pytest.fixture
def service(personas):
    """Customer service in stores A and B: A converted 40 of 100 inquiries, B 150 of 300; A refunded
    ¥500 of ¥10,000, B ¥3,900 of ¥30,000; the ops lead scored the response time 90 %."""
    StoreAssignment.objects.create(
        user=personas.customer_service, store=personas.store_b, role="customer_service"
    )
    day = dt.date(2026, 11, 18)
    DailyMetricFactory(
        store=personas.store_a,
        date=day,
        cs_inquiries=100,
        cs_inquiry_buyers=40,
        gmv=D("10000"),
        refund_amount=D("500"),
    )
    DailyMetricFactory(
        store=personas.store_b,
        date=day,
        cs_inquiries=300,
        cs_inquiry_buyers=150,
        gmv=D("30000"),
        refund_amount=D("3900"),
    )
    report_services.rollups_rebuild(stores=Store.objects.all())
    kpi_template_save(organisation=personas.acme, role="customer_service", items=ITEMS)
    ManualScore.objects.create(
        organisation=personas.acme,
        user=personas.customer_service,
        role="customer_service",
        item_code="response",
        kind="week",
        period_start=WEEK.start,
        attainment=D("0.9"),
        comment="平均响应 45 秒",
    )
    return personas


def _score(personas, *, kind="week", period=WEEK):
    return KpiScore.objects.get(
        user=personas.customer_service, role="customer_service", kind=kind, period_start=period.start
    )


def test_a_person_in_two_stores_is_scored_on_the_stores_sums(service):
    scores_compute(organisation=service.acme, kind="week", period=WEEK, today=TODAY)
    score = _score(service)
    inquiry, refunds, response = score.items
    # (40 + 150) / (100 + 300) = 47.5 %, not the 45 % mean of 40 % and 50 %: 47.5 / 45 = 105.56 %.
    assert (inquiry["actual"], inquiry["target"], inquiry["attainment"]) == ("0.4750", "0.4500", "1.0556")
    # Refunds (500 + 3,900) / (10,000 + 30,000) = 11 %, lower is better: 10 / 11 = 90.91 %.
    assert (refunds["actual"], refunds["attainment"]) == ("0.1100", "0.9091")
    assert (response["attainment"], response["note"]) == ("0.9000", "平均响应 45 秒")
    # 50 × 105.56 % + 30 × 90.91 % + 20 × 90 % = 52.78 + 27.27 + 18.00 = 98.05 points.
    assert [row["points"] for row in score.items] == ["52.78", "27.27", "18.00"]
    assert score.total == D("98.05")
    assert score.stores == ["store-a", "store-b"] and not score.provisional


def test_an_item_without_a_target_shares_its_weight_out_and_says_so(service):
    ManualScore.objects.all().delete()
    scores_compute(organisation=service.acme, kind="week", period=WEEK, today=TODAY)
    score = _score(service)
    response = score.items[2]
    assert (response["attainment"], response["points"]) == (None, None)
    # 50 and 30 become 62.5 and 37.5: 62.5 × 105.56 % + 37.5 × 90.91 % = 65.97 + 34.09 = 100.07.
    assert [row["effective_weight"] for row in score.items] == ["62.5000", "37.5000", None]
    assert score.total == D("100.07")


def test_running_the_job_twice_gives_one_result(service):
    scores_compute(organisation=service.acme, kind="week", period=WEEK, today=TODAY)
    first = list(KpiScore.objects.values_list("user_id", "role", "items", "total"))
    scores_compute(organisation=service.acme, kind="week", period=WEEK, today=TODAY)
    assert list(KpiScore.objects.values_list("user_id", "role", "items", "total")) == first
    assert KpiScore.objects.filter(user=service.customer_service).count() == 1


def test_a_changed_template_applies_from_the_next_period(service):
    scores_compute(organisation=service.acme, kind="week", period=WEEK, today=TODAY)
    kpi_template_save(
        organisation=service.acme,
        role="customer_service",
        items=(ItemSpec("inquiry", "询单转化率", "inquiry_conversion", D(100), week_target=D("0.40")),),
    )
    scores_compute(organisation=service.acme, kind="week", period=WEEK, today=TODAY)
    assert _score(service).total == D("98.05")  # W47 keeps the definition it was computed with
    next_week = period_of("week", dt.date(2026, 11, 23))
    scores_compute(organisation=service.acme, kind="week", period=next_week, today=TODAY)
    assert [item["code"] for item in _score(service, period=next_week).definition] == ["inquiry"]


def test_a_persons_own_target_is_used_and_shown_as_theirs(service):
    item = service.acme.kpi_templates.get(role="customer_service").items.get(code="inquiry")
    KpiPersonValue.objects.create(item=item, user=service.customer_service, week_target=D("0.50"))
    scores_compute(organisation=service.acme, kind="week", period=WEEK, today=TODAY)
    inquiry = _score(service).items[0]
    assert (inquiry["target"], inquiry["attainment"], inquiry["personal"]) == ("0.5000", "0.9500", True)


def test_a_week_in_progress_is_provisional(service):
    scores_compute(organisation=service.acme, kind="week", period=WEEK, today=dt.date(2026, 11, 19))
    assert _score(service).provisional


def test_weights_that_do_not_sum_to_100_are_refused(personas):
    with pytest.raises(TemplateRefused, match="100"):
        kpi_template_save(
            organisation=personas.acme,
            role="designer",
            items=(ItemSpec("conversion", "转化率", "conversion", D(90)),),
        )


def test_the_default_templates_sum_to_100_and_cover_every_role(personas):
    assert kpi_templates_seed(organisation=personas.acme) == 6
    assert kpi_templates_seed(organisation=personas.acme) == 0


def test_a_closed_month_does_not_move_and_a_later_correction_is_shown(service):
    scores_compute(organisation=service.acme, kind="month", period=MONTH, today=TODAY)
    month_close(organisation=service.acme, month=MONTH, user=service.lead, today=TODAY)
    closed = _score(service, kind="month", period=MONTH)
    assert closed.closed and not closed.provisional
    before = closed.total
    # A late correction of store B's refunds: ¥3,900 → ¥1,900.
    DailyMetric.objects.filter(store=service.store_b, date=dt.date(2026, 11, 18)).update(
        refund_amount=D("1900")
    )
    report_services.rollups_rebuild(stores=Store.objects.all())
    scores_compute(organisation=service.acme, kind="month", period=MONTH, today=TODAY)
    score = _score(service, kind="month", period=MONTH)
    assert score.total == before, "a closed score does not move"
    assert score.latest_total is not None and score.latest_total > before  # shown with the difference
    with pytest.raises(ScoresRefused):
        month_reopen(organisation=service.acme, month=MONTH, reason=" ", user=service.lead)
    month_reopen(organisation=service.acme, month=MONTH, reason="退款更正后重新计算", user=service.lead)
    reopened = _score(service, kind="month", period=MONTH)
    assert (reopened.total, reopened.closed, reopened.latest_total) == (score.latest_total, False, None)
    events = MonthClose.objects.get(organisation=service.acme).events
    assert [(event["action"], event["by"], event["reason"]) for event in events] == [
        ("close", "lead", ""),
        ("reopen", "lead", "退款更正后重新计算"),
    ]


def test_a_month_in_progress_cannot_be_closed(service):
    with pytest.raises(ScoresRefused):
        month_close(organisation=service.acme, month=period_of("month", TODAY), today=TODAY)


def test_only_the_ops_lead_closes_or_reopens_a_month(service):
    for persona in ("boss", "operator", "stranger"):
        with pytest.raises(PermissionDenied):
            month_close(organisation=service.acme, month=MONTH, user=service.user(persona), today=TODAY)
    assert not MonthClose.objects.exists()
    month_close(organisation=service.acme, month=MONTH, user=service.lead, today=TODAY)
    with pytest.raises(PermissionDenied):
        month_reopen(organisation=service.acme, month=MONTH, reason="x", user=service.boss)
    assert MonthClose.objects.get().closed


def test_a_week_in_progress_compares_a_sum_with_the_targets_share_of_the_days_so_far(personas):
    # Bad reviews, lower is better, 14 a week: by Wednesday (3 of 7 days) the target so far is 6;
    # 3 bad reviews against 6 is 200 %, capped at 120 % (against the whole week's 14 it would be 467 %).
    kpi_template_save(
        organisation=personas.acme,
        role="customer_service",
        items=(
            ItemSpec("bad", "中差评数", "bad_reviews", D(100), direction=Direction.LOWER, week_target=D(14)),
        ),
    )
    DailyMetricFactory(store=personas.store_a, date=dt.date(2026, 11, 17), bad_reviews=3)
    scores_compute(organisation=personas.acme, kind="week", period=WEEK, today=dt.date(2026, 11, 19))
    bad = _score(personas).items[0]
    assert (bad["actual"], bad["target"], bad["attainment"], bad["capped"]) == (
        "3.0000",
        "6.0000",
        "2.0000",
        "1.2000",
    )
    assert bad["so_far"] == [3, 7]
    with translation.override("en"):
        assert ItemLine.of(bad).note == "target for the 3 of 7 days so far"  # as the page says it


def test_the_daily_report_rate_is_the_days_with_a_report_over_the_days_with_a_list(personas):
    # The operator had a list on Monday, Tuesday and Wednesday of W47 and wrote a 日报 on two of
    # them (and one on Sunday, a day without a list, which does not count): 2 / 3 = 66.67 %.
    kpi_template_save(
        organisation=personas.acme,
        role="operator",
        items=(ItemSpec("reports", "日报", "daily_report_rate", D(100), week_target=D(1)),),
    )
    for day in (16, 17, 18):
        DailyChecklist.objects.create(
            user=personas.operator, store=personas.store_a, role="operator", day=dt.date(2026, 11, day)
        )
    for day in (16, 18, 22):
        DailyReport.objects.create(
            user=personas.operator,
            day=dt.date(2026, 11, day),
            done_today="x",
            plan_tomorrow="y",
            submitted_at=timezone.now(),
            updated_at=timezone.now(),
        )
    scores_compute(organisation=personas.acme, kind="week", period=WEEK, today=TODAY)
    row = KpiScore.objects.get(user=personas.operator, role="operator").items[0]
    assert (row["actual"], row["attainment"]) == ("0.6667", "0.6667")
