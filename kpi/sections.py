"""kpi's sections of the period reports (opsdesk.sections): on top, the stores' week, month and year
(or the periods around the report's) against their targets; at the bottom of the weekly and monthly
reports, the team's KPI scores of the period. The dashboard shows pacing on its cards (kpi.figures)."""

from django.utils.translation import gettext_lazy as _

from kpi import pacing
from kpi.allocation import PlanLevel
from kpi.models import KpiScore
from kpi.scoring import grade_of
from opsdesk.sections import PageView, Section, section_register
from stores import access
from stores.periods import PeriodKind

TEMPLATE = "kpi/pacing.html"
# The periods a report paces: those that contain its period (as of its last complete day).
REPORT_LEVELS = {
    PeriodKind.DAY: (PlanLevel.WEEK, PlanLevel.MONTH, PlanLevel.YEAR),
    PeriodKind.WEEK: (PlanLevel.WEEK, PlanLevel.MONTH, PlanLevel.YEAR),
    PeriodKind.MONTH: (PlanLevel.MONTH, PlanLevel.QUARTER, PlanLevel.YEAR),
}
LEVEL_NAMES = {
    PlanLevel.WEEK: _("Week"),
    PlanLevel.MONTH: _("Month"),
    PlanLevel.QUARTER: _("Quarter"),
    PlanLevel.YEAR: _("Year"),
}


def report_pacing(view: PageView) -> dict | None:
    """The report's stores against their targets for the periods around the report's (as of its
    last complete day): week, month and year on the weekly report."""
    report = view.report
    if report is None or report.kind not in REPORT_LEVELS:
        return None
    stores = report.selection.stores
    as_of = min(view.day, report.period.end)
    levels = REPORT_LEVELS[report.kind]
    found = pacing.pacing_get(stores=stores, day=as_of, levels=levels)
    rows = [(LEVEL_NAMES[level], found[level].get(pacing.TOTAL)) for level in levels]
    return {
        "rows": rows,
        "has_target": any(row for _name, row in rows),
        "may_set": access.leads_an_organisation(view.user),
    }


def report_team(view: PageView) -> dict | None:
    """The weekly report's team: each person's score of the report's week (the monthly report's:
    of its month), as the last job left it, for those who oversee the organisation."""
    report = view.report
    kind = {PeriodKind.WEEK: "week", PeriodKind.MONTH: "month"}.get(report.kind) if report else None
    organisation = report.selection.organisation if report else None
    if kind is None or not access.oversees_an_organisation(view.user):
        return None
    scores = (
        KpiScore.objects.filter(organisation=organisation, kind=kind, period_start=report.period.start)
        .select_related("user")
        .order_by("-total", "user__username")
    )
    rows = [(score, grade_of(score.total)) for score in scores]
    return {"rows": rows, "kind": kind, "period": report.period} if rows else None


def sections_register() -> None:
    section_register(
        page="period_report",
        section=Section("pacing", TEMPLATE, order=10, context=report_pacing, visible_to=access.sees_stores),
    )
    section_register(
        page="period_report",
        section=Section(
            "team_scores",
            "kpi/sections/team_scores.html",
            order=90,
            context=report_team,
            visible_to=access.oversees_an_organisation,
        ),
    )
