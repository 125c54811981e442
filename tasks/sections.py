"""The tasks app's sections of the pages composed of several apps (opsdesk.sections): on the
dashboard, the team's checklists and missing 日报 for whoever oversees the team, and one's own
list of today for whoever keeps one."""

from opsdesk.sections import PageView, Section, section_register
from stores import access
from tasks import selectors


def team_routine(view: PageView) -> dict | None:
    """Only the stores of organisations whose team the user oversees (docs/access.md)."""
    stores = access.team_stores(view.user, view.stores)
    if not stores:
        return None
    return {"routine": selectors.routine_get(stores=stores, day=view.day, today=view.today)}


def own_day(view: PageView) -> dict:
    return {"completion": selectors.own_completion_get(user=view.user, day=view.today)}


def sections_register() -> None:
    section_register(
        page="dashboard",
        section=Section("my_day", "tasks/sections/my_day.html", 5, own_day, access.keeps_checklist),
    )
    section_register(
        page="dashboard",
        section=Section(
            "routine", "tasks/sections/routine.html", 50, team_routine, access.oversees_an_organisation
        ),
    )
