"""The stores app's section of a store's dashboard (opsdesk.sections): its recorded days."""

import datetime as dt

from opsdesk.sections import PageView, Section, section_register
from stores import access, metrics, selectors

STORE_DAYS = 30


def recent_days(view: PageView) -> dict:
    store = view.stores[0]
    return {
        "rows": selectors.daily_metric_rows(
            store=store, date_from=view.day - dt.timedelta(days=STORE_DAYS - 1), date_to=view.day
        ),
        "columns": [metrics.BY_CODE[code] for code in selectors.DAILY_TABLE_CODES],
        "days_shown": STORE_DAYS,
    }


def sections_register() -> None:
    section_register(
        page="store_dashboard",
        section=Section(
            "recent_days", "stores/sections/recent_days.html", 40, recent_days, access.sees_stores
        ),
    )
