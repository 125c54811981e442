"""Period arithmetic (domain.md §4): the one module that knows what "yesterday" or a week is.

Dates are business dates in settings.TIME_ZONE (Asia/Shanghai), never the server's UTC date.
"""

import datetime as dt

from django.http import Http404
from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


def yesterday() -> dt.date:
    return today() - dt.timedelta(days=1)


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every date from first to last, both included."""
    return [first + dt.timedelta(days=offset) for offset in range((last - first).days + 1)]


def parse_day_or_404(text: str) -> dt.date:
    """A YYYY-MM-DD date from an address."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise Http404("Not a date.") from error
