"""Demo data of the tasks app: the last working days' checklists of the demo staff, ticked as a real
team ticks them (mornings almost always, evenings less), with notes, numbers and most 日报, and
`end_date`'s lists partly ticked (its morning under way, no 日报 yet).

Everything goes through the services, each change dated on its own day, so the grace-period rule
applies to the demo exactly as to the team.
"""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from stores.models import Organisation
from tasks import services, workdays
from tasks.models import ChecklistItem, DailyChecklist, Needs, TimeOfDay

DAYS = 10
# The chance that an item of each time of day gets done on a past day.
DONE_CHANCE = {TimeOfDay.MORNING: 0.95, TimeOfDay.AFTERNOON: 0.85, TimeOfDay.EVENING: 0.7}
REPORT_CHANCE = 0.85
NOTES = (
    "正常，无异常。",
    "昨日未达成日目标，主要是直通车流量下降。",
    "竞品新上两款同类商品，价格低 10%。",
    "一条中差评：物流慢，已联系买家。",
    "达成日目标，大促预热带动转化。",
    "主图点击率偏低，已和美工约好明天改图。",
)
REPORTS = (
    (
        "完成数据登记和竞品观察；报名了下周的聚划算。",
        "直通车点击单价上涨。",
        "调整关键词出价；跟进活动审核。",
    ),
    ("处理售后 12 单，中差评回访 3 条。", "", "继续跟进退款订单；整理常见问题话术。"),
    ("上午ROI 3.2，下午压缩了低效人群。", "精准人群花费超预算 8%。", "明天上午先看昨日ROI再调出价。"),
    ("页面检查发现一个失效链接，已修复。", "库存：两款商品缺货。", "和仓库确认补货时间；下架滞销款。"),
)


def _moment(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _tick_time(item: ChecklistItem, rng: random.Random) -> dt.datetime:
    """Mostly before the due time, now and then a little after it."""
    due = item.due_time or dt.time(18, 0)
    minutes = due.hour * 60 + due.minute + rng.randint(-90, 20)
    minutes = max(8 * 60 + 45, min(minutes, 23 * 60))
    return min(_moment(item.checklist.day, minutes // 60, minutes % 60), timezone.now())


def _tick(item: ChecklistItem, rng: random.Random) -> None:
    extra = {}
    if item.needs == Needs.NOTE or (item.needs == Needs.NOTHING and rng.random() < 0.05):
        extra["note"] = rng.choice(NOTES)
    elif item.needs == Needs.NUMBER:
        extra["number"] = (
            Decimal(rng.randint(0, 40)) if "ROI" not in item.title else Decimal(rng.randint(180, 450)) / 100
        )
    elif item.needs == Needs.LINK:
        extra["link"] = "https://example.com/fupan"
    services.checklist_item_tick(
        item=item, user=item.checklist.user, done=True, at=_tick_time(item, rng), **extra
    )


def tasks_demo_seed(*, organisation: Organisation, end_date: dt.date, seed: int = 1) -> int:
    """Lists of the last DAYS working days up to `end_date` (the demo's "today") for the
    organisation's staff. Returns the number of lists. Safe to run again on the same data (lists
    and 日报 are never duplicated)."""
    rng = random.Random(seed)
    days = workdays.working_days_before(end_date, DAYS)
    if end_date not in days:
        days.append(end_date)
    for day in days:
        services.checklist_generate(day=day, organisation=organisation)
    lists = (
        DailyChecklist.objects.filter(store__organisation=organisation, day__in=days)
        .select_related("user")
        .prefetch_related("items")
        .order_by("day", "user__username", "store__name", "role")
    )
    people_days: set[tuple[object, dt.date]] = set()
    for checklist in lists:
        today = checklist.day == end_date
        for item in checklist.items.all():
            item.checklist = checklist
            if today:
                # The morning under way: the first morning items done, the rest still open.
                if item.time_of_day == TimeOfDay.MORNING and rng.random() < 0.6:
                    _tick(item, rng)
            elif rng.random() < DONE_CHANCE[TimeOfDay(item.time_of_day)]:
                _tick(item, rng)
        people_days.add((checklist.user, checklist.day))
    for user, day in sorted(people_days, key=lambda pair: (pair[1], pair[0].pk)):
        if day == end_date or rng.random() > REPORT_CHANCE:
            continue
        done_today, problems, plan = rng.choice(REPORTS)
        services.daily_report_submit(
            user=user,
            day=day,
            done_today=done_today,
            problems=problems,
            plan_tomorrow=plan,
            at=_moment(day, 18, rng.randint(0, 59)),
        )
    return lists.count()
