"""Background jobs of kpi (docs/kpis.md#when-scores-are-computed): thin wrappers over services,
safe to run twice.

Scores are computed after each organisation's rollups are written (the night's run, and every
recomputation after a change of numbers: reports.signals.rollups_written), after a plan changes,
and after manual scores are entered; one job per organisation and period.
"""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings

from kpi.models import MonthClose
from kpi.services.scores import month_close, period_of, scores_compute
from opsdesk import queue
from stores import periods
from stores.models import Organisation
from stores.periods import Period

ATTEMPTS = 4
KINDS = ("week", "month")
# Scores are kept for the recent past: a change to older numbers queues no scoring.
RECENT = {"week": dt.timedelta(weeks=13), "month": dt.timedelta(days=7 * 31)}


def kpi_scores_for(organisation_id: int, kind: str, period_start: str) -> int:
    """Score everyone of one organisation for one ISO week or month."""
    organisation = Organisation.objects.get(pk=organisation_id)
    period = period_of(kind, dt.date.fromisoformat(period_start))
    return scores_compute(organisation=organisation, kind=kind, period=period)


def scores_enqueue(*, organisation_id: int, days: Iterable[dt.date]) -> int:
    """Queue the scoring of every recent week and month that holds one of `days`."""
    today = periods.today()
    wanted: set[tuple[str, Period]] = set()
    for day in days:
        for kind in KINDS:
            period = period_of(kind, day)
            if period.end >= today - RECENT[kind] and period.start <= today:
                wanted.add((kind, period))
    for kind, period in sorted(wanted, key=lambda item: (item[0], item[1].start)):
        queue.enqueue(kpi_scores_for, organisation_id, kind, period.start.isoformat(), attempts=ATTEMPTS)
    return len(wanted)


def months_close_due() -> int:
    """Close last month's scores of every organisation once its closing day (KPI_MONTH_CLOSE_DAY of
    this month) has come, unless the ops lead closed or reopened it already: a reopened month waits
    for the ops lead."""
    today = periods.today()
    if not settings.KPI_MONTH_CLOSE_DAY or today.day < settings.KPI_MONTH_CLOSE_DAY:
        return 0
    month = period_of("month", today.replace(day=1) - dt.timedelta(days=1))
    handled = set(
        MonthClose.objects.filter(month_start=month.start).values_list("organisation_id", flat=True)
    )
    closed = 0
    for organisation in Organisation.objects.exclude(pk__in=handled).filter(stores__active=True).distinct():
        month_close(organisation=organisation, month=month, today=today)
        closed += 1
    return closed
