"""The pacing alert (docs/metrics.md#alerts): a store whose month's completion is more than
ALERT_THRESHOLDS["pacing_gap"] behind its planned time progress (kpi.pacing). Registered into the
reports app's alert rules (kpi/apps.py), since reports sits below kpi and cannot read targets."""

from decimal import Decimal

from django.utils.translation import gettext_lazy

from kpi.pacing import Pacing, month_pacing_get
from reports.alerts import Finding, Rule, StoreDay

CODE = "pacing_behind"


def pacing_behind(store_day: StoreDay) -> Finding | None:
    gap: Decimal | None = store_day.thresholds.get("pacing_gap")
    pacing: Pacing | None = store_day.extra.get(CODE)
    if gap is None or pacing is None or pacing.progress_gap is None or pacing.progress_gap >= -gap:
        return None
    return Finding(value=pacing.completion, threshold=pacing.planned_progress - gap)


PACING_RULE = Rule(
    CODE,
    gettext_lazy("Behind the month's pace"),
    pacing_behind,
    shown_as="conversion",  # a fraction, shown as %
    inputs=lambda store_ids, day: month_pacing_get(store_ids=store_ids, day=day),
)
