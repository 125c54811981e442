"""Journey 1, the ops lead's morning (issue 16), in Chinese, as the demo's 运营负责人 (lead).

The dashboard is the lead's home page. Its figures for yesterday are the database's: the "all
stores" card's eight numbers are the organisation's stored day rollup, each store card's GMV its
store's rollup (and the sum of its daily numbers), and the month's pacing shows the month's target
and actual as kpi's plan and pacing say. The lead acknowledges one of yesterday's alerts with a
note, in place: it is acknowledged in the database, by the lead, with the note, and the page and
the alerts' history say so. The lead drills into a store (its own dashboard, whose figures are
the store's), opens its plan from the targets page and sets this month's target 50,000 higher: the
page previews each month before → after and saves nothing until confirmed; confirmed, the month
holds the new number. In the last month of the financial year no other day can take the
difference, so the preview says why and saves nothing, and the lead raises the annual target by
as much instead, which lands on the month's remaining days. Either way the dashboards' month
target moves by exactly 50,000. Last, the lead writes the weekly commentary on the weekly report;
reloaded, it is there and stored.
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import translation

from kpi import pacing
from kpi.allocation import PlanLevel, plan_period
from kpi.models import PlanChange, PlanDay, SalesTarget
from kpi.rebalance import PlanRefused
from kpi.services import changes
from reports.dashboard import CARD_CODES
from reports.models import Alert, OrganisationRollup, StoreRollup, WeeklyCommentary
from stores import metrics, periods
from stores.models import DailyMetric, Organisation, Store
from stores.periods import PeriodKind

pytestmark = [pytest.mark.browser, pytest.mark.redis]

RAISE = Decimal("50000.00")  # how much the lead adds to this month's target
STORE_SLUG = "demo-flagship"  # the store the lead drills into (山岚家居旗舰店)


def money(amount) -> str:
    return metrics.display("gmv", amount)


def _month_targets(stores, day) -> dict[int | None, Decimal]:
    """The month of `day` per store and in total, as kpi.pacing paces it on the dashboard; checked
    against the plan's days (the month's target is the sum of its days)."""
    month = plan_period(PlanLevel.MONTH, day)
    paced = pacing.pacing_get(stores=stores, day=day, levels=(PlanLevel.MONTH,))[PlanLevel.MONTH]
    days = PlanDay.objects.filter(store__in=stores, date__range=(month.start, month.end))
    assert paced[pacing.TOTAL].target == days.aggregate(total=Sum("target"))["total"]
    return {key: found.target for key, found in paced.items() if found is not None}


def _refusal(plan: SalesTarget, label: str, amount: Decimal) -> str | None:
    """Why the plan refuses `label` at `amount`, in Chinese, or None when it takes it."""
    with translation.override("zh-hans"):
        try:
            changes.plan_override_preview(plan=plan, label=label, amount=amount)
        except PlanRefused as refusal:
            return str(refusal)
    return None


def test_the_ops_leads_morning(journey):
    page = journey.page
    lead = get_user_model().objects.get(username="lead")
    organisation = Organisation.objects.get(slug="demo")
    stores = list(organisation.stores.filter(active=True).order_by("pk"))
    store = Store.objects.get(slug=STORE_SLUG)
    today, yesterday = periods.today(), periods.yesterday()

    # The dashboard is the lead's home page, about yesterday.
    journey.log_in("lead")
    assert page.url == journey.url("/")
    assert yesterday.isoformat() in journey.text("h1")
    journey.shot("dashboard")

    # "All stores": the organisation's stored day, formatted as the page formats it.
    stored = OrganisationRollup.objects.get(
        organisation=organisation, kind=PeriodKind.DAY, period_start=yesterday
    )
    total = stored.values()
    board = page.locator("section.board-total")
    shown = {code: board.locator(f"td[data-metric={code}]").inner_text().strip() for code in CARD_CODES}
    assert shown == {code: metrics.display(code, total[code]) for code in CARD_CODES}

    # Each store's card: its GMV is its stored day, which is its daily number.
    for each in stores:
        day = StoreRollup.objects.get(store=each, kind=PeriodKind.DAY, period_start=yesterday)
        assert day.gmv == DailyMetric.objects.get(store=each, date=yesterday).gmv
        card = page.locator(f"article.store-card[data-store={each.slug}]")
        assert card.locator("[data-metric=gmv]").inner_text().strip() == money(day.gmv)
    assert (
        sum(
            day.gmv
            for day in StoreRollup.objects.filter(kind="day", period_start=yesterday, store__in=stores)
        )
        == stored.gmv
    )

    # The month's pacing shows the month's target and actual, as kpi's plan says.
    month = plan_period(PlanLevel.MONTH, yesterday)
    targets_before = _month_targets(stores, yesterday)
    month_total = board.locator(f"[data-pacing=month][data-period='{month.label}']")
    assert month_total.locator("[data-figure=target]").inner_text() == money(targets_before[None])
    paced = pacing.pacing_get(stores=stores, day=yesterday, levels=(PlanLevel.MONTH,))[PlanLevel.MONTH]
    assert month_total.locator("[data-figure=actual]").inner_text() == money(paced[None].actual)
    store_month = page.locator(f"article.store-card[data-store={STORE_SLUG}] [data-pacing=month]")
    assert store_month.locator("[data-figure=target]").inner_text() == money(targets_before[store.pk])

    # One of yesterday's alerts, acknowledged in place with a note.
    alert = (
        Alert.objects.filter(store__in=stores, day=yesterday, status=Alert.Status.OPEN)
        .order_by("store__name", "rule")
        .first()
    )
    assert alert is not None, "the demo's yesterday has open alerts"
    row = page.locator(f"section.alerts [data-alert='{alert.pk}']")
    note = "已联系客服主管，今天下午复盘差评原因"
    row.locator("input[name=note]").fill(note)
    journey.shot("alert-note-typed")
    row.locator("form.ack button[type=submit]").click()
    page.wait_for_selector(".message.success")
    journey.check()
    assert "预警已确认" in journey.text(".message.success")
    assert page.url == journey.url("/")
    alert.refresh_from_db()
    assert (alert.status, alert.note, alert.acknowledged_by) == (Alert.Status.ACKNOWLEDGED, note, lead)
    acknowledged = page.locator(f"section.alerts [data-alert='{alert.pk}']")
    assert note in acknowledged.inner_text() and "李思雨" in acknowledged.inner_text()
    assert acknowledged.locator("form.ack").count() == 0
    journey.shot("alert-acknowledged")

    # The alerts' history says so too, and holds only what the numbers say.
    page.click("section.alerts a[href='/alerts/']")
    page.wait_for_url(journey.url("/alerts/"))
    journey.check()
    history = page.locator(f"section.alerts [data-alert='{alert.pk}']")
    assert "已确认" in history.inner_text() and note in history.inner_text()
    assert "数据缺失" not in journey.text("section.alerts"), "the demo's numbers are all in"
    journey.shot("alerts-history")
    page.go_back()
    page.wait_for_url(journey.url("/"))

    # Into one store: its own dashboard, whose figures are the store's.
    page.click(f"article.store-card[data-store={STORE_SLUG}] header a")
    page.wait_for_url(journey.url(f"/dashboard/{STORE_SLUG}/"))
    journey.check()
    assert store.name in journey.text("h1")
    store_day = StoreRollup.objects.get(store=store, kind=PeriodKind.DAY, period_start=yesterday).values()
    own = page.locator("section.card").first
    for code in CARD_CODES:
        assert own.locator(f"td[data-metric={code}]").inner_text().strip() == metrics.display(
            code, store_day[code]
        )
    own_month = own.locator("[data-pacing=month]")
    assert own_month.locator("[data-figure=target]").inner_text() == money(targets_before[store.pk])
    journey.shot("store-dashboard")

    # The store's plan, from the targets page.
    page.click("header.topbar a[href='/kpi/targets/']")
    page.wait_for_url(journey.url("/kpi/targets/"))
    journey.check()
    plan = SalesTarget.objects.get(store=store, first_day__lte=today, last_day__gte=today)
    journey.shot("targets")
    page.click(f"th a[href='/kpi/targets/{STORE_SLUG}/{plan.year}/']")  # the store's name
    page.wait_for_url(journey.url(f"/kpi/targets/{STORE_SLUG}/{plan.year}/"))
    journey.check()
    journey.shot("plan")

    # This month's target, 50,000 higher: previewed first.
    this_month = plan_period(PlanLevel.MONTH, today)
    before = PlanDay.objects.filter(plan=plan, date__range=(this_month.start, this_month.end)).aggregate(
        total=Sum("target")
    )["total"]
    amount = before + RAISE
    refusal = _refusal(plan, this_month.label, amount)
    page.click(f"a[href='?period={this_month.label}#change']")
    page.wait_for_url(lambda url: f"period={this_month.label}" in url)
    journey.check()
    form = page.locator("#change form").last
    assert form.locator("input[name=label]").input_value() == this_month.label
    form.locator("input[name=amount]").fill(f"{amount}")
    form.locator("textarea[name=reason]").fill("双12 追加预算，本月目标上调 5 万")
    form.locator("button[value=preview]").click()
    page.wait_for_load_state("load")
    journey.check()
    journey.shot("override-preview")
    version = plan.version
    plan.refresh_from_db()
    assert plan.version == version, "a preview saves nothing"

    if refusal is None:
        preview = page.locator("#change .preview")
        assert f"{this_month.label}：{money(before)} → {money(amount)}" in preview.locator("h3").inner_text()
        changed = preview.locator("tr.changed th").all_inner_texts()
        assert this_month.label in changed, "the month itself is among the months that move"
        preview.locator("button[value=save]").click()
        page.wait_for_selector(".message.success")
        journey.check()
        plan.refresh_from_db()
        assert f"{this_month.label} 已设定：计划现为版本 {plan.version}" in journey.text(".message.success")
        assert page.evaluate("window.scrollY") == 0, "the page opens at its top, where the message is"
        assert plan.version == version + 1
        assert PlanChange.objects.filter(plan=plan, label=this_month.label).exists()
    else:
        # The financial year's last month: nothing else can take the difference. The page says why.
        assert refusal in journey.text("#change .error-box")
        assert page.locator("#change .preview").count() == 0
        # So the lead raises the year by as much; its future days are all in this month.
        page.click("a[href^='/kpi/targets/?']")
        page.wait_for_url(lambda url: "/kpi/targets/" in url and STORE_SLUG not in url)
        page.click(f"a[href*='store={STORE_SLUG}#target-form']")
        page.wait_for_url(lambda url: f"store={STORE_SLUG}" in url)
        journey.check()
        target_form = page.locator("#target-form")
        assert target_form.locator("select[name=store]").input_value() == STORE_SLUG
        assert Decimal(target_form.locator("input[name=annual]").input_value()) == plan.annual
        target_form.locator("input[name=annual]").fill(f"{plan.annual + RAISE}")
        target_form.locator("textarea[name=reason]").fill("双12 追加预算，全年目标上调 5 万")
        journey.shot("annual-target-raised")
        target_form.locator("button[type=submit]").click()
        page.wait_for_selector(".message.success")
        journey.check()
        plan.refresh_from_db()
        assert f"{store.name}：{plan.label} 年度目标已保存（版本 {plan.version}）" in journey.text(
            ".message.success"
        )
        assert plan.version == version + 1
    after = PlanDay.objects.filter(plan=plan, date__range=(this_month.start, this_month.end)).aggregate(
        total=Sum("target")
    )["total"]
    assert after == amount
    journey.shot("plan-saved")

    # The dashboards pace the month against its new target.
    targets_after = _month_targets(stores, yesterday)
    moved = RAISE if this_month == month else Decimal(0)  # on the 1st the dashboard paces last month
    assert targets_after[None] == targets_before[None] + moved
    assert targets_after[store.pk] == targets_before[store.pk] + moved
    page.click("header.topbar a.brand")
    page.wait_for_url(journey.url("/"))
    journey.check()
    month_total = page.locator(f"section.board-total [data-pacing=month][data-period='{month.label}']")
    assert month_total.locator("[data-figure=target]").inner_text() == money(targets_after[None])
    store_month = page.locator(f"article.store-card[data-store={STORE_SLUG}] [data-pacing=month]")
    assert store_month.locator("[data-figure=target]").inner_text() == money(targets_after[store.pk])
    journey.shot("dashboard-new-target")
    journey.visit(f"/dashboard/{STORE_SLUG}/")
    own_month = page.locator("section.card").first.locator("[data-pacing=month]")
    assert own_month.locator("[data-figure=target]").inner_text() == money(targets_after[store.pk])

    # The weekly report: the lead's commentary on the last complete week, kept across a reload.
    page.click("header.topbar a[href='/reports/weekly/']")
    page.wait_for_url(journey.url("/reports/weekly/"))
    journey.check()
    week = periods.last_complete_period(PeriodKind.WEEK)
    assert week.label in journey.text("h1")
    journey.shot("weekly-report")
    words = {
        "wins": "双12 预热首日加购环比 +35%",
        "problems": "优贝母婴专营店描述相符跌破 4.8",
        "next_week_plan": "重拍主图；客服补充尺码话术；每天盯推广花费",
    }
    commentary = page.locator("#commentary form")
    for field, text in words.items():
        commentary.locator(f"textarea[name={field}]").fill(text)
    commentary.locator("button[type=submit]").click()
    page.wait_for_selector(".message.success")
    journey.check()
    assert "点评已保存" in journey.text(".message.success")
    page.reload()
    journey.check()
    for field, text in words.items():
        assert page.locator(f"#commentary textarea[name={field}]").input_value() == text
    stored_words = WeeklyCommentary.objects.get(organisation=organisation, week_start=week.start)
    assert {field: getattr(stored_words, field) for field in words} == words
    assert stored_words.updated_by == lead
    journey.shot("commentary-saved")
