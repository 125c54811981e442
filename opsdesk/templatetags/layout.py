"""The page layout's tags: the navigation, with only the links the user may follow."""

from collections.abc import Callable
from dataclasses import dataclass

from django import template
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from opsdesk.sections import everybody
from stores import access

register = template.Library()


@dataclass(frozen=True)
class NavLink:
    url_name: str
    label: str
    shown_to: Callable[[object], bool]  # the rule of stores.access the page behind it applies


NAV_LINKS = (
    NavLink("home", _("Home"), everybody),
    NavLink("stores:list", _("Stores"), access.sees_stores),
    NavLink("imports:list", _("Import"), access.sees_stores),
    NavLink("tasks:checklist", _("Checklist"), access.keeps_checklist),
    NavLink("reports:daily", _("Daily report"), access.sees_stores),
    NavLink("reports:weekly", _("Weekly report"), access.sees_stores),
    NavLink("reports:monthly", _("Monthly report"), access.sees_stores),
    NavLink("reports:alerts", _("Alerts"), access.sees_stores),
    NavLink("kpi:targets", _("Targets"), access.sees_stores),
    NavLink("kpi:scores", _("KPIs"), access.sees_stores),
    NavLink("tasks:team", _("Team checklists"), access.oversees_an_organisation),
    NavLink("team:people", _("Team"), access.oversees_an_organisation),
    NavLink("organisation_settings", _("Organisation"), access.oversees_an_organisation),
    NavLink("reports:rollup_status", _("Rollup jobs"), access.leads_an_organisation),
    NavLink("admin:index", _("Admin"), lambda user: user.is_staff),
)


def navigation_links(user) -> list[NavLink]:
    """The links of the navigation for `user`, by their roles at this request."""
    return [link for link in NAV_LINKS if link.shown_to(user)]


@register.simple_tag(takes_context=True)
def navigation(context) -> str:
    return render_to_string("includes/nav.html", {"links": navigation_links(context["user"])})
