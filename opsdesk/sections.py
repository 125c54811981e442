"""Page sections: a page that shows several apps' data is composed of sections, each registered
by the app whose data it reads (in its AppConfig.ready()), so that a lower app's page can show a
higher app's numbers without importing it.

A section says who may see it (a rule of stores.access), reads what it needs for the page's
stores and day in a fixed number of queries, and renders its own template. The page knows none
of them: adding a section is one module that registers, not a change to the page.

Pages: "dashboard" (the morning page, opsdesk.dashboard), "store_dashboard" (one store),
"period_report" (the daily / weekly / monthly report, reports.views).
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

PAGES = ("dashboard", "store_dashboard", "period_report")


@dataclass
class PageView:
    """What a page is about, as its sections are asked to show it: the request (its user, for
    access and forms), the stores it covers (already limited to those the user sees), the day
    its numbers are of (yesterday) and today; `report` on a report page. `shared` lets sections of
    one app read a result once per request (see `shared_get`)."""

    request: object
    stores: Sequence
    day: dt.date
    today: dt.date
    report: object = None
    shared: dict = field(default_factory=dict)

    @property
    def user(self):
        return self.request.user

    def shared_get(self, key: str, compute: Callable[[], object]) -> object:
        """`compute()` once per page view: what several sections of one app read together."""
        if key not in self.shared:
            self.shared[key] = compute()
        return self.shared[key]


def everybody(user) -> bool:
    return True


@dataclass(frozen=True)
class Section:
    """One block of a page. `context(view)` returns the template's context, or None when the
    section has nothing to show for this view; `visible_to(user)` says who may see it at all."""

    code: str
    template: str
    order: int
    context: Callable[[PageView], dict | None]
    visible_to: Callable[[object], bool] = everybody


_registry: dict[str, dict[str, Section]] = {page: {} for page in PAGES}


def section_register(*, page: str, section: Section) -> None:
    """Register (or, with the same code, replace) a section of `page`. Called from an app's
    AppConfig.ready(); registering twice is harmless."""
    _registry[page][section.code] = section


def sections_of(page: str) -> list[Section]:
    return sorted(_registry[page].values(), key=lambda section: (section.order, section.code))


@dataclass(frozen=True)
class RenderedSection:
    code: str
    html: SafeString


def sections_render(*, page: str, view: PageView) -> list[RenderedSection]:
    """Every section of `page` the user may see and that has something to show, rendered, in
    order."""
    rendered = []
    for section in sections_of(page):
        if not section.visible_to(view.user):
            continue
        context = section.context(view)
        if context is None:
            continue
        html = render_to_string(section.template, {"view": view, **context}, request=view.request)
        rendered.append(RenderedSection(section.code, mark_safe(html)))
    return rendered
