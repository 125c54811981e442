"""kpi's models: sales targets and their plans (targets), the KPI scorecards (scorecards)."""

from kpi.models.scorecards import (
    KpiItem,
    KpiPersonValue,
    KpiScore,
    KpiTemplate,
    ManualScore,
    MonthClose,
)
from kpi.models.targets import (
    HOLIDAY_CHOICES,
    DaySource,
    HolidayDay,
    OrganisationTarget,
    PlanChange,
    PlanDay,
    PlanLock,
    PlanSettings,
    PromotionNode,
    SalesTarget,
)

__all__ = [
    "HOLIDAY_CHOICES",
    "DaySource",
    "HolidayDay",
    "KpiItem",
    "KpiPersonValue",
    "KpiScore",
    "KpiTemplate",
    "ManualScore",
    "MonthClose",
    "OrganisationTarget",
    "PlanChange",
    "PlanDay",
    "PlanLock",
    "PlanSettings",
    "PromotionNode",
    "SalesTarget",
]
