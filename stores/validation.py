"""Rules a day's numbers must keep (hard errors) and signs they may be wrong (warnings).

Used by the entry page and the import alike. Messages name the metric by its label; callers add
the file, row and column where there is one.
"""

import datetime as dt
import statistics
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stores import metrics, periods
from stores.models import DailyMetric, Store

SUSPICIOUS_CONVERSION = Decimal("0.30")
GMV_MEDIAN_FACTOR = 5
SAME_WEEKDAY_WEEKS = 4


def date_error(date: dt.date) -> str | None:
    """Why no numbers can be recorded for `date`, or None: a day before the first supported
    one, or one that has not happened yet (after periods.last_recordable_day(), today)."""
    last = periods.last_recordable_day()
    if date > last:
        return _("%(date)s has not happened yet: numbers can be recorded up to today, %(today)s.") % {
            "date": date.isoformat(),
            "today": last.isoformat(),
        }
    if date < periods.FIRST_DAY:
        return _("%(date)s is before %(first)s, the first day OpsDesk supports.") % {
            "date": date.isoformat(),
            "first": periods.FIRST_DAY.isoformat(),
        }
    return None


def day_errors(values: dict) -> dict[str, str]:
    """Metric code -> why the value cannot be right, for rules between metrics of one day.
    (Single values — negative, DSR outside 0–5, malformed — are refused where they are parsed.)"""
    errors = {}
    uv, paid_buyers = values.get("uv"), values.get("paid_buyers")
    if uv is not None and paid_buyers is not None and paid_buyers > uv:
        errors["paid_buyers"] = _("Paid buyers (%(buyers)s) cannot exceed visitors (%(uv)s).") % {
            "buyers": paid_buyers,
            "uv": uv,
        }
    new, returning = values.get("new_buyers"), values.get("returning_buyers")
    if (
        paid_buyers is not None
        and new is not None
        and returning is not None
        and new + returning > paid_buyers
    ):
        errors["returning_buyers"] = _(
            "New plus returning buyers (%(sum)s) exceed paid buyers (%(buyers)s)."
        ) % {
            "sum": new + returning,
            "buyers": paid_buyers,
        }
    inquiries, inquiry_buyers = values.get("cs_inquiries"), values.get("cs_inquiry_buyers")
    if inquiries is not None and inquiry_buyers is not None and inquiry_buyers > inquiries:
        errors["cs_inquiry_buyers"] = _(
            "Inquiries that bought (%(buyers)s) exceed inquiries (%(inquiries)s)."
        ) % {
            "buyers": inquiry_buyers,
            "inquiries": inquiries,
        }
    return errors


def day_warnings(values: dict, *, store: Store, date: dt.date) -> dict[str, str]:
    """Metric code -> why the value looks unusual; saving it needs a confirmation."""
    warnings = {}
    conversion = metrics.BY_CODE["conversion"].compute(values)
    if conversion is not None and conversion > SUSPICIOUS_CONVERSION:
        warnings["paid_buyers"] = _("Conversion would be %(conversion)s, above 30%%: please check.") % {
            "conversion": metrics.display("conversion", conversion)
        }
    gmv, median = values.get("gmv"), same_weekday_median_gmv(store=store, date=date)
    if gmv is not None and median and not (median / GMV_MEDIAN_FACTOR <= gmv <= median * GMV_MEDIAN_FACTOR):
        warnings["gmv"] = _(
            "GMV %(gmv)s is more than 5× away from this store's usual %(weekday)s (median of the last "
            "4 weeks: %(median)s): please check."
        ) % {
            "gmv": metrics.display("gmv", gmv),
            "weekday": date_format(date, "l"),
            "median": metrics.display("gmv", median),
        }
    return warnings


def same_weekday_median_gmv(*, store: Store, date: dt.date) -> Decimal | None:
    """Median GMV of the same weekday in the 4 weeks before `date` (None without history)."""
    same_weekdays = [date - dt.timedelta(weeks=weeks) for weeks in range(1, SAME_WEEKDAY_WEEKS + 1)]
    gmvs = DailyMetric.objects.filter(store=store, date__in=same_weekdays, gmv__isnull=False).values_list(
        "gmv", flat=True
    )
    return statistics.median(gmvs) if gmvs else None
