"""Journey 2, a staff member's day (issue 16), in Chinese, as the demo's 运营 (operator).

The operator opens today's checklist and ticks three items (one needing a note, one a number, one
just a tick), each kept in the database as typed; the 目标对比 item shows each store's target and
actual of yesterday, as the plan and the stored numbers say. On yesterday's entry page an
impossible value (more paid buyers than visitors) is refused in Chinese next to its field and
nothing is saved; corrected, the day is saved as typed, and 目标对比 follows it. The 日报 is
submitted, the operator's own KPI page opens, and a colleague's is a 404.
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from kpi.models import KpiScore, PlanDay
from opsdesk.models import BackgroundJob
from stores import metrics, periods
from stores.models import DailyMetric, Store, StoreAssignment, StoreRole
from tasks import workdays
from tasks.item_details import TARGET_COMPARISON
from tasks.models import ChecklistItem, ChecklistTemplate, DailyReport, Needs
from tests.journeys.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.redis]


def _operator_stores(operator) -> list[Store]:
    return [
        assignment.store
        for assignment in StoreAssignment.objects.filter(user=operator, role=StoreRole.OPERATOR)
        .select_related("store")
        .order_by("store__name")
    ]


def _target_line(store: Store, day) -> str:
    """What 目标对比 says of `store` and `day`, from the plan and the stored numbers."""
    target = PlanDay.objects.get(store=store, date=day).target
    actual = DailyMetric.objects.get(store=store, date=day).gmv
    money = f"{day:%m-%d}：目标 {metrics.display('gmv', target)}，实际 {metrics.display('gmv', actual)}"
    return f"{money} {metrics.display('conversion', actual / target)}"


def _jobs_finished() -> bool:
    return not BackgroundJob.objects.filter(
        status__in=[BackgroundJob.Status.WAITING, BackgroundJob.Status.RUNNING],
        not_before__lte=timezone.now(),
    ).exists()


def _answered_as_meant(journey, status: int, path: str) -> None:
    """The harness counts every 4xx as a problem: this one is the point of the step."""
    journey.problems.remove(f"{status} {journey.url(path)}")


def _open_item(operator, store: Store, needs: str) -> ChecklistItem:
    """Today's first item of `store` that needs `needs` and is not done yet."""
    return (
        ChecklistItem.objects.filter(
            checklist__user=operator,
            checklist__store=store,
            checklist__day=periods.today(),
            needs=needs,
            done=False,
        )
        .exclude(title=TARGET_COMPARISON)
        .order_by("position")
        .first()
    )


def test_a_staff_members_day(journey):
    operator = get_user_model().objects.get(username="operator")
    today, yesterday = periods.today(), periods.yesterday()
    if not workdays.working_day(today).working:
        # The operator's list is for working days; on a rest day the journey is the same with it given.
        ChecklistTemplate.objects.filter(role=StoreRole.OPERATOR).update(also_on_rest_days=True)
    stores = _operator_stores(operator)
    store = stores[0]

    # Today's checklist is the operator's home page.
    journey.log_in("operator")
    assert journey.page.url == journey.url("/tasks/")
    assert "今日清单" in journey.text("h1")
    journey.shot("checklist")

    # Three ticks: a note, a number, a plain tick.
    noted = _open_item(operator, store, Needs.NOTE)
    counted = _open_item(operator, store, Needs.NUMBER)
    ticked = _open_item(operator, store, Needs.NOTHING)
    assert noted and counted and ticked, "the default 运营 list has items of each kind"
    progress_before = journey.page.text_content("[data-progress]")
    journey.page.fill(f"#item-{noted.pk} input[name=note]", "竞品上新两款，价格低 10%")
    journey.page.click(f"#item-{noted.pk} button.tick")
    journey.page.wait_for_selector(f"#item-{noted.pk}.is-done")
    journey.page.click(f"#item-{counted.pk} button.tick")  # the number forgotten: refused
    refused = journey.page.locator(f"#item-{counted.pk} .item-error")
    refused.filter(has_text="请先填写数字再打勾。").wait_for()
    assert not journey.page.locator(f"#item-{counted.pk}.is-done").count()
    _answered_as_meant(journey, 400, reverse("tasks:tick", args=[counted.pk]))
    journey.page.fill(f"#item-{counted.pk} input[name=number]", "36")
    journey.page.click(f"#item-{counted.pk} button.tick")
    journey.page.wait_for_selector(f"#item-{counted.pk}.is-done")
    assert journey.page.input_value(f"#item-{counted.pk} input[name=number]") == "36", "as typed"
    journey.page.click(f"#item-{ticked.pk} button.tick")
    journey.page.wait_for_selector(f"#item-{ticked.pk}.is-done")
    journey.shot("three-ticked")
    noted.refresh_from_db()
    counted.refresh_from_db()
    ticked.refresh_from_db()
    assert (noted.done, noted.note) == (True, "竞品上新两款，价格低 10%")
    assert (counted.done, counted.number) == (True, Decimal("36"))
    assert ticked.done
    done = ChecklistItem.objects.filter(checklist__user=operator, checklist__day=today, done=True).count()
    total = ChecklistItem.objects.filter(checklist__user=operator, checklist__day=today).count()
    assert journey.page.text_content("[data-progress]") == f"已完成 {done} / {total}", progress_before

    # 目标对比 shows each store's target and actual of yesterday.
    for each in stores:
        item = ChecklistItem.objects.get(
            checklist__user=operator, checklist__store=each, checklist__day=today, title=TARGET_COMPARISON
        )
        assert _target_line(each, yesterday) in journey.text(f"#item-{item.pk} .item-detail")
    journey.page.locator(f"#item-{item.pk}").scroll_into_view_if_needed()
    journey.shot("target-comparison")

    # Yesterday's numbers (the demo has them: the operator corrects them from 生意参谋's final
    # figures), with a typo first: more paid buyers than visitors.
    # The way there: the store named on the checklist, then its 录入昨日数据.
    journey.page.click(f".store-roles a[href='/stores/{store.slug}/']")
    journey.page.wait_for_url(journey.url(f"/stores/{store.slug}/"))
    journey.check()
    journey.page.click(f"main a[href='/stores/{store.slug}/entry/']")
    journey.page.wait_for_url(journey.url(f"/stores/{store.slug}/entry/"))
    journey.check()
    assert yesterday.isoformat() in journey.text("h1")
    stored = DailyMetric.objects.get(store=store, date=yesterday)
    uv, buyers, gmv = stored.uv + 123, stored.paid_buyers + 2, stored.gmv + Decimal("388.50")
    journey.page.fill("input[name=uv]", f"{uv:,}")
    journey.page.fill("input[name=paid_buyers]", f"{uv * 10 + buyers}")
    journey.page.fill("input[name=gmv]", f"¥{gmv:,}")
    journey.page.click("form#entry-form button[type=submit]")
    journey.page.wait_for_load_state("load")
    error = journey.page.locator("label.has-error:has(input[name=paid_buyers]) small.error")
    assert error.inner_text() == f"支付买家数（{uv * 10 + buyers}）不能超过访客数（{uv}）。"
    journey.shot("entry-refused")
    assert DailyMetric.objects.get(store=store, date=yesterday).uv == stored.uv, "nothing saved"

    # Corrected, the day is saved as typed.
    journey.page.fill("input[name=paid_buyers]", str(buyers))
    journey.page.click("form#entry-form button[type=submit]")
    journey.page.wait_for_selector(".message.success")
    journey.shot("entry-saved")
    saved = DailyMetric.objects.get(store=store, date=yesterday)
    assert (saved.uv, saved.paid_buyers, saved.gmv) == (uv, buyers, gmv)
    assert saved.entered_by == operator
    assert journey.page.input_value("input[name=paid_buyers]") == str(buyers)

    # 目标对比 follows the corrected numbers.
    journey.visit("/tasks/")
    item = ChecklistItem.objects.get(
        checklist__user=operator, checklist__store=store, checklist__day=today, title=TARGET_COMPARISON
    )
    assert _target_line(store, yesterday) in journey.text(f"#item-{item.pk} .item-detail")
    assert f"实际 {metrics.display('gmv', gmv)}" in journey.text(f"#item-{item.pk} .item-detail")

    # The 日报.
    journey.page.fill("form.report-form textarea[name=done_today]", "完成数据登记、竞品观察和库存检查。")
    journey.page.fill("form.report-form textarea[name=problems]", "两款商品库存偏低。")
    journey.page.fill("form.report-form textarea[name=plan_tomorrow]", "跟进补货；报名下周活动。")
    journey.page.click("form.report-form button[type=submit]")
    journey.page.wait_for_selector(".message.success")
    journey.shot("daily-report")
    report = DailyReport.objects.get(user=operator, day=today)
    assert report.done_today == "完成数据登记、竞品观察和库存检查。"
    assert report.plan_tomorrow == "跟进补货；报名下周活动。"

    # Their own KPI page, scored again with the corrected day (the worker's rollup and KPI jobs);
    # a colleague's is a 404.
    wait_for(_jobs_finished)
    journey.visit("/kpi/people/operator/")
    assert "张伟" in journey.text("h1")
    week = periods.period_containing(periods.PeriodKind.WEEK, today)
    score = KpiScore.objects.get(user=operator, role=StoreRole.OPERATOR, kind="week", period_start=week.start)
    card = journey.text("#role-operator")
    assert f"{score.total} 分" in card
    if week.start <= yesterday:  # the week's sales so far, through yesterday
        sales = DailyMetric.objects.filter(store__in=stores, date__range=(week.start, yesterday)).aggregate(
            total=Sum("gmv")
        )["total"]
        assert metrics.display("gmv", sales) in card
    journey.shot("own-kpi")
    answer = journey.page.goto(journey.url("/kpi/people/designer/"))
    assert answer.status == 404
    assert "页面不存在" in journey.text("h1"), "the site's own page, in Chinese, fitting a phone"
    journey.shot("colleague-kpi-404")
    _answered_as_meant(journey, 404, "/kpi/people/designer/")
