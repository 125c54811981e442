"""What the report files share: the codes they carry, the sides of each row, their fixed words."""

from reports.selectors import PeriodReport, ReportRow
from stores import metrics

# Every recorded and derived code of docs/metrics.md, in the registry's order.
REPORT_CODES: tuple[str, ...] = (*metrics.RECORDED_CODES, *metrics.DERIVED_CODES)
SIDES = ("current", "previous", "last_year")

# Fixed words of the files, like the raw export's headers: Chinese, or canonical names for tools.
WORDS = {
    "zh": {
        "store": "店铺名称",
        "store_slug": "店铺代码",
        "total": "合计",
        "metric": "指标",
        "code": "代码",
        "current": "本期",
        "previous": "上期",
        "last_year": "去年同期",
        "vs_previous": "环比",
        "vs_last_year": "同比",
        "summary": "汇总",
        "decomposition": "GMV拆解",
        "commentary": "运营点评",
        "comparison": "对比",
        "gmv_before": "对比期支付金额",
        "gmv_now": "本期支付金额",
        "change": "变化",
        "change_percent": "变化率",
        "amount": "贡献",
        "percent": "贡献率",
        "sentence": "说明",
        "period": "周期",
        "days": "对比区间",
        "item": "项目",
        "text": "内容",
        "wins": "本周亮点",
        "problems": "问题",
        "next_week_plan": "下周计划",
        "lowest": "（最低）",
        "visitor_days": "周、月等多日周期的访客数为每日访客数之和（人天），不是去重访客数。",
        "partial": "本期尚未结束：本期与对比期均只比较前 {days} 天（同口径）。",
        "traffic": "流量",
        "conversion": "转化率",
        "aov": "客单价",
    },
    "en": {
        "store": "store_name",
        "store_slug": "store",
        "total": "total",
        "metric": "metric",
        "code": "code",
        "current": "current",
        "previous": "previous",
        "last_year": "last_year",
        "vs_previous": "vs_previous",
        "vs_last_year": "vs_last_year",
        "summary": "summary",
        "decomposition": "gmv_decomposition",
        "commentary": "commentary",
        "comparison": "comparison",
        "gmv_before": "gmv_before",
        "gmv_now": "gmv_now",
        "change": "change",
        "change_percent": "change_percent",
        "amount": "amount",
        "percent": "percent",
        "sentence": "sentence",
        "period": "period",
        "days": "dates",
        "item": "item",
        "text": "text",
        "wins": "wins",
        "problems": "problems",
        "next_week_plan": "next_week_plan",
        "lowest": "_min",
        "visitor_days": "uv of a multi-day period is the sum of daily visitors (visitor-days).",
        "partial": "Period in progress: every side covers its first {days} days only (like for like).",
        "traffic": "traffic",
        "conversion": "conversion",
        "aov": "aov",
    },
}


def rows_with_total(report: PeriodReport) -> list[ReportRow]:
    return [*report.rows, report.total]
