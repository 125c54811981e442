"""Demo data of the reports app: the ops lead's commentary on recent weeks, the last nights'
rollup jobs (really run, so the job-status page shows real runs), one of them lost with its
worker on every attempt (docs/jobs.md), for the re-run button, and the weekly email's settings
(finance gets it too, on /organisation/)."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from opsdesk import queue
from opsdesk.models import BackgroundJob
from reports import jobs, services
from reports.models import Alert, AlertThreshold, RollupRun, WeeklyEmailSettings
from stores import periods
from stores.models import Organisation
from stores.periods import PeriodKind

NIGHTS = 7
# Besides the boss and the ops lead, finance reads the weekly email (organisation settings).
WEEKLY_EMAIL_EXTRA = ["finance@example.com"]
AD_BUDGET = Decimal("18000")  # the flagship spends ¥13,000–30,000 a day
COMMENTARIES = (
    {
        "wins": "双11 收官：全店 GMV 创新高，山岚家居旗舰店预售尾款转化率 62%。",
        "problems": "大促后退款率回升到 9% 左右，主要是尺寸不符；物流评分小幅下滑。",
        "next_week_plan": "客服统一尺寸话术；详情页补充尺寸对照表；跟进仓库延迟发货的 37 单。",
    },
    {
        "wins": "预售蓄水完成，加购人数环比 +48%；全站推广 ROI 稳定在 4 以上。",
        "problems": "优贝母婴专营店主图点击率偏低，精准人群花费超预算 12%。",
        "next_week_plan": "美工重做 3 张主图做 A/B；双11 当天每 2 小时盯一次花费。",
    },
    {
        "wins": "小禾手作皂铺新品上架首周售出 1,200 件，老买家占比提升到 35%。",
        "problems": "直通车关键词出价上涨，拉新成本偏高。",
        "next_week_plan": "关键词结构调整，转向精准人群和全站推广；准备双11 预售页面。",
    },
    {
        "wins": "国庆后流量恢复到节前水平，转化率回到 4% 以上。",
        "problems": "DSR 描述相符 4.72，低于 4.8 的目标，集中在一款收纳柜。",
        "next_week_plan": "收纳柜详情页更正材质描述；中差评逐条回访。",
    },
)


def reports_demo_seed(*, organisation: Organisation, end_date: dt.date, lead_username: str = "lead") -> None:
    lead = get_user_model().objects.filter(username=lead_username).first()
    week = periods.period_containing(PeriodKind.WEEK, end_date - dt.timedelta(days=7))
    for commentary in COMMENTARIES:
        services.weekly_commentary_save(organisation=organisation, week=week, author=lead, **commentary)
        week = periods.previous_period(week)
    WeeklyEmailSettings.objects.update_or_create(
        organisation=organisation, defaults={"extra_recipients": WEEKLY_EMAIL_EXTRA, "updated_by": lead}
    )
    # The flagship's own daily ad budget, so the ad-spend rule has something to watch.
    flagship = organisation.stores.filter(shop_type="flagship").first() or organisation.stores.first()
    AlertThreshold.objects.update_or_create(
        store=flagship, name="ad_spend_cap", defaults={"value": AD_BUDGET}
    )
    # The stores were seeded one after the other, each change evaluating the organisation's recent
    # alerts: the stores not yet seeded had their numbers missing for a moment. Those alerts say
    # nothing of the demo's numbers; the nights below evaluate every alert afresh.
    Alert.objects.filter(organisation=organisation).delete()
    # The nights run for real and evaluate the alerts after each.
    for night in range(NIGHTS, 0, -1):
        jobs.rollup_nightly((end_date - dt.timedelta(days=night - 1)).isoformat())
    seen = (
        Alert.objects.filter(
            organisation=organisation, day=end_date - dt.timedelta(days=1), status=Alert.Status.OPEN
        )
        .order_by("store__name", "rule")
        .first()
    )
    if seen and lead:
        services.alert_acknowledge(alert=seen, user=lead, note="已安排客服和仓库跟进，周五复盘。")
    _rollup_lost_with_its_worker(organisation=organisation, day=end_date - dt.timedelta(days=2))


def _rollup_lost_with_its_worker(*, organisation: Organisation, day: dt.date) -> None:
    """A correction's rollup whose worker died on each of its attempts, found by the sweeper as
    in production: it shows failed, with the reason and a re-run button, on /reports/jobs/."""
    store = organisation.stores.order_by("pk").last()
    with transaction.atomic():
        jobs.rollups_after_change(store_dates={store.pk: {day}})
        run = RollupRun.objects.filter(store=store).latest("pk")
        stopped = timezone.now() - dt.timedelta(minutes=5)
        BackgroundJob.objects.filter(name="reports.jobs.rollup_run_execute", args=[run.pk]).update(
            status=BackgroundJob.Status.RUNNING,
            attempts=jobs.ATTEMPTS,
            started_at=stopped,
            heartbeat_at=stopped,
        )
        RollupRun.objects.filter(pk=run.pk).update(status=RollupRun.Status.RUNNING, attempts=jobs.ATTEMPTS)
    queue.jobs_sweep()
