"""kpi's sections of the pages composed of several apps (opsdesk.sections): the month's pacing
on the dashboard, on a store's dashboard and on the weekly report."""

from opsdesk.sections import PageView, Section, section_register
from stores import access, periods

TEMPLATE = "kpi/pacing.html"


def dashboard_pacing(view: PageView) -> dict | None:
    """The month's pacing of the page's store (targets, and with them the pacing of several
    stores together, come with the targets issue; until then every store has none)."""
    if not view.stores:
        return None
    return None


def report_pacing(view: PageView) -> dict | None:
    """The organisation's month against its target, beside the weekly report."""
    report = view.report
    if report is None or report.kind is not periods.PeriodKind.WEEK:
        return None
    return None


def sections_register() -> None:
    for page in ("dashboard", "store_dashboard"):
        section_register(
            page=page,
            section=Section(
                "pacing", TEMPLATE, order=20, context=dashboard_pacing, visible_to=access.sees_stores
            ),
        )
    section_register(
        page="period_report",
        section=Section("pacing", TEMPLATE, order=10, context=report_pacing, visible_to=access.sees_stores),
    )
