"""The reports app's sections of the pages composed of several apps (opsdesk.sections): the
morning numbers, the alerts that need attention and a card per store on the dashboard; the
store's card and its alerts on a store's dashboard; on all three pages, a note while some of
their figures wait for a rollup."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from opsdesk.sections import PageView, Section, section_register
from reports import dashboard, selectors
from stores import access

STORE_ALERT_DAYS = 30
ALERTS_TEMPLATE = "reports/includes/alert_list.html"


def _numbers(view: PageView) -> dashboard.Dashboard:
    """The cards and alerts, read once for every section of the page that shows them."""
    return view.shared_get(
        "reports.dashboard", lambda: dashboard.dashboard_get(stores=view.stores, day=view.day)
    )


def _acknowledgeable(view: PageView) -> set[int]:
    return access.store_ids_writable(view.user, view.stores)


def yesterday_total(view: PageView) -> dict | None:
    return {"card": _numbers(view).total} if view.stores else None


def alerts_needing_attention(view: PageView) -> dict | None:
    board = _numbers(view)
    return {
        "alerts": board.alerts,
        "older_open": board.older_open,
        "acknowledgeable": _acknowledgeable(view),
        "title": _("Needs attention"),
    }


def store_cards(view: PageView) -> dict:
    return {"cards": _numbers(view).cards}


def store_card(view: PageView) -> dict:
    return {"card": _numbers(view).cards[0], "sparkline_size": (300, 48)}


def store_alerts(view: PageView) -> dict:
    since = view.day - dt.timedelta(days=STORE_ALERT_DAYS - 1)
    return {
        "alerts": selectors.alerts_get(stores=view.stores, since=since),
        "older_open": 0,
        "acknowledgeable": _acknowledgeable(view),
        "title": _("Alerts of the last 30 days"),
    }


def freshness(view: PageView) -> dict | None:
    """The note that some of the page's figures wait for their rollup (its job queued, running,
    or waiting for Redis to come back)."""
    return {} if selectors.rollups_pending(stores=view.stores) else None


def sections_register() -> None:
    # Whoever sees a store sees its numbers and alerts; the sections cover only the page's stores,
    # which are the user's own (access.stores_visible_to).
    sees = access.sees_stores
    for page in ("dashboard", "store_dashboard", "period_report"):
        section_register(
            page=page, section=Section("freshness", "reports/sections/freshness.html", 1, freshness, sees)
        )
    for page, section in (
        ("dashboard", Section("yesterday", "reports/sections/yesterday.html", 10, yesterday_total, sees)),
        ("dashboard", Section("alerts", ALERTS_TEMPLATE, 30, alerts_needing_attention, sees)),
        ("dashboard", Section("store_cards", "reports/sections/store_cards.html", 40, store_cards, sees)),
        ("store_dashboard", Section("store_card", "reports/sections/store_card.html", 10, store_card, sees)),
        ("store_dashboard", Section("alerts", ALERTS_TEMPLATE, 30, store_alerts, sees)),
    ):
        section_register(page=page, section=section)
