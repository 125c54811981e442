"""The checklists every organisation starts with (docs/checklists.md#default-lists), as plain data.

The twelfth standard item, the 日报, is not a template item: it is the DailyReport every list ends with.
The text is the team's own wording (data the ops lead edits afterwards), so it is Chinese and not
translated. Morning items are due by 10:30, when the stand-up has assigned the day's work.
"""

import datetime as dt
from dataclasses import dataclass

from stores.models import StoreRole
from tasks.models import Needs, TimeOfDay

MORNING, AFTERNOON, EVENING = TimeOfDay.MORNING, TimeOfDay.AFTERNOON, TimeOfDay.EVENING


@dataclass(frozen=True)
class DefaultItem:
    title: str
    guidance: str
    time_of_day: str
    due_time: dt.time | None
    needs: str = Needs.NOTHING


@dataclass(frozen=True)
class DefaultTemplate:
    role: str
    items: tuple[DefaultItem, ...]
    also_on_rest_days: bool = False


OPERATOR = DefaultTemplate(
    StoreRole.OPERATOR,
    (
        DefaultItem("店铺自检", "查看店铺公告区：投诉、纠纷、违规处罚。", MORNING, dt.time(9, 30)),
        DefaultItem(
            "数据登记",
            "登记昨日销售额、流量、转化率、流量来源，填好每日数据表（运营台：录入昨日数据）。",
            MORNING,
            dt.time(10, 0),
        ),
        DefaultItem(
            "目标对比", "昨日实际对比日目标：达成还是未达成，写下原因。", MORNING, dt.time(10, 30), Needs.NOTE
        ),
        DefaultItem(
            "竞品观察",
            "前10名竞品店铺：新品、昨日销量、中差评、推广动作。",
            MORNING,
            dt.time(10, 30),
            Needs.NOTE,
        ),
        DefaultItem("推广调整", "在公司日预算上限内调整直通车/万相台出价。", MORNING, dt.time(11, 30)),
        DefaultItem(
            "活动报名", "查看活动群，报名平台活动，跟进已报名活动的审核。", AFTERNOON, dt.time(15, 0)
        ),
        DefaultItem(
            "页面检查",
            "首页、活动海报、优惠券、类目、图片、链接是否都正确。",
            AFTERNOON,
            dt.time(15, 0),
        ),
        DefaultItem(
            "库存检查",
            "库存是否充足；30天无销量的商品标记下架。填写标记下架的商品数。",
            AFTERNOON,
            dt.time(16, 0),
            Needs.NUMBER,
        ),
        DefaultItem(
            "内功优化",
            "优化标题；DSR保持4.8以上；逐条查看中差评及原因。",
            AFTERNOON,
            dt.time(17, 0),
            Needs.NOTE,
        ),
        DefaultItem(
            "活动复盘",
            "活动结束后汇报结果和改进点，贴上复盘文档链接（没有活动可只打勾）。",
            AFTERNOON,
            dt.time(17, 30),
        ),
        DefaultItem("规则学习", "阅读平台新规则和公告，需要时同步给团队。", EVENING, dt.time(20, 0)),
    ),
)

PROMOTION = DefaultTemplate(
    StoreRole.PROMOTION,
    (
        DefaultItem(
            "早间ROI检查",
            "对照预算检查昨日各渠道花费和ROI，填写昨日整体ROI。",
            MORNING,
            dt.time(10, 0),
            Needs.NUMBER,
        ),
        DefaultItem("推广调整", "在公司日预算上限内调整出价和人群。", MORNING, dt.time(11, 30)),
        DefaultItem(
            "晚间ROI检查",
            "检查今日花费是否在日预算内、ROI是否达标，填写今日花费（元）。",
            EVENING,
            dt.time(21, 0),
            Needs.NUMBER,
        ),
    ),
)

CUSTOMER_SERVICE = DefaultTemplate(
    StoreRole.CUSTOMER_SERVICE,
    (
        DefaultItem(
            "售后跟进",
            "跟进退款、退换货和物流异常订单，填写今日跟进的售后单数。",
            AFTERNOON,
            dt.time(16, 0),
            Needs.NUMBER,
        ),
        DefaultItem(
            "中差评跟进", "逐条回访中差评，记录原因和处理结果。", AFTERNOON, dt.time(17, 0), Needs.NOTE
        ),
        DefaultItem(
            "夜间转化检查",
            "检查夜间询单转化率，记录未成交的主要原因。",
            EVENING,
            dt.time(22, 0),
            Needs.NOTE,
        ),
    ),
    # Customer service answers buyers every day, weekends and holidays included.
    also_on_rest_days=True,
)

DEFAULT_TEMPLATES: tuple[DefaultTemplate, ...] = (OPERATOR, PROMOTION, CUSTOMER_SERVICE)
