"""KPI templates (docs/kpis.md#templates): the field's defaults per role (domain.md §6), and saving a
template's items, whose weights must sum to 100 %.

A template applies to everyone holding its role in the organisation; a person's own value for an
item (KpiPersonValue) replaces the template's for them alone. A changed template applies from the
next period: a score keeps the definition it was first computed with (kpi.services.scores).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from kpi.models import KpiItem, KpiTemplate
from kpi.models.scorecards import LEAD_ROLE, Direction
from kpi.scoring import weights_sum_to_100
from stores import metrics
from stores.models import Organisation, StoreRole

TARGET_ATTAINMENT = "target_attainment"  # GMV against the plan of the person's stores
CHECKLIST_COMPLETION = "checklist_completion"  # items done / items given
DAILY_REPORT_RATE = "daily_report_rate"  # 日报 submitted / days with a list
MANUAL = "manual"  # scored by the ops lead, with a comment
SPECIAL_SOURCES = (TARGET_ATTAINMENT, CHECKLIST_COMPLETION, DAILY_REPORT_RATE, MANUAL)


def sources() -> tuple[str, ...]:
    """Every source an item may have: the metrics (recorded and derived), then the special ones."""
    return (*metrics.BY_CODE, *SPECIAL_SOURCES)


class TemplateRefused(ValueError):
    """A template that cannot be saved; the message says why."""


@dataclass(frozen=True)
class ItemSpec:
    code: str
    label: str
    source: str
    weight: Decimal
    direction: str = Direction.HIGHER
    week_target: Decimal | None = None
    month_target: Decimal | None = None
    band_low: Decimal | None = None
    band_high: Decimal | None = None
    floor: Decimal | None = None
    cap: Decimal = Decimal("1.2")


D = Decimal
# The field's defaults (domain.md §6). Targets of ratios are the usual levels of a Tmall store; the
# targets of counts (visitors, bad reviews) depend on the store and are left for the ops lead.
DEFAULT_TEMPLATES: dict[str, tuple[ItemSpec, ...]] = {
    LEAD_ROLE: (ItemSpec("attainment", "销售目标达成", TARGET_ATTAINMENT, D(100), floor=D("0.6")),),
    StoreRole.OPERATOR: (
        ItemSpec("attainment", "销售目标达成", TARGET_ATTAINMENT, D(60), floor=D("0.6")),
        ItemSpec(
            "checklist", "工作清单完成率", CHECKLIST_COMPLETION, D(20), week_target=D(1), month_target=D(1)
        ),
        ItemSpec("daily_report", "日报提交率", DAILY_REPORT_RATE, D(20), week_target=D(1), month_target=D(1)),
    ),
    StoreRole.PROMOTION: (
        ItemSpec("traffic", "访客数", "uv", D(40)),
        ItemSpec("roi", "投入产出比 ROI", "roi", D(40), week_target=D(3), month_target=D(3)),
        ItemSpec("budget", "推广花费（不超预算）", "ad_spend", D(20), direction=Direction.LOWER),
    ),
    StoreRole.DESIGNER: (
        ItemSpec(
            "conversion", "支付转化率", "conversion", D(60), week_target=D("0.03"), month_target=D("0.03")
        ),
        ItemSpec("pages", "页面与主图产出", MANUAL, D(40)),
    ),
    StoreRole.CUSTOMER_SERVICE: (
        ItemSpec(
            "inquiry_conversion",
            "询单转化率",
            "inquiry_conversion",
            D(40),
            week_target=D("0.45"),
            month_target=D("0.45"),
        ),
        ItemSpec(
            "dsr_service",
            "服务态度评分",
            "dsr_service",
            D(25),
            direction=Direction.BAND,
            band_low=D("4.8"),
            band_high=D(5),
        ),
        ItemSpec("bad_reviews", "中差评数", "bad_reviews", D(15), direction=Direction.LOWER),
        ItemSpec("response", "响应时间", MANUAL, D(20)),
    ),
    StoreRole.CONTENT: (
        ItemSpec("output", "内容产出", MANUAL, D(50)),
        ItemSpec("traffic", "访客数", "uv", D(30)),
        ItemSpec(
            "checklist", "工作清单完成率", CHECKLIST_COMPLETION, D(20), week_target=D(1), month_target=D(1)
        ),
    ),
}


def kpi_templates_seed(*, organisation: Organisation) -> int:
    """Give the organisation the default template of every role it has none for; returns how many."""
    made = 0
    for role, items in DEFAULT_TEMPLATES.items():
        if KpiTemplate.objects.filter(organisation=organisation, role=role).exists():
            continue
        kpi_template_save(organisation=organisation, role=role, items=items)
        made += 1
    return made


def kpi_template_save(*, organisation: Organisation, role: str, items: Sequence[ItemSpec]) -> KpiTemplate:
    """Replace a role's items (refused, with the reason, when they do not add up)."""
    _check(items)
    with transaction.atomic():
        template, _created = KpiTemplate.objects.get_or_create(organisation=organisation, role=role)
        template.items.all().delete()
        KpiItem.objects.bulk_create(
            KpiItem(template=template, position=position, **spec_fields(spec))
            for position, spec in enumerate(items)
        )
        template.save(update_fields=["updated_at"])
    return template


def spec_fields(spec: ItemSpec) -> dict:
    return {name: getattr(spec, name) for name in ItemSpec.__dataclass_fields__}


def _check(items: Sequence[ItemSpec]) -> None:
    problems = []
    if not weights_sum_to_100([item.weight for item in items]):
        total = sum((item.weight for item in items), Decimal(0))
        problems.append(_("The weights add up to %(total)s %%, not 100 %%.") % {"total": f"{total:g}"})
    codes = [item.code for item in items]
    if len(set(codes)) != len(codes):
        problems.append(_("Each item needs a code of its own."))
    for item in items:
        if item.source not in sources():
            problems.append(
                _("%(item)s: unknown source “%(source)s”.") % {"item": item.label, "source": item.source}
            )
        if item.direction == Direction.BAND and (item.band_low is None or item.band_high is None):
            problems.append(_("%(item)s: a band needs both of its ends.") % {"item": item.label})
    if problems:
        raise TemplateRefused(" ".join(problems))
